/**
 * The job lifecycle: an action is a plan until the provider signals that work begins (host.begin(), or
 * its first progress for a provider that never signals); an abandoned plan leaves nothing in History;
 * durations count the work, not the time spent answering; a stalled job shows rate 0 and no ETA.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, type MigrationProvider } from '../../providers/api/index';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { JobHistory } from './job-history';
import { JobRunner } from './job-runner';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function setup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-runner-'));
  dirs.push(dataDir);
  const history = new JobHistory(dataDir);
  const prompts: Prompt[] = [];
  const closed: string[] = [];
  const snapshots: JobSnapshot[] = [];
  const runner = new JobRunner({
    history,
    throttleMs: 0,
    openExternal: async () => undefined,
    events: {
      updated: (s) => snapshots.push(s),
      prompt: (p) => prompts.push(p),
      promptClosed: (_job, id) => closed.push(id),
    },
  });
  return { history, runner, prompts, closed, snapshots };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const base = {
  id: 'p',
  label: 'P',
  description: 'test',
  appliesTo: ['mongodb' as const],
  getAvailableActions: async () => [],
};

describe('plan first', () => {
  it('keeps a dismissed plan out of History, and its prompt is closed everywhere once answered', async () => {
    const { history, runner, prompts, closed, snapshots } = setup();
    const provider: MigrationProvider = {
      ...base,
      signalsBegin: true,
      async executeAction(_c, _a, host) {
        host.progress.phase('Choose target');
        const target = await host.ui.input({ title: 'Where to?' });
        if (!target) throw new CancelledError();
        return { outcome: 'succeeded', summary: 'never' };
      },
    };
    const jobId = runner.start(provider, undefined, { authenticated: false, extendedProperties: {} }, 'Copy');
    await until(() => prompts.length === 1);
    expect(snapshots.at(-1)).toMatchObject({ planning: true, state: 'running' });
    runner.pause(jobId);
    expect(runner.list()[0].state).toBe('running');
    runner.answer(jobId, prompts[0].promptId, undefined);
    expect(closed).toContain(prompts[0].promptId);
    const end = await runner.whenDone(jobId);
    expect(end.state).toBe('cancelled');
    expect(await history.list(new Set())).toEqual([]);
  });

  it('records the job once it begins, with a duration that leaves out the questions', async () => {
    const { history, runner, prompts } = setup();
    const provider: MigrationProvider = {
      ...base,
      signalsBegin: true,
      async executeAction(_c, _a, host) {
        await host.ui.input({ title: 'Where to?' });
        host.begin();
        host.progress.update({ docs: 1 });
        await host.ui.confirm({ title: 'Go on?', message: 'Go on?' });
        return { outcome: 'succeeded', summary: 'done' };
      },
    };
    const jobId = runner.start(provider, undefined, { authenticated: false, extendedProperties: {} }, 'Copy');
    await until(() => prompts.length === 1);
    await new Promise((r) => setTimeout(r, 120));
    const asked = Date.now();
    runner.answer(jobId, prompts[0].promptId, 'x');
    await until(() => prompts.length === 2);
    expect(runner.list()[0].planning).toBeUndefined();
    await new Promise((r) => setTimeout(r, 120));
    runner.answer(jobId, prompts[1].promptId, true);
    const end = await runner.whenDone(jobId);
    expect(end.startedAt).toBeGreaterThanOrEqual(asked);
    expect(end.waitedMs).toBeGreaterThanOrEqual(100);
    const [record] = await history.list(new Set());
    expect(record).toMatchObject({ jobId, state: 'succeeded' });
    expect(record.waitedMs).toBeGreaterThanOrEqual(100);
  });

  it('begins a provider that never signals at its first progress phase', async () => {
    const { history, runner, snapshots } = setup();
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const provider: MigrationProvider = {
      ...base,
      async executeAction(_c, _a, host) {
        host.progress.phase('Copy');
        await gate;
        return { outcome: 'cancelled', summary: 'Stopped' };
      },
    };
    const jobId = runner.start(provider, undefined, { authenticated: false, extendedProperties: {} }, 'Copy');
    await until(() => snapshots.some((s) => s.phase === 'Copy'));
    expect(snapshots.at(-1)?.planning).toBeUndefined();
    go();
    await runner.whenDone(jobId);
    expect((await history.list(new Set())).map((r) => r.state)).toEqual(['cancelled']);
  });

  it('shows a stalled job with a rate of 0 and no ETA until the next count', async () => {
    const { runner, snapshots } = setup();
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const provider: MigrationProvider = {
      ...base,
      async executeAction(_c, _a, host) {
        host.progress.update({ docs: 10, totalDocs: 1000 });
        await new Promise((r) => setTimeout(r, 30));
        host.progress.update({ docs: 500 });
        host.progress.stalled('Target unreachable — retrying (3 of 8)');
        await gate;
        host.progress.update({ docs: 600 });
        return { outcome: 'succeeded', summary: 'ok' };
      },
    };
    const jobId = runner.start(provider, undefined, { authenticated: false, extendedProperties: {} }, 'Copy');
    await until(() => !!snapshots.at(-1)?.stalled);
    expect(snapshots.at(-1)).toMatchObject({
      stalled: 'Target unreachable — retrying (3 of 8)',
      docsPerSecond: 0,
      bytesPerSecond: 0,
    });
    expect(snapshots.at(-1)?.etaSeconds).toBeUndefined();
    go();
    const end = await runner.whenDone(jobId);
    expect(end.stalled).toBeUndefined();
  });
});
