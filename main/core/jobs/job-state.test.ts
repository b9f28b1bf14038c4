/**
 * One job's state as the window sees it: a plan until the work begins, durations that leave out the time
 * spent on questions, a stalled job with a rate of 0 and no ETA (only while it runs or is paused), the
 * host's own question shown as a note, and snapshots coalesced to one per throttle interval.
 */
import { describe, expect, it } from 'vitest';
import type { MigrationProvider } from '../../../providers/api/index';
import type { JobSnapshot } from '../../../preload/contract';
import { Job } from './job-state';

const provider: MigrationProvider = {
  id: 'p',
  label: 'P',
  description: 'test',
  appliesTo: ['mongodb'],
  getAvailableActions: async () => [],
  executeAction: async () => ({ outcome: 'succeeded', summary: '' }),
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(throttleMs = 0) {
  const snapshots: JobSnapshot[] = [];
  const job = new Job(
    provider,
    undefined,
    'Copy',
    {
      throttleMs,
      events: { updated: (s) => snapshots.push(s), prompt: () => {}, promptClosed: () => {} },
      openExternal: async () => {},
    },
    { authenticated: false, extendedProperties: {} },
  );
  return { job, snapshots };
}

describe('job state', () => {
  it('is a plan until the work begins, and its duration counts from then', async () => {
    const { job, snapshots } = setup();
    expect(job.snapshot()).toMatchObject({
      planning: true,
      state: 'running',
      providerId: 'p',
      title: 'Copy',
      canRerun: false,
    });
    const opened = job.startedAt;
    await sleep(20);
    job.beginWork();
    expect(job.startedAt).toBeGreaterThan(opened);
    expect(job.snapshot().planning).toBeUndefined();
    expect(snapshots.at(-1)?.planning).toBeUndefined();
    const began = job.startedAt;
    job.beginWork();
    expect(job.startedAt).toBe(began);
  });

  it('leaves the time spent on questions out, counting an open one as it goes', async () => {
    const { job, snapshots } = setup();
    job.beginWork();
    expect(job.snapshot().waitedMs).toBeUndefined();
    const answer = job.waiting('Choose in the dialog.', async () => {
      await sleep(60);
      return 'chosen';
    });
    expect(snapshots.at(-1)?.waitingFor).toBe('Choose in the dialog.');
    await sleep(30);
    expect(job.snapshot().waitedMs).toBeGreaterThanOrEqual(20);
    await expect(answer).resolves.toBe('chosen');
    expect(snapshots.at(-1)?.waitingFor).toBeUndefined();
    expect(job.waitedMs).toBeGreaterThanOrEqual(50);
    job.questionClosed(); // one close too many changes nothing
    expect(job.snapshot().waitedMs).toBe(job.waitedMs);
  });

  it('shows a stalled job with a rate of 0 and no ETA only while it runs or is paused', async () => {
    const { job } = setup();
    job.beginWork();
    job.tracker.update({ docs: 0, totalDocs: 1000 });
    await sleep(250);
    job.tracker.update({ docs: 500 });
    expect(job.snapshot().docsPerSecond).toBeGreaterThan(0);
    expect(job.snapshot().etaSeconds).toBeGreaterThan(0);
    job.stalled = 'Target unreachable — retrying (3 of 8)';
    expect(job.snapshot()).toMatchObject({
      stalled: 'Target unreachable — retrying (3 of 8)',
      docsPerSecond: 0,
      bytesPerSecond: 0,
      etaSeconds: undefined,
      docs: 500,
    });
    job.state = 'paused';
    expect(job.snapshot().stalled).toBe('Target unreachable — retrying (3 of 8)');
    job.state = 'failed';
    expect(job.snapshot().stalled).toBeUndefined();
    expect(job.snapshot().docsPerSecond).toBeGreaterThan(0);
  });

  it('shows attention on a succeeded job only', () => {
    const { job } = setup();
    job.result = { outcome: 'succeeded', summary: 'Copied', attention: 'Check the indexes' };
    expect(job.snapshot()).toMatchObject({ summary: 'Copied', attention: 'Check the indexes' });
    job.result = { outcome: 'failed', summary: 'No' } as typeof job.result;
    expect(job.snapshot().attention).toBeUndefined();
  });

  it('coalesces snapshots to one per throttle interval, and sends an immediate one at once', async () => {
    const { job, snapshots } = setup(80);
    job.changed();
    expect(snapshots).toHaveLength(1);
    job.tracker.update({ docs: 1 });
    job.changed();
    job.tracker.update({ docs: 2 });
    job.changed();
    expect(snapshots).toHaveLength(1);
    await sleep(120);
    expect(snapshots).toHaveLength(2);
    expect(snapshots[1].docs).toBe(2);
    job.changed(true);
    expect(snapshots).toHaveLength(3);
  });
});
