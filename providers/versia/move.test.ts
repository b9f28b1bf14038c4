/**
 * The Versia provider end to end through the core (dispatch, prompts, job runner) against three real
 * test-kit instances on 127.0.0.1: old.test, new.test and third.test, whose users follow and are
 * followed by the old account. The provider drives them with the test kit's adapter, given as an option
 * (the shipped provider has no adapter for the test kit: readiness.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/app-core';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import {
  createVersiaNetwork,
  cutoverTestkitAdapter,
  seedFollow,
  startVersiaInstance,
  type VersiaNetwork,
  type VersiaTestInstance,
} from '../../testkit/versia/index';
import { CHECK_READINESS, createVersiaProvider, MOVE_ACCOUNT, VERIFY_MIGRATION } from './index';

let network: VersiaNetwork;
let oldI: VersiaTestInstance;
let newI: VersiaTestInstance;
let third: VersiaTestInstance;

beforeEach(async () => {
  network = createVersiaNetwork();
  [oldI, newI, third] = await Promise.all(
    ['old.test', 'new.test', 'third.test'].map((domain) => startVersiaInstance({ domain, network, pageSize: 3 })),
  );
  oldI.createUser('alice');
  oldI.createUser('olivia');
  newI.createUser('alice');
  for (const name of ['carol', 'dave', 'erin', 'frank', 'gina']) third.createUser(name);
  // Five followers on third.test (more than a page), two followings there, and one local follower.
  for (const name of ['carol', 'dave', 'erin', 'frank', 'gina'])
    seedFollow({ instance: third, username: name }, { instance: oldI, username: 'alice' });
  for (const name of ['carol', 'dave'])
    seedFollow({ instance: oldI, username: 'alice' }, { instance: third, username: name });
  seedFollow({ instance: oldI, username: 'olivia' }, { instance: oldI, username: 'alice' });
});

afterEach(async () => {
  await Promise.all([oldI, newI, third].map((i) => i?.stop()));
});

interface Run {
  done: JobSnapshot;
  prompts: Prompt[];
}

async function run(
  actionId: string,
  opts: { connection?: string; extended?: Record<string, string>; answer?: (p: Prompt) => unknown } = {},
): Promise<Run> {
  const core = createCore({
    providers: [
      createVersiaProvider({
        resolve: network.resolve,
        adapters: [cutoverTestkitAdapter],
        pollIntervalMs: 50,
        completionTimeoutMs: 10_000,
        timeoutMs: 3_000,
      }),
    ],
    shell: 'browser',
    version: 'test',
    progressThrottleMs: 20,
  });
  const prompts: Prompt[] = [];
  core.onEvent((name, payload) => {
    if (name !== 'job.prompt') return;
    const prompt = payload as Prompt;
    prompts.push(prompt);
    const value = opts.answer ? opts.answer(prompt) : prompt.kind === 'confirm' ? true : undefined;
    void core.dispatch('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId, value });
  });
  try {
    const opened = await core.dispatch('connections.open', { uri: opts.connection ?? oldI.connectionString('alice') });
    if (!opened.ok) throw new Error(opened.error.message);
    const started = await core.dispatch('jobs.start', {
      providerId: 'versia-migration',
      actionId,
      context: { connectionId: (opened.value as { id: string }).id, extendedProperties: opts.extended },
    });
    if (!started.ok) throw new Error(started.error.message);
    const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    return { done, prompts };
  } finally {
    await core.shutdown();
  }
}

const stat = (done: JobSnapshot, label: string) => done.stats?.find((s) => s.label === label)?.value;

describe('Versia account migration provider', () => {
  it('moves the account: third.test re-points its relationships, old shows new and is disabled, new shows previous', async () => {
    const oldRef = oldI.reference('alice');
    const newRef = newI.reference('alice');
    const { done, prompts } = await run(MOVE_ACCOUNT, {
      answer: (p) => (p.kind === 'input' ? newI.connectionString('alice') : p.kind === 'confirm' ? true : undefined),
    });
    expect(done.state, done.summary).toBe('succeeded');
    expect(prompts.map((p) => p.kind)).toEqual(['input', 'confirm']);
    expect(done.summary).toMatch(/moved to @alice@new\.test/);
    expect(stat(done, 'Followers moved')).toBe('6 of 6');
    expect(stat(done, 'Followings moved')).toBe('2 of 2');

    const oldAlice = oldI.user('alice');
    expect(oldAlice.new).toBe(newRef);
    expect(oldAlice.disabled).toBe(true);
    expect(newI.user('alice').previous).toBe(oldRef);
    for (const name of ['carol', 'dave', 'erin', 'frank', 'gina']) {
      expect([...third.user(name).following]).toEqual([newRef]);
    }
    expect([...third.user('carol').followers]).toEqual([newRef]);
    expect([...third.user('erin').followers]).toEqual([]);
    expect([...oldI.user('olivia').following]).toEqual([newRef]);
    expect([...newI.user('alice').followers].sort()).toEqual(
      [...['carol', 'dave', 'erin', 'frank', 'gina'].map((n) => third.reference(n)), oldI.reference('olivia')].sort(),
    );
    expect([...newI.user('alice').following].sort()).toEqual(['carol', 'dave'].map((n) => third.reference(n)).sort());
    // Every Migration that arrived was signed by old.test and accepted.
    for (const instance of [newI, third])
      expect(instance.inbox.map((r) => [r.status, r.signer, r.type])).toEqual([
        [200, 'old.test', 'pub.versia:migration/Migration'],
      ]);

    // The phases were the three steps, and each row finished.
    expect(done.phases).toEqual(['Check', 'Prepare', 'Request', 'Complete']);
    expect(done.items.map((i) => i.status)).toEqual(['done', 'done', 'done']);
  });

  it('is safe to run twice: the second run changes nothing and says so', async () => {
    const extended = { newAccount: newI.connectionString('alice'), confirm: 'yes' };
    expect((await run(MOVE_ACCOUNT, { extended })).done.state).toBe('succeeded');
    const snapshot = JSON.stringify(
      [...third.users.values()].map((u) => [u.username, [...u.followers], [...u.following]]),
    );
    const second = await run(MOVE_ACCOUNT, { extended });
    expect(second.done.state, second.done.summary).toBe('succeeded');
    expect(second.done.summary).toMatch(/already moved.*nothing was changed/i);
    expect(second.prompts).toEqual([]);
    expect(JSON.stringify([...third.users.values()].map((u) => [u.username, [...u.followers], [...u.following]]))).toBe(
      snapshot,
    );
    expect(third.inbox).toHaveLength(1);
    expect(newI.inbox).toHaveLength(1);
  });

  it('an unreachable instance mid-flow stops with a resumable state; running again finishes the move', async () => {
    await third.suspend();
    const extended = { newAccount: newI.connectionString('alice'), confirm: 'yes' };
    const first = await run(MOVE_ACCOUNT, { extended });
    expect(first.done.state).toBe('failed');
    expect(first.done.summary).toMatch(/third\.test could not be reached \(connection refused\)/);
    expect(first.done.summary).toMatch(/run "Move my account" again/);
    // Prepared, delivered to new.test, not completed.
    expect(newI.user('alice').previous).toBe(oldI.reference('alice'));
    expect(oldI.user('alice').disabled).toBe(false);
    expect(oldI.user('alice').new).toBeUndefined();
    expect(oldI.user('alice').migration?.state).toBe('stalled');

    await third.resume();
    const second = await run(MOVE_ACCOUNT, { extended });
    expect(second.done.state, second.done.summary).toBe('succeeded');
    expect(stat(second.done, 'Resumed')).toMatch(/^yes/);
    expect(second.done.items.map((i) => i.status)).toEqual(['skipped', 'done', 'done']);
    expect(oldI.user('alice').disabled).toBe(true);
    expect([...third.user('gina').following]).toEqual([newI.reference('alice')]);
    // new.test got the Migration once: the resumed delivery only went where it had failed.
    expect(newI.inbox).toHaveLength(1);
    expect(third.inbox).toHaveLength(1);
  });

  it('stops before anything changes when the new account has no previous set by someone else', async () => {
    newI.user('alice').previous = third.reference('carol');
    const { done } = await run(MOVE_ACCOUNT, {
      extended: { newAccount: newI.connectionString('alice'), confirm: 'yes' },
    });
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(/already names third\.test:.* as its previous account/);
    expect(oldI.user('alice').migration).toBeUndefined();
  });

  it('check readiness: ready between two test instances; an instance without the extension is not ready, saying what is missing', async () => {
    const ready = await run(CHECK_READINESS, { extended: { newAccount: '@alice@new.test' } });
    expect(ready.done.state).toBe('succeeded');
    expect(ready.done.attention).toBeUndefined();
    expect(ready.done.summary).toBe('Ready: @alice@old.test can be moved to @alice@new.test.');

    const plain = await startVersiaInstance({
      domain: 'plain.test',
      network,
      software: { name: 'versia-server', version: '0.8.0' },
      extensions: ['pub.versia:likes'],
    });
    try {
      plain.createUser('alice');
      const notReady = await run(CHECK_READINESS, {
        answer: (p) => (p.kind === 'input' ? '@alice@plain.test' : undefined),
      });
      // Not ready is an answer, not a success.
      expect(notReady.done.state).toBe('succeeded');
      expect(notReady.done.attention).toBe('Not ready');
      expect(notReady.done.summary).toMatch(/^Not ready .*2 problems/);
      const missing = notReady.done.details?.find((d) => d.title === 'What is missing')?.items ?? [];
      expect(missing[0]).toMatch(
        /plain\.test runs versia-server 0\.8\.0, which does not implement account migration yet: pub\.versia:migration is not among the extensions it lists \(pub\.versia:likes\).*public Versia servers do not implement it yet/,
      );
      expect(missing[1]).toBe(
        'Moving accounts is not supported by versia-server 0.8.0 (plain.test) yet: Cutover has no adapter for its client API.',
      );

      const move = await run(MOVE_ACCOUNT, {
        extended: { newAccount: plain.connectionString('alice'), confirm: 'yes' },
      });
      expect(move.done.state).toBe('failed');
      expect(move.done.summary).toMatch(/not supported by versia-server 0\.8\.0/);
    } finally {
      await plain.stop();
    }
  });

  it('verify a migration: verified and completed after a move; not verified for two unrelated accounts', async () => {
    const before = await run(VERIFY_MIGRATION, {
      extended: { oldAccount: '@alice@old.test', newHandle: '@alice@new.test' },
    });
    expect(before.done.summary).toMatch(/^Not a verified migration/);
    await run(MOVE_ACCOUNT, { extended: { newAccount: newI.connectionString('alice'), confirm: 'yes' } });
    const after = await run(VERIFY_MIGRATION, {
      answer: (p) => (p.kind === 'form' ? { old: '@alice@old.test', new: newI.reference('alice') } : undefined),
    });
    expect(after.done.summary).toMatch(/^Verified: .* verified, completed migration/);
    expect(stat(after.done, 'Verified (new → previous)')).toBe('yes');
    expect(stat(after.done, 'Completed (old → new)')).toBe('yes');
  });

  it('refuses a new account without a token or equal to the old one, asking again', async () => {
    const answers = ['@alice@new.test', oldI.connectionString('alice'), newI.connectionString('alice')];
    const { prompts, done } = await run(MOVE_ACCOUNT, {
      answer: (p) => (p.kind === 'input' ? answers.shift() : p.kind === 'confirm' ? false : undefined),
    });
    const errors = prompts.filter((p) => p.kind === 'input').map((p) => (p.kind === 'input' ? p.error : undefined));
    expect(errors[1]).toMatch(/access token of @alice@new\.test/);
    expect(errors[2]).toMatch(/is the account you are moving from/);
    expect(done.state).toBe('cancelled');
    expect(newI.user('alice').previous).toBeUndefined();
  });
});
