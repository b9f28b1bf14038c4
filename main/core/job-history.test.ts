/**
 * History tells a job left running by a process that died (pid gone, or pid reused by a process that
 * started at another time) from one still running in another Cutover process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from './app-core';
import { JobHistory, type StoredJobRecord } from './job-history';
import { ownProcessStart, processStartTime } from './process-start';

const sleeper = spawn('sleep', ['300']);
let deadPid: number;

beforeAll(async () => {
  const gone = spawn('true');
  await new Promise((resolve) => gone.on('exit', resolve));
  deadPid = gone.pid!;
});
afterAll(() => {
  sleeper.kill();
});

const record = (jobId: string, fields: Partial<StoredJobRecord>): StoredJobRecord => ({
  jobId,
  providerId: 'p',
  providerLabel: 'P',
  title: `job ${jobId}`,
  state: 'running',
  docs: 10,
  bytes: 100,
  startedAt: 1_000 + Number(jobId.slice(-1)),
  canRerun: true,
  ...fields,
});

describe('job records and the process that wrote them', () => {
  it('knows when processes started, its own and others, measured alike', async () => {
    const mine = await ownProcessStart();
    expect(Math.abs(mine! - (Date.now() - process.uptime() * 1000))).toBeLessThan(2_000);
    expect(await processStartTime(sleeper.pid!)).toBeGreaterThanOrEqual(mine! - 1_000);
    expect(await processStartTime(deadPid)).toBeUndefined();
  });

  it('shows as interrupted a record whose process died or whose pid was reused; one whose process runs stays running', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-history-'));
    const history = new JobHistory(dataDir);
    const sleeperStart = await processStartTime(sleeper.pid!);
    await history.save(record('job-1', { pid: deadPid, processStart: Date.now() - 5_000 }));
    await history.save(record('job-2', { pid: sleeper.pid, processStart: sleeperStart }));
    await history.save(record('job-3', { pid: sleeper.pid, processStart: sleeperStart! - 3_600_000 })); // the pid, reused
    await history.save(record('job-4', { state: 'paused' })); // written before records carried a pid
    await history.save(record('job-5', { state: 'succeeded', pid: deadPid, summary: 'Copied 10 documents.' }));
    await history.save(record('job-6', { pid: process.pid, processStart: await ownProcessStart() })); // this process, no such job now

    const byId = new Map((await history.list(new Set())).map((r) => [r.jobId, r]));
    expect(byId.get('job-1')).toMatchObject({ state: 'failed', interrupted: true });
    expect(byId.get('job-1')!.summary).toBe(
      `Interrupted: the Cutover process that ran this job (process ${deadPid}) ended while it was running. Run it again to resume where it stopped.`,
    );
    expect(byId.get('job-2')).toMatchObject({ state: 'running' });
    expect(byId.get('job-2')!.interrupted).toBeUndefined();
    expect(byId.get('job-3')).toMatchObject({ state: 'failed', interrupted: true });
    expect(byId.get('job-4')).toMatchObject({ state: 'failed', interrupted: true });
    expect(byId.get('job-4')!.summary).toMatch(/ended while it was paused/);
    expect(byId.get('job-5')).toMatchObject({ state: 'succeeded', summary: 'Copied 10 documents.' });
    expect(byId.get('job-5')!.interrupted).toBeUndefined();
    expect(byId.get('job-6')).toMatchObject({ state: 'failed', interrupted: true });
    // The live jobs of this process are shown as they are.
    expect((await history.list(new Set(['job-6']))).find((r) => r.jobId === 'job-6')).toMatchObject({
      state: 'running',
    });

    // The core's History list (what the window and `cutover history` show) says the same.
    const core = createCore({ providers: [], shell: 'browser', version: '0', dataDir });
    const listed = await core.dispatch('history.list', {});
    expect(listed.ok).toBe(true);
    const shown = new Map(
      (listed as { value: Array<{ jobId: string; state: string; interrupted?: boolean }> }).value.map((r) => [
        r.jobId,
        r,
      ]),
    );
    expect(shown.get('job-1')).toMatchObject({ state: 'failed', interrupted: true });
    expect(shown.get('job-2')).toMatchObject({ state: 'running' });
    expect(shown.get('job-3')).toMatchObject({ interrupted: true });
    await core.shutdown();
  });

  it('a job record carries the pid and start time of the process that runs it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-history-'));
    const core = createCore({
      providers: [
        {
          id: 'p',
          label: 'P',
          description: '',
          appliesTo: [],
          getAvailableActions: async () => [],
          executeAction: async () => ({ outcome: 'succeeded', summary: 'ok' }),
        },
      ],
      shell: 'browser',
      version: '0',
      dataDir,
    });
    const started = await core.dispatch('jobs.start', { providerId: 'p', context: {} });
    const { jobId } = (started as { value: { jobId: string } }).value;
    await core.runner.whenDone(jobId);
    expect(await new JobHistory(dataDir).get(jobId)).toMatchObject({
      state: 'succeeded',
      pid: process.pid,
      processStart: await ownProcessStart(),
    });
    await core.shutdown();
  });
});
