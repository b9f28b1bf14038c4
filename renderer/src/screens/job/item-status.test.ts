/** How an item of a job that has ended reads: stopped, not started or cancelled, never a bare "Skipped" after a failure. */
import { describe, expect, it } from 'vitest';
import { effectiveStatus } from './ItemRows';

const item = (status: 'pending' | 'running' | 'done' | 'failed' | 'skipped', docs?: number) => ({
  id: 'a',
  label: 'a',
  status,
  docs,
});

describe('item status once the job has ended', () => {
  it('keeps the live status while the job runs', () => {
    expect(effectiveStatus(item('skipped', 0), true, 'running')).toBe('skipped');
  });
  it('a cancelled job: part-way is cancelled, nothing written is not started', () => {
    expect(effectiveStatus(item('skipped', 40), false, 'cancelled')).toBe('cancelled');
    expect(effectiveStatus(item('running', 0), false, 'cancelled')).toBe('not-started');
  });
  it('a failed job: what the failure interrupted is stopped or not started, not "skipped"', () => {
    expect(effectiveStatus(item('skipped', 40), false, 'failed')).toBe('stopped');
    expect(effectiveStatus(item('skipped', 0), false, 'failed')).toBe('not-started');
    expect(effectiveStatus(item('failed', 0), false, 'failed')).toBe('failed');
  });
  it('a succeeded job keeps what the provider said', () => {
    expect(effectiveStatus(item('skipped'), false, 'succeeded')).toBe('skipped');
    expect(effectiveStatus(item('done', 5), false, 'succeeded')).toBe('done');
  });
});
