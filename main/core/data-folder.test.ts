/**
 * What Cutover keeps on disk is its owner's only: the data folder is 0700 (also an existing, wider one),
 * job logs and import error logs 0600, and the private copy of a dropped data file is deleted once the
 * job importing it succeeds (kept after a failure, so the job can be resumed). Driven through dispatch.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntakeResult, JobSnapshot } from '../../preload/contract';
import type { MigrationProvider } from '../../providers/api/index';
import { ErrorLog } from '../../providers/files/error-log';
import { createCore } from './app-core';

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

function provider(outcome: 'succeeded' | 'failed'): MigrationProvider {
  return {
    // Dropped data files are imported by the files provider's import action only: this stands in for it.
    id: 'files',
    label: 'Files',
    description: 'imports a file',
    appliesTo: [],
    getAvailableActions: async () => [{ id: 'import', label: 'Import a file' }],
    executeAction: async (_context, _actionId, host) => {
      host.progress.warn('a warning for the log');
      return { outcome, summary: outcome };
    },
  };
}

async function coreIn(dataDir: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
  const core = createCore({
    providers: [provider(outcome)],
    shell: 'browser',
    version: 'test',
    dataDir,
    progressThrottleMs: 0,
  });
  const finished = new Map<string, JobSnapshot>();
  core.onEvent((name, payload) => {
    const snapshot = payload as JobSnapshot;
    if (name === 'job.updated' && snapshot.state !== 'running' && snapshot.state !== 'paused')
      finished.set(snapshot.jobId, snapshot);
  });
  const call = async <T>(name: string, payload: unknown) => {
    const outcome = await core.dispatch(name, payload);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value as T;
  };
  const until = async (jobId: string) => {
    for (let i = 0; i < 500 && !finished.has(jobId); i++) await new Promise((r) => setTimeout(r, 10));
    await core.runner.log(jobId);
    return finished.get(jobId)!;
  };
  return { core, call, until };
}

describe('the data folder', () => {
  if (process.platform === 'win32') return;

  it('is created 0700, and an existing wider one is narrowed', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'cutover-perm-'));
    const fresh = path.join(parent, 'fresh', 'Cutover');
    await (await coreIn(fresh)).core.shutdown();
    expect(await modeOf(fresh)).toBe(0o700);
    const wide = path.join(parent, 'wide');
    await mkdir(wide);
    await chmod(wide, 0o755);
    await (await coreIn(wide)).core.shutdown();
    expect(await modeOf(wide)).toBe(0o700);
  });

  it('keeps job logs and import error logs 0600', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-perm-'));
    const { core, call, until } = await coreIn(dataDir);
    const { jobId } = await call<{ jobId: string }>('jobs.start', {
      providerId: 'files',
      actionId: 'import',
      context: {},
    });
    await until(jobId);
    expect(await modeOf(path.join(dataDir, 'logs', `${jobId}.log`))).toBe(0o600);
    await core.shutdown();

    const errorLog = new ErrorLog(path.join(dataDir, 'files', 'errors', 'import.log'), 'rows that were not imported');
    errorLog.add('people.csv', 'line 3', 'column "age" (int): "abc" is not a whole number');
    await errorLog.close();
    expect(await modeOf(path.join(dataDir, 'files', 'errors', 'import.log'))).toBe(0o600);
  });

  it('deletes the copy of a dropped file once its import succeeded, and keeps it after a failure', async () => {
    for (const outcome of ['succeeded', 'failed'] as const) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-drops-'));
      const { core, call, until } = await coreIn(dataDir, outcome);
      const dropped = await call<IntakeResult>('intake.content', {
        fileName: 'people.csv',
        text: 'name,age\nada,36\n',
      });
      // The window holds only the drop's id; the copy is in the data folder's drops/.
      const [dir] = await readdir(path.join(dataDir, 'drops'));
      const copy = path.join(dataDir, 'drops', dir, 'people.csv');
      expect(await modeOf(copy)).toBe(0o600);
      const { jobId } = await call<{ jobId: string }>('jobs.start', {
        providerId: 'files',
        actionId: 'import',
        context: { dropId: dropped.dataFile!.dropId },
      });
      const done = await until(jobId);
      expect([done.state, done.errors]).toEqual([outcome, outcome === 'failed' ? expect.anything() : []]);
      await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(path.dirname(copy))).toBe(outcome === 'failed');
      await core.shutdown();
    }
  });
});
