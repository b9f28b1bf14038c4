/**
 * Jobs driven through `dispatch` as the window drives them: direct actions, prompts, progress, cancel and
 * failures, with small providers written against the public provider API.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, type ActionHost } from '../../providers/api/index';
import type { JobSnapshot } from '../../preload/contract';
import { createCore } from './app-core';
import { coreWith, ok, provider, waitFor } from './app-core-test-helpers';

describe('jobs: direct actions, prompts, progress and cancel', () => {
  it('runs a direct action with a validated input prompt and reports progress and the result', async () => {
    let seen: ActionHost | undefined;
    const { core, prompts, updates } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async (_ctx, actionId, host) => {
          seen = host;
          expect(actionId).toBeUndefined();
          const name = await host.ui.input({
            title: 'Name?',
            validate: (v) => (v.length < 3 ? 'At least 3 characters.' : undefined),
          });
          host.progress.setPhases(['one', 'two']);
          host.progress.phase('two');
          host.progress.update({ docs: 10, totalDocs: 10, bytes: 100 });
          host.progress.item({ id: 'ns', label: 'db.c', status: 'done', docs: 10 });
          for (let i = 0; i < 60; i++) host.progress.warn(`warning ${i}`);
          return { outcome: 'succeeded', summary: `hello ${name}`, stats: [{ label: 'Rows', value: '10' }] };
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    const first = await waitFor(() => prompts[0]);
    expect(first).toMatchObject({ kind: 'input', title: 'Name?', jobId });
    expect(await core.dispatch('prompts.answer', { jobId, promptId: first.promptId, value: true })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    ok(await core.dispatch('prompts.answer', { jobId, promptId: first.promptId, value: 'ab' }));
    const second = await waitFor(() => prompts[1]);
    expect(second).toMatchObject({ kind: 'input', error: 'At least 3 characters.', value: 'ab' });
    ok(await core.dispatch('prompts.answer', { jobId, promptId: second.promptId, value: 'abc' }));
    const done = await core.runner.whenDone(jobId);
    expect(done).toMatchObject({
      state: 'succeeded',
      summary: 'hello abc',
      phase: 'two',
      phases: ['one', 'two'],
      docs: 10,
      totalDocs: 10,
      stats: [{ label: 'Rows', value: '10' }],
    });
    expect(done.items).toEqual([{ id: 'ns', label: 'db.c', status: 'done', docs: 10 }]);
    expect(done.warnings).toHaveLength(50);
    expect(done.droppedMessages).toBe(10);
    expect(seen).toBeDefined();
    await waitFor(() => (updates.at(-1)?.state === 'succeeded' ? true : undefined));
    expect(ok<JobSnapshot[]>(await core.dispatch('jobs.list', {}))).toHaveLength(1);
  });

  it('cancel closes open prompts and ends the job as cancelled', async () => {
    const { core, prompts } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async (_ctx, _a, host) => {
          const answer = await host.ui.confirm({ title: 'Go?', message: 'Really?' });
          if (!answer || host.cancellation.isCancellationRequested)
            throw new CancelledError('Stopped before starting.');
          return { outcome: 'succeeded', summary: 'went' };
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    await waitFor(() => prompts[0]);
    ok(await core.dispatch('jobs.cancel', { jobId }));
    expect(await core.runner.whenDone(jobId)).toMatchObject({
      state: 'cancelled',
      summary: 'Stopped before starting.',
    });
  });

  it('a provider that throws ends the job as failed with its message, credentials redacted', async () => {
    const { core } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async () => {
          throw new Error('could not reach mongodb://admin:hunter2@db:27017/');
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    const done = await core.runner.whenDone(jobId);
    expect(done.state).toBe('failed');
    expect(done.summary).toBe('could not reach mongodb://admin:****@db:27017/');
    expect(JSON.stringify(done)).not.toContain('hunter2');
  });

  it('coalesces progress: thousands of updates produce only a few snapshots', async () => {
    const core = createCore({
      providers: [
        provider({
          appliesTo: [],
          executeAction: async (_c, _a, host) => {
            const end = Date.now() + 600;
            let docs = 0;
            while (Date.now() < end) {
              host.progress.update({ docs: ++docs, bytes: docs * 100 });
              if (docs % 100 === 0) await new Promise((r) => setImmediate(r));
            }
            return { outcome: 'succeeded', summary: `${docs}` };
          },
        }),
      ],
      shell: 'browser',
      version: '0',
    });
    let snapshots = 0;
    core.onEvent((name) => name === 'job.updated' && snapshots++);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    const done = await core.runner.whenDone(jobId);
    expect(Number(done.summary)).toBeGreaterThan(1000);
    expect(snapshots).toBeLessThan(10);
    expect(done.docsPerSecond).toBeGreaterThan(0);
  });
});
