/**
 * Crash and resume: the copy worker is killed mid-copy (as a crash or a killed app would), the same job
 * runs again and finishes from the checkpoints kept on the target, every document present exactly once.
 * Also pause/resume and the parallel partitions.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { startLatencyProxy, type LatencyProxy } from '../../testkit/latency-proxy';
import { META_DB } from './checkpoints';
import type { CopyRequest } from './plan';
import { LEASE_BATCHES } from './partition-copy';
import { startCopyJob } from './run-job';
import { oneCollectionRequest, recorder } from './test-helpers';

const request = (db: string, overrides: Partial<CopyRequest> = {}) =>
  oneCollectionRequest(mongo.uri, db, 'big', { batchDocs: 500, partitionDocs: 5_000, ...overrides });

const mongo = useMongoClient();
/** The same server behind a slow link: the copy takes long enough to be killed or paused mid-way. */
let slow: LatencyProxy;
beforeAll(async () => {
  slow = await startLatencyProxy(mongo.uri, { delayMs: 30 });
});
afterAll(async () => {
  await slow?.stop();
});

async function seed(db: string, n: number) {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: i % 3 === 0 ? `s${String(i).padStart(6, '0')}` : (i as unknown as string),
    pad: 'x'.repeat(100),
    i,
  }));
  await mongo.client.db(db).collection<{ _id: string }>('big').insertMany(docs);
}

describe('copy engine: partitions, crash and resume', () => {
  it('splits a large collection into partitions per _id type and copies them in parallel', async () => {
    const db = `cutover_part_${randomUUID().slice(0, 8)}`;
    await seed(db, 20_000);
    const { rows, phases, events } = recorder();
    const outcome = await startCopyJob(request(db), events, new AbortController().signal).done;
    expect(phases).toEqual(['create', 'copy', 'indexes', 'verify']);
    expect(outcome.namespaces[0]).toMatchObject({ docs: 20_000, status: 'done' });
    expect(outcome.namespaces[0].partitions).toBeGreaterThan(2);
    expect(outcome.verification?.[0]).toMatchObject({
      sourceCount: 20_000,
      targetCount: 20_000,
      checked: 20_000,
      missing: 0,
      mismatched: 0,
    });
    expect(rows.some((r) => r.status === 'running')).toBe(true);
    expect(
      await mongo.client
        .db(META_DB)
        .collection('partitions')
        .countDocuments({ job: `test-${db}` }),
    ).toBe(0);
    await mongo.client.db(db).dropDatabase();
    await mongo.client.db(`${db}_t`).dropDatabase();
  }, 60_000);

  it('resumes after the worker is killed mid-copy: every document exactly once, no restart from zero', async () => {
    const db = `cutover_resume_${randomUUID().slice(0, 8)}`;
    await seed(db, 30_000);
    const first = recorder();
    const handle = startCopyJob(
      request(db, { load: 'low', targetUri: slow.uri }),
      first.events,
      new AbortController().signal,
    );
    // Kill once a good part is written but not all of it.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const last = first.rows.at(-1);
        if (last && last.docs >= 16_000) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await handle.kill();
    await handle.done.catch(() => undefined);
    const written = await mongo.client.db(`${db}_t`).collection('big').countDocuments();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(30_000);
    // What the checkpoints (leases) say was acknowledged: some progress, never more than is there.
    const checkpoints = await mongo.client
      .db(META_DB)
      .collection('partitions')
      .find({ job: `test-${db}` })
      .toArray();
    const acknowledged = checkpoints.reduce((sum, p) => sum + Number(p.docs), 0);
    expect(acknowledged).toBeGreaterThan(0);
    expect(acknowledged).toBeLessThanOrEqual(written);

    const second = recorder();
    const outcome = await startCopyJob(request(db, { load: 'low' }), second.events, new AbortController().signal).done;
    expect(outcome.resumed).toBe(true);
    // It carried on from the checkpoints: the first progress it reports already counts the earlier work
    // (what the leases had not saved yet, at most LEASE_BATCHES + 1 batches a partition, is written again).
    expect(second.rows[0].docs).toBeGreaterThanOrEqual(acknowledged);
    expect(second.rows[0].docs).toBeGreaterThanOrEqual(
      written - (LEASE_BATCHES + 1) * 500 * outcome.namespaces[0].partitions,
    );
    expect(outcome.namespaces[0].docs).toBe(30_000);
    expect(await mongo.client.db(`${db}_t`).collection('big').countDocuments()).toBe(30_000);
    expect(outcome.verification?.[0]).toMatchObject({ missing: 0, mismatched: 0, targetCount: 30_000 });

    // Running the finished job again starts afresh, and with "abort" refuses the now non-empty target.
    await expect(startCopyJob(request(db), recorder().events, new AbortController().signal).done).rejects.toThrow(
      /already holds 30,000 documents/,
    );
    await mongo.client.db(db).dropDatabase();
    await mongo.client.db(`${db}_t`).dropDatabase();
  }, 90_000);

  it('pauses between batches and resumes', async () => {
    const db = `cutover_pause_${randomUUID().slice(0, 8)}`;
    await seed(db, 10_000);
    const { rows, events } = recorder();
    const handle = startCopyJob(
      request(db, { load: 'low', verify: 'none', targetUri: slow.uri }),
      events,
      new AbortController().signal,
    );
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if ((rows.at(-1)?.docs ?? 0) > 0) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    handle.pause();
    await new Promise((r) => setTimeout(r, 300));
    const atPause = rows.at(-1)!.docs;
    await new Promise((r) => setTimeout(r, 500));
    expect(rows.at(-1)!.docs - atPause).toBeLessThanOrEqual(2 * 500); // at most the batches already in flight
    expect(rows.at(-1)!.docs).toBeLessThan(10_000);
    handle.resume();
    const outcome = await handle.done;
    expect(outcome.namespaces[0].docs).toBe(10_000);
    await mongo.client.db(db).dropDatabase();
    await mongo.client.db(`${db}_t`).dropDatabase();
  }, 60_000);
});
