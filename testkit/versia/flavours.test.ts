/**
 * The two flavours of test instance on the wire, over real HTTP: `spec` (what Versia v0.6 says) and
 * `reference` (what Versia Server 0.9.0-alpha.0 was measured doing). Both emit Users that pass the
 * provider's own strict UserSchema, and answers that verify with the provider's `checkSignature`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSignature,
  FederationClient,
  hostOf,
  InstanceMetadataSchema,
  URICollectionSchema,
  UserSchema,
} from '../../providers/versia/protocol/index';
import { createVersiaNetwork, seedFollow, startVersiaInstance, type VersiaTestInstance } from './index';

const network = createVersiaNetwork();
let strict: VersiaTestInstance;
let ref: VersiaTestInstance;
const VERSIA = { accept: 'application/vnd.versia+json' };

beforeAll(async () => {
  [strict, ref] = await Promise.all([
    startVersiaInstance({ domain: 'strict.test', network }),
    startVersiaInstance({ domain: 'ref.test', network, flavour: 'reference' }),
  ]);
  strict.createUser('Alice');
  ref.createUser('bob');
  seedFollow({ instance: ref, username: 'bob' }, { instance: strict, username: 'Alice' });
  strict.user('Alice').previous = ref.reference('bob');
});
afterAll(async () => {
  await Promise.all([strict?.stop(), ref?.stop()]);
});

async function get(instance: VersiaTestInstance, path: string, headers: Record<string, string> = VERSIA) {
  const response = await fetch(`${instance.origin}${path}`, { headers, redirect: 'manual' });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

function verifies(instance: VersiaTestInstance, path: string, answer: Awaited<ReturnType<typeof get>>, signer: string) {
  return checkSignature({
    method: 'GET',
    url: path,
    body: answer.text,
    headers: (n) => answer.headers.get(n),
    publicKey: instance.keys.publicKey,
    expectedSigner: signer,
  });
}

describe('spec flavour', () => {
  it('serves unsigned metadata, spec-valid signed Users (capitals allowed) and refuses plain application/json', async () => {
    const known = await get(strict, '/.well-known/versia', { accept: 'application/json' });
    expect(known.json()).toEqual({ versions: ['0.6.0'] });
    const metadata = await get(strict, '/.versia/v0.6/instance');
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('versia-signature')).toBeNull();
    expect(InstanceMetadataSchema.safeParse(metadata.json()).success).toBe(true);
    const path = `/.versia/v0.6/entities/User/${strict.user('Alice').id}`;
    const user = await get(strict, path);
    expect(user.headers.get('content-type')).toMatch(/^application\/vnd\.versia\+json/);
    const parsed = UserSchema.safeParse(user.json());
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.username).toBe('Alice');
    expect(parsed.data?.extensions?.['pub.versia:migration']).toMatchObject({ previous: ref.reference('bob') });
    expect(verifies(strict, path, user, 'strict.test')).toMatchObject({ ok: true });
    expect((await get(strict, path, { accept: 'application/json' })).status).toBe(406);
    expect((await get(strict, path, { accept: 'application/vnd.versia+json, application/json' })).status).toBe(406);
    // Usernames are case-insensitive in WebFinger.
    const finger = await get(strict, '/.well-known/webfinger?resource=acct:alice@strict.test', {
      accept: 'application/jrd+json',
    });
    expect(finger.json()).toMatchObject({ links: [{ rel: 'self', type: 'application/vnd.versia+json' }] });
  });

  it('answers 401 to unsigned reads when it requires signed reads', async () => {
    const locked = await startVersiaInstance({ domain: 'locked.test', network, requireSignedReads: true });
    try {
      const carol = locked.createUser('carol');
      expect((await get(locked, `/.versia/v0.6/entities/User/${carol.id}`)).status).toBe(401);
      expect((await get(locked, '/.versia/v0.6/instance')).status).toBe(200);
    } finally {
      await locked.stop();
    }
  });
});

describe('reference flavour (Versia Server 0.9.0-alpha.0 on the wire)', () => {
  it('discovery and metadata: 0.6.0, unsigned application/json, no migration extension', async () => {
    const known = await get(ref, '/.well-known/versia', { accept: 'application/json' });
    expect(known.text).toBe('{"versions":["0.6.0"]}');
    const metadata = await get(ref, '/.versia/v0.6/instance');
    expect(metadata.headers.get('content-type')).toBe('application/json');
    expect(metadata.headers.get('versia-signature')).toBeNull();
    expect(metadata.json()).toMatchObject({
      software: { name: 'Versia Server', version: '0.9.0-alpha.0' },
      compatibility: {
        versions: ['0.6.0'],
        extensions: [
          'pub.versia:custom_emojis',
          'pub.versia:instance_messaging',
          'pub.versia:likes',
          'pub.versia:shares',
          'pub.versia:reactions',
        ],
      },
    });
  });

  it('WebFinger links /users/{id} typed application/json, which 404s; Users live at pub.versia:users%2FUser', async () => {
    const id = ref.user('bob').id;
    const finger = await get(ref, '/.well-known/webfinger?resource=acct:bob@ref.test', {
      accept: 'application/jrd+json',
    });
    const self = (finger.json().links as Array<{ rel: string; type: string; href: string }>).find(
      (l) => l.rel === 'self',
    );
    expect(self).toEqual({ rel: 'self', type: 'application/json', href: `https://ref.test/users/${id}` });
    expect((await get(ref, `/users/${id}`)).status).toBe(404);
    expect((await get(ref, `/.versia/v0.6/entities/User/${id}`)).status).toBe(404);
    const path = `/.versia/v0.6/entities/pub.versia:users%2FUser/${id}`;
    const user = await get(ref, path);
    expect(user.status).toBe(200);
    expect(user.headers.get('content-type')).toBe('application/json');
    expect(UserSchema.safeParse(user.json()).error?.issues ?? []).toEqual([]);
    expect(verifies(ref, path, user, 'ref.test')).toMatchObject({ ok: true });
    const followingPath = `/.versia/v0.6/entities/User/${id}/collections/following`;
    const following = await get(ref, `${followingPath}?offset=0&limit=40`);
    expect(URICollectionSchema.parse(following.json())).toEqual({
      author: id,
      total: 1,
      items: [strict.reference('Alice')],
    });
    expect(verifies(ref, followingPath, following, 'ref.test')).toMatchObject({ ok: true });
  });

  it('an unsigned inbox POST gets 422; there is no client API', async () => {
    const inbox = await fetch(`${ref.origin}/.versia/v0.6/inbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(inbox.status).toBe(422);
    expect((await get(ref, '/api/cutover-testkit/v1/account')).status).toBe(404);
  });

  it('on a development port it names itself, and signs, by its host alone', async () => {
    const local = await startVersiaInstance({ domain: '127.0.0.1:1', network, flavour: 'reference' });
    try {
      const dana = local.createUser('dana');
      expect((await get(local, '/.versia/v0.6/instance')).json().domain).toBe('127.0.0.1');
      const path = `/.versia/v0.6/entities/pub.versia:users%2FUser/${dana.id}`;
      const user = await get(local, path);
      expect(user.headers.get('versia-signed-by')).toBe(hostOf('127.0.0.1:1'));
      // Its own users appear in collections as 127.0.0.1:{id}; the provider reads them as its own.
      local.createUser('erin');
      seedFollow({ instance: local, username: 'erin' }, { instance: local, username: 'dana' });
      const followersPath = `/.versia/v0.6/entities/User/${dana.id}/collections/followers`;
      expect((await get(local, followersPath)).json().items).toEqual([`127.0.0.1:${local.user('erin').id}`]);
      const client = new FederationClient({ resolve: network.resolve });
      expect((await client.collection(local.reference('dana'), 'followers')).items).toEqual([local.reference('erin')]);
      expect(local.reference('erin')).toBe(`127.0.0.1:1:${local.user('erin').id}`);
    } finally {
      await local.stop();
    }
  });
});
