/**
 * The progress tracker on a clock the test moves: rates over a sliding five-second window (none before
 * 200 ms of samples), the ETA from the byte rate when byte totals are known and from the document rate
 * otherwise, counts that only fill in what is given, item rows merged by id, phases in order, and the
 * first 50 warnings and errors kept with the rest counted. (A stalled job's rate of 0 and no ETA is the
 * job's: jobs/job-state.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress-tracker';

function clocked() {
  let now = 1_000_000;
  const tracker = new ProgressTracker(() => now);
  return { tracker, advance: (ms: number) => (now += ms) };
}

describe('progress tracker', () => {
  it('has no rate until samples span 200 ms, then the rate over them', () => {
    const { tracker, advance } = clocked();
    tracker.update({ docs: 0, bytes: 0 });
    advance(100);
    tracker.update({ docs: 100, bytes: 10_000 });
    expect(tracker.snapshot()).toMatchObject({ docsPerSecond: 0, bytesPerSecond: 0, etaSeconds: undefined });
    advance(900);
    tracker.update({ docs: 1000, bytes: 100_000 });
    expect(tracker.snapshot()).toMatchObject({ docsPerSecond: 1000, bytesPerSecond: 100_000 });
  });

  it('measures the rate over the last five seconds only', () => {
    const { tracker, advance } = clocked();
    tracker.update({ docs: 0 });
    for (let s = 1; s <= 10; s++) {
      advance(1000);
      tracker.update({ docs: s <= 5 ? s * 1000 : 5000 + (s - 5) * 100 });
    }
    // The window holds seconds 5..10: from 5,000 to 5,500 documents.
    expect(tracker.snapshot().docsPerSecond).toBeCloseTo(100, 6);
  });

  it('estimates from the byte rate when byte totals are known, else from documents', () => {
    const { tracker, advance } = clocked();
    tracker.update({ docs: 0, totalDocs: 1000, bytes: 0, totalBytes: 1_000_000 });
    advance(1000);
    // Documents say 9 s are left, bytes 4 s: bytes win (documents vary in size).
    tracker.update({ docs: 100, bytes: 200_000 });
    expect(tracker.snapshot().etaSeconds).toBeCloseTo(4, 6);

    const docsOnly = clocked();
    docsOnly.tracker.update({ docs: 0, totalDocs: 1000 });
    docsOnly.advance(2000);
    docsOnly.tracker.update({ docs: 200 });
    expect(docsOnly.tracker.snapshot().etaSeconds).toBeCloseTo(8, 6);

    const noTotal = clocked();
    noTotal.tracker.update({ docs: 0 });
    noTotal.advance(1000);
    noTotal.tracker.update({ docs: 50 });
    expect(noTotal.tracker.snapshot()).toMatchObject({ docsPerSecond: 50, etaSeconds: undefined });
  });

  it('never gives a negative rate or ETA', () => {
    const { tracker, advance } = clocked();
    tracker.update({ docs: 500, totalDocs: 400 });
    advance(1000);
    tracker.update({ docs: 600 });
    expect(tracker.snapshot()).toMatchObject({ docsPerSecond: 100, etaSeconds: 0 });
    advance(1000);
    tracker.update({ docs: 100 });
    expect(tracker.snapshot().docsPerSecond).toBe(0);
  });

  it('keeps counts not given, merges items by id and lists phases in order', () => {
    const { tracker } = clocked();
    tracker.update({ docs: 1, totalDocs: 10, bytes: 5 });
    tracker.update({ docs: 2, totalDocs: undefined });
    tracker.item({ id: 'a', label: 'sales.orders', status: 'running', docs: 1, totalDocs: 5 });
    tracker.item({ id: 'b', label: 'sales.users', status: 'pending', docs: 0 });
    tracker.item({ id: 'a', label: 'sales.orders', status: 'done', docs: 5, detail: undefined });
    tracker.setPhases(['Assess', 'Copy']);
    tracker.setPhase('Copy');
    tracker.setPhase('Verify');
    const snap = tracker.snapshot();
    expect(snap).toMatchObject({
      docs: 2,
      totalDocs: 10,
      bytes: 5,
      phases: ['Assess', 'Copy', 'Verify'],
      phase: 'Verify',
    });
    expect(snap.items).toEqual([
      { id: 'a', label: 'sales.orders', status: 'done', docs: 5, totalDocs: 5 },
      { id: 'b', label: 'sales.users', status: 'pending', docs: 0 },
    ]);
  });

  it('keeps the first 50 warnings and errors and counts the rest', () => {
    const { tracker } = clocked();
    for (let i = 0; i < 52; i++) expect(tracker.warn(`w${i}`)).toBe(i < 50);
    for (let i = 0; i < 51; i++) tracker.error(`e${i}`);
    const snap = tracker.snapshot();
    expect(snap.warnings).toHaveLength(50);
    expect(snap.warnings.at(-1)).toBe('w49');
    expect(snap.errors).toHaveLength(50);
    expect(snap.droppedMessages).toBe(3);
  });
});
