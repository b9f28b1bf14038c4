/**
 * The test instances' inbox, as the spec defines it, exercised with real signed HTTP requests:
 * 401 for a bad or missing signature, 422 outside the 5-minute window (checked first), 422 for an invalid
 * entity ("If a request is invalid, the instance MUST return a 422"), a Migration whose destination lacks
 * `previous` rejected, a replayed Migration changing nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateInstanceKeys,
  MIGRATION_TYPE,
  signatureHeaders,
  VERSIA_CONTENT_TYPE,
  FederationClient,
} from '../../providers/versia/protocol/index';
import {
  createVersiaNetwork,
  seedFollow,
  startVersiaInstance,
  type VersiaNetwork,
  type VersiaTestInstance,
} from './index';

let network: VersiaNetwork;
let oldI: VersiaTestInstance;
let newI: VersiaTestInstance;
let third: VersiaTestInstance;

beforeEach(async () => {
  network = createVersiaNetwork();
  [oldI, newI, third] = await Promise.all(
    ['old.test', 'new.test', 'third.test'].map((domain) => startVersiaInstance({ domain, network })),
  );
  oldI.createUser('alice');
  newI.createUser('alice');
  third.createUser('carol');
  seedFollow({ instance: third, username: 'carol' }, { instance: oldI, username: 'alice' });
});

afterEach(async () => {
  await Promise.all([oldI, newI, third].map((i) => i.stop()));
});

/** POSTs to third.test's inbox, signed as old.test (or as told). */
async function post(
  body: string,
  opts: {
    signer?: string;
    key?: VersiaTestInstance['keys']['privateKey'];
    now?: number;
    tamper?: (h: Record<string, string>) => void;
  } = {},
) {
  const headers: Record<string, string> = {
    ...signatureHeaders({
      method: 'POST',
      url: '/.versia/v0.6/inbox',
      body,
      signer: opts.signer ?? 'old.test',
      privateKey: opts.key ?? oldI.keys.privateKey,
      now: opts.now,
    }),
    'content-type': VERSIA_CONTENT_TYPE,
  };
  opts.tamper?.(headers);
  const response = await fetch(`${third.origin}/.versia/v0.6/inbox`, { method: 'POST', headers, body });
  return {
    status: response.status,
    body: (await response.json()) as { error?: string; moved?: number; message?: string },
  };
}

const migration = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: MIGRATION_TYPE,
    author: oldI.user('alice').id,
    destination: newI.reference('alice'),
    created_at: new Date().toISOString(),
    ...overrides,
  });

const carolFollowing = () => [...third.user('carol').following];

describe('test instance inbox', () => {
  it('accepts a verified Migration and moves relationships; a replay changes nothing', async () => {
    newI.user('alice').previous = oldI.reference('alice');
    const body = migration();
    const first = await post(body);
    expect(first).toEqual({ status: 200, body: { moved: 1, message: expect.stringContaining('Moved 1') } });
    expect(carolFollowing()).toEqual([newI.reference('alice')]);
    // Someone follows the old account again; the same Migration, replayed, must not touch it.
    seedFollow({ instance: third, username: 'carol' }, { instance: oldI, username: 'alice' });
    const replay = await post(body);
    expect(replay.status).toBe(200);
    expect(replay.body.moved).toBe(0);
    expect(carolFollowing().sort()).toEqual([newI.reference('alice'), oldI.reference('alice')].sort());
  });

  it('rejects a Migration whose destination does not name the author as previous (422) and moves nothing', async () => {
    const missing = await post(migration());
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatch(/not verified: the destination new\.test:.* names no account as previous/);
    newI.user('alice').previous = third.reference('carol');
    const wrong = await post(migration());
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatch(/names third\.test:/);
    expect(carolFollowing()).toEqual([oldI.reference('alice')]);
  });

  it('401 for a missing, forged or mismatched signature', async () => {
    newI.user('alice').previous = oldI.reference('alice');
    const unsigned = await fetch(`${third.origin}/.versia/v0.6/inbox`, {
      method: 'POST',
      headers: { 'content-type': VERSIA_CONTENT_TYPE },
      body: migration(),
    });
    expect(unsigned.status).toBe(401);
    const forged = await post(migration(), { key: generateInstanceKeys().privateKey });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatch(/does not verify with the key of old\.test/);
    const body = migration();
    const altered = await post(body, {
      tamper: (h) => (h['Versia-Signature'] = Buffer.from('x'.repeat(64)).toString('base64')),
    });
    expect(altered.status).toBe(401);
    // Signed correctly by new.test, but the author lives on old.test.
    const impostor = await post(migration({ author: oldI.reference('alice') }), {
      signer: 'new.test',
      key: newI.keys.privateKey,
    });
    expect(impostor.status).toBe(401);
    expect(impostor.body.error).toMatch(/signed by new\.test, not by the author's instance/);
    expect(carolFollowing()).toEqual([oldI.reference('alice')]);
  });

  it('422 when the signature time is more than 5 minutes away, either way', async () => {
    newI.user('alice').previous = oldI.reference('alice');
    for (const skew of [-301_000, 301_000]) {
      const stale = await post(migration(), { now: Date.now() + skew });
      expect(stale.status).toBe(422);
      expect(stale.body.error).toMatch(/outside the 5-minute window/);
    }
    // The time window is checked before the signature: a stale request with a forged signature is a 422.
    const staleForged = await post(migration(), { now: Date.now() - 400_000, key: generateInstanceKeys().privateKey });
    expect(staleForged.status).toBe(422);
    expect((await post(migration(), { now: Date.now() - 240_000 })).status).toBe(200);
  });

  it('422 for a malformed entity, naming the field', async () => {
    const notJson = await post('{"type":');
    expect(notJson.status).toBe(422);
    expect(notJson.body.error).toMatch(/not JSON/);
    const noDestination = await post(
      JSON.stringify({ type: MIGRATION_TYPE, author: 'x', created_at: new Date().toISOString() }),
    );
    expect(noDestination.status).toBe(422);
    expect(noDestination.body.error).toMatch(/destination/);
    const badDate = await post(migration({ created_at: 'yesterday' }));
    expect(badDate.status).toBe(422);
    expect(badDate.body.error).toMatch(/created_at/);
    const badRef = await post(migration({ destination: 'new.test:not valid!' }));
    expect(badRef.status).toBe(422);
    expect(badRef.body.error).toMatch(/may only hold letters/);
  });

  it('serves entities with signed responses, and refuses a signed GET with a bad signature', async () => {
    const client = new FederationClient({ resolve: network.resolve });
    const user = await client.user(oldI.reference('alice'));
    expect(user.username).toBe('alice');
    const followers = await client.collection(oldI.reference('alice'), 'followers');
    expect(followers.items).toEqual([third.reference('carol')]);
    const path = `/.versia/v0.6/entities/User/${oldI.user('alice').id}`;
    const headers = signatureHeaders({
      method: 'GET',
      url: path,
      signer: 'third.test',
      privateKey: oldI.keys.privateKey,
    });
    const accept = { accept: 'application/vnd.versia+json' };
    expect((await fetch(`${oldI.origin}${path}`, { headers: { ...headers, ...accept } })).status).toBe(401);
    const good = signatureHeaders({
      method: 'GET',
      url: path,
      signer: 'third.test',
      privateKey: third.keys.privateKey,
    });
    const response = await fetch(`${oldI.origin}${path}`, { headers: { ...good, ...accept } });
    expect(response.status).toBe(200);
    expect(response.headers.get('versia-signed-by')).toBe('old.test');
  });

  it('the old-instance role refuses a destination without previous', async () => {
    const alice = oldI.user('alice');
    const response = await fetch(`${oldI.origin}/api/cutover-testkit/v1/account/migration`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ destination: newI.reference('alice') }),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /does not name old\.test:.* as its previous account/,
    );
    expect(alice.disabled).toBe(false);
    expect(third.inbox).toHaveLength(0);
  });
});
