/**
 * "Check readiness" against strict-spec test instances and reference-like ones (Versia Server
 * 0.9.0-alpha.0 on the wire) side by side, through the core (dispatch, job runner) and the CLI's headless
 * runner: the real gaps are reported plainly, harmless deviations are tolerated and logged, and a
 * not-ready answer is a not-ready outcome. The strict instances are driven with the test kit's adapter,
 * given as an option or registered by the development entry (testkit/versia/register.ts); the shipped
 * provider has none for them, and says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/app-core';
import type { JobSnapshot } from '../../preload/contract';
import {
  createVersiaNetwork,
  cutoverTestkitAdapter,
  seedFollow,
  startVersiaInstance,
  type VersiaNetwork,
  type VersiaTestInstance,
} from '../../testkit/versia/index';
import { isLocalAddress } from './protocol/index';
import { CHECK_READINESS, createVersiaProvider, MOVE_ACCOUNT, type VersiaProviderOptions } from './index';

let network: VersiaNetwork;
let strict: VersiaTestInstance;
let ref: VersiaTestInstance;
const started: VersiaTestInstance[] = [];

beforeEach(async () => {
  network = createVersiaNetwork();
  [strict, ref] = await Promise.all([
    startVersiaInstance({ domain: 'old.test', network }),
    startVersiaInstance({ domain: 'ref.test', network, flavour: 'reference' }),
  ]);
  started.push(strict, ref);
  strict.createUser('alice');
  ref.createUser('Alice');
  ref.createUser('bob');
  seedFollow({ instance: ref, username: 'bob' }, { instance: ref, username: 'Alice' });
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((i) => i.stop()));
});

async function start(options: Parameters<typeof startVersiaInstance>[0]): Promise<VersiaTestInstance> {
  const instance = await startVersiaInstance(options);
  started.push(instance);
  return instance;
}

async function run(
  actionId: string,
  connection: string,
  extended: Record<string, string>,
  options: VersiaProviderOptions = { resolve: network.resolve, adapters: [cutoverTestkitAdapter] },
): Promise<JobSnapshot> {
  const core = createCore({
    providers: [createVersiaProvider({ timeoutMs: 3_000, pollIntervalMs: 50, completionTimeoutMs: 5_000, ...options })],
    shell: 'browser',
    version: 'test',
    progressThrottleMs: 20,
  });
  try {
    const opened = await core.dispatch('connections.open', { uri: connection });
    if (!opened.ok) throw new Error(opened.error.message);
    const jobStarted = await core.dispatch('jobs.start', {
      providerId: 'versia-migration',
      actionId,
      context: { connectionId: (opened.value as { id: string }).id, extendedProperties: extended },
    });
    if (!jobStarted.ok) throw new Error(jobStarted.error.message);
    return await core.runner.whenDone((jobStarted.value as { jobId: string }).jobId);
  } finally {
    await core.shutdown();
  }
}

const section = (done: JobSnapshot, title: string) => done.details?.find((d) => d.title === title)?.items ?? [];

describe('check readiness, strict instance and reference-like instance side by side', () => {
  it('against Versia Server 0.9.0-alpha.0 on the wire: not ready, naming the gaps; the account resolves, deviations tolerated and logged', async () => {
    const done = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@alice@ref.test' });
    expect(done.state).toBe('succeeded');
    expect(done.attention).toBe('Not ready');
    expect(done.summary).toBe('Not ready to move @alice@old.test to @alice@ref.test: 2 problems.');
    expect(section(done, 'What is missing')).toEqual([
      "The new instance ref.test runs Versia Server 0.9.0-alpha.0, which does not implement account migration yet: pub.versia:migration is not among the extensions it lists (pub.versia:custom_emojis, pub.versia:instance_messaging, pub.versia:likes, pub.versia:shares, pub.versia:reactions). Today's public Versia servers do not implement it yet, so accounts cannot be moved from or to them.",
      'Moving accounts is not supported by Versia Server 0.9.0-alpha.0 (ref.test) yet: Cutover has no adapter for its client API.',
    ]);
    const id = ref.user('Alice').id;
    expect(done.stats).toContainEqual({
      label: 'New · Account',
      value: `@alice@ref.test resolves (ref.test:${id}), signature checked`,
    });
    const tolerated = section(done, 'Tolerated deviations from the spec');
    expect(tolerated).toEqual(
      expect.arrayContaining([
        'WebFinger of @alice@ref.test types its Versia link application/json instead of application/vnd.versia+json (tolerated).',
        `WebFinger of @alice@ref.test links to https://ref.test/users/${id}, not to a v0.6 User entity URL: Cutover read the user ${id} from ref.test's entity endpoint instead (tolerated).`,
        'ref.test serves Users at /.versia/v0.6/entities/pub.versia%3Ausers%2FUser/{id} instead of /.versia/v0.6/entities/User/{id} (tolerated).',
        'ref.test serves its instance metadata as application/json instead of application/vnd.versia+json (tolerated).',
      ]),
    );
    // The same lines are in the job's warnings (and so its log).
    for (const note of tolerated) expect(done.warnings).toContain(note);
    // The strict side needed no tolerance.
    expect(tolerated.join('\n')).not.toMatch(/old\.test/);
  });

  it('moving to it fails before anything changes, saying why', async () => {
    const done = await run(MOVE_ACCOUNT, strict.connectionString('alice'), {
      newAccount: 'versia://Alice:token@ref.test',
      confirm: 'yes',
    });
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /^Not ready to move: The new instance ref\.test runs Versia Server 0\.9\.0-alpha\.0, which does not implement account migration yet/,
    );
    expect(strict.user('alice').migration).toBeUndefined();
  });

  it('usernames are case-insensitive on both kinds of instance', async () => {
    strict.createUser('Zoe');
    const done = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@zoe@old.test' });
    expect(done.stats).toContainEqual({
      label: 'New · Account',
      value: `@zoe@old.test resolves (${strict.reference('Zoe')}), signature checked`,
    });
    const other = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@ALICE@ref.test' });
    expect(other.stats?.find((s) => s.label === 'New · Account')?.value).toMatch(/resolves/);
  });

  it('a v0.5-only instance "does not speak Versia v0.6"', async () => {
    const old5 = await start({ domain: 'five.test', network, versions: ['0.5.0'] });
    old5.createUser('eve');
    const done = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@eve@five.test' });
    expect(done.attention).toBe('Not ready');
    expect(section(done, 'What is missing')).toEqual([
      'The new instance five.test does not speak Versia v0.6: it lists 0.5.0.',
    ]);
    expect(done.stats).toContainEqual({ label: 'New · Versia v0.6', value: 'no (0.5.0)' });
  });

  it('an instance that requires instance-signed reads is named as such', async () => {
    const locked = await start({ domain: 'locked.test', network, requireSignedReads: true });
    locked.createUser('carol');
    const done = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@carol@locked.test' });
    expect(section(done, 'What is missing')).toEqual([
      `@carol@locked.test does not resolve (the User entity ${locked.reference('carol')} failed): locked.test answered 401 to an unsigned read of /.versia/v0.6/entities/User/${locked.user('carol').id}: this instance requires instance-signed reads, which a desktop client cannot make (Cutover holds no instance key).`,
    ]);
  });
});

describe('as shipped: adapters for real server software only', () => {
  const shipped: VersiaProviderOptions = { resolve: (domain) => network.resolve(domain) };

  it("the test kit's instances are not ready: no adapter for their software, nothing else missing", async () => {
    strict.createUser('bea');
    const done = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@bea@old.test' }, shipped);
    expect(done.attention).toBe('Not ready');
    const missing =
      'Moving accounts is not supported by cutover-versia-testkit 0.1.0 (old.test) yet: Cutover has no adapter for its client API.';
    expect(section(done, 'What is missing')).toEqual([missing, missing]);
    expect(done.stats).toContainEqual({ label: 'Old · Software', value: 'cutover-versia-testkit 0.1.0 (no adapter)' });
    // The same pair is ready with the test kit's adapter given.
    const ready = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@bea@old.test' });
    expect(ready.attention).toBeUndefined();
    expect(ready.summary).toBe('Ready: @alice@old.test can be moved to @bea@old.test.');
  });

  it('moving between them fails before anything changes, naming the software', async () => {
    strict.createUser('bea');
    const done = await run(
      MOVE_ACCOUNT,
      strict.connectionString('alice'),
      { newAccount: strict.connectionString('bea'), confirm: 'yes' },
      shipped,
    );
    expect(done.state).toBe('failed');
    expect(done.summary).toContain('Moving accounts is not supported by cutover-versia-testkit 0.1.0 (old.test) yet');
    expect(strict.user('alice').migration).toBeUndefined();
    expect(strict.user('bea').previous).toBeUndefined();
  });
});

describe('local development: instances addressed as 127.0.0.1:PORT, no resolver', () => {
  it('a reference-like instance names itself 127.0.0.1 (a Domain has no port) and still resolves; the CLI exits non-zero on not ready', async () => {
    const localNetwork = createVersiaNetwork();
    // Instances whose domain is their own address need their port first.
    const portOf = async () => {
      const probe = await start({ domain: 'probe.test', network: localNetwork });
      const port = probe.port;
      await probe.stop();
      return port;
    };
    const [p1, p2] = [await portOf(), await portOf()];
    const oldI = await start({ domain: `127.0.0.1:${p1}`, network: localNetwork, port: p1 });
    const refI = await start({ domain: `127.0.0.1:${p2}`, network: localNetwork, port: p2, flavour: 'reference' });
    oldI.createUser('alice');
    refI.createUser('alice');
    const connection = oldI.connectionString('alice').replace(/^versia:/, 'versia+http:');
    const done = await run(
      CHECK_READINESS,
      connection,
      { newAccount: `versia+http://alice:x@127.0.0.1:${p2}` },
      { adapters: [cutoverTestkitAdapter] },
    );
    expect(done.attention, JSON.stringify(done.details)).toBe('Not ready');
    expect(done.stats).toContainEqual({
      label: 'New · Account',
      value: `@alice@127.0.0.1:${p2} resolves (127.0.0.1:${p2}:${refI.user('alice').id}), signature checked`,
    });

    // The command line, as a person runs it against the test kit: a real process, the built-in provider, the
    // test kit's adapter registered (npm run cutover:versia-testkit).
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cutover-versia-cli-'));
    try {
      const notReady = await cutover([
        'versia-check',
        '--account',
        connection,
        '--new',
        `versia+http://alice@127.0.0.1:${p2}`,
        '--data-dir',
        dataDir,
      ]);
      expect(notReady.code, notReady.stderr).toBe(1);
      expect(notReady.stdout.split('\n')[0]).toBe(
        `Not ready to move @alice@127.0.0.1:${p1} to @alice@127.0.0.1:${p2}: 2 problems.`,
      );
      expect(notReady.stdout).toContain(
        'runs Versia Server 0.9.0-alpha.0, which does not implement account migration yet',
      );
      const json = await cutover([
        'versia-check',
        '--account',
        connection,
        '--new',
        `versia+http://alice@127.0.0.1:${p2}`,
        '--data-dir',
        dataDir,
        '--json',
      ]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, state: 'succeeded', attention: 'Not ready' });
      oldI.createUser('bea');
      const ready = await cutover([
        'versia-check',
        '--account',
        connection,
        '--new',
        oldI.connectionString('bea').replace(/^versia:/, 'versia+http:'),
        '--data-dir',
        dataDir,
      ]);
      expect(ready.code, ready.stdout + ready.stderr).toBe(0);
      expect(ready.stdout.split('\n')[0]).toBe(`Ready: @alice@127.0.0.1:${p1} can be moved to @bea@127.0.0.1:${p1}.`);
      expect(ready.stdout + ready.stderr).not.toContain(oldI.user('bea').token);
      expect(ready.stderr).toContain(
        'Test kit: the Versia provider can drive cutover-versia-testkit instances in this process',
      );

      // The command line as shipped (npm run cutover): no adapter for the test kit's software.
      const shipped = await cutover(
        [
          'versia-check',
          '--account',
          connection,
          '--new',
          oldI.connectionString('bea').replace(/^versia:/, 'versia+http:'),
          '--data-dir',
          dataDir,
        ],
        { testkit: false },
      );
      expect(shipped.code, shipped.stdout + shipped.stderr).toBe(1);
      expect(shipped.stdout.split('\n')[0]).toBe(
        `Not ready to move @alice@127.0.0.1:${p1} to @bea@127.0.0.1:${p1}: 2 problems.`,
      );
      expect(shipped.stdout).toContain(
        `Moving accounts is not supported by cutover-versia-testkit 0.1.0 (127.0.0.1:${p1}) yet: Cutover has no adapter for its client API.`,
      );
      expect(shipped.stderr).not.toContain('Test kit');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The CLI in a real process; with `testkit` (the default), as `npm run cutover:versia-testkit` runs it. */
function cutover(
  args: string[],
  { testkit = true } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = path.resolve(import.meta.dirname, '../..');
  const register = testkit ? ['--import', './testkit/versia/register.ts'] : [];
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ...register, path.join(root, 'main/cli/index.ts'), ...args],
      { cwd: root },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('destinations learned from remote data', () => {
  // A machine address that is not loopback / private / link-local, to play a public instance on.
  const publicAddress = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !isLocalAddress(a.address))?.address;

  it.skipIf(!publicAddress)(
    'an instance on a public address whose WebFinger points at loopback is not followed there',
    async () => {
      const pubOld = await start({ domain: 'pub-old.test', network, host: publicAddress });
      pubOld.createUser('alice');
      const pubNew = await start({
        domain: 'pub-new.test',
        network,
        host: publicAddress,
        webfingerHref: (u) => `https://127.0.0.1:${strict.port}/.versia/v0.6/entities/User/${u.id}`,
      });
      pubNew.createUser('alice');
      const done = await run(CHECK_READINESS, pubOld.connectionString('alice'), { newAccount: '@alice@pub-new.test' });
      expect(section(done, 'What is missing')).toEqual([
        `@alice@pub-new.test does not resolve (the User entity 127.0.0.1:${strict.port}:${pubNew.user('alice').id} failed): 127.0.0.1:${strict.port} was not contacted: remote data pointed Cutover at it and it is a loopback, private or link-local address. Cutover only connects to such addresses when your own instance is on one (local development).`,
      ]);
      // With the person's own instance on loopback (local development), the same link is followed.
      const local = await start({
        domain: 'loop.test',
        network,
        webfingerHref: (u) => `https://127.0.0.1:${strict.port}/.versia/v0.6/entities/User/${u.id}`,
      });
      local.createUser('alice');
      const followed = await run(CHECK_READINESS, strict.connectionString('alice'), { newAccount: '@alice@loop.test' });
      expect(section(followed, 'What is missing').join('\n')).toMatch(/127\.0\.0\.1:\d+ could not be reached/);
    },
  );
});
