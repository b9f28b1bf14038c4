/**
 * The import's batches and their checkpoint leases (import-batches.ts), against the test server (or
 * MONGODB_URI) with the real batch writer: one checkpoint write per lease, not one per batch; each saved
 * checkpoint covers only acknowledged batches and a lease no sent record passes; a stop saves the last
 * acknowledged point.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { BSON } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { BatchWriter, type RefusedDocument } from '../shared/mongo-writer';
import { ErrorLog } from './error-log';
import { ImportBatches, LEASE_BATCHES, type BatchProgress } from './import-batches';
import type { ImportCheckpoint } from './import-checkpoints';
import type { SourceRecord } from './readers/record';
import { tempDir } from './test-helpers';

const db = `cutover_batches_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('batches');
});

const start = (over: Partial<ImportCheckpoint> = {}): ImportCheckpoint => ({
  _id: 'k',
  state: 'importing',
  file: 'f',
  db,
  coll: 'c',
  index: 0,
  docs: 0,
  bad: 0,
  skipped: 0,
  idPrefix: '00',
  startedAt: new Date(),
  updatedAt: new Date(),
  ...over,
});

async function run(coll: string, records: number, batchDocs: number, from = start(), stopAt = Infinity) {
  const saved: BatchProgress[] = [];
  const sentThrough: number[] = [];
  const refused: RefusedDocument[] = [];
  const writer = new BatchWriter(mongo.client.db(db), coll, {
    conflict: 'abort',
    where: `${db}.${coll}`,
    maxDocs: batchDocs,
    warn: () => undefined,
    refused: (r) => refused.push(r),
  });
  const counts = { docs: from.docs, bad: from.bad, skipped: from.skipped };
  const batches = new ImportBatches({
    writer,
    refused,
    log: new ErrorLog(path.join(dir, `${coll}.log`), '# Cutover import test'),
    file: 'f',
    where: `${db}.${coll}`,
    onError: 'continue',
    counts,
    start: from,
    resuming: from.index > 0 || from.leaseEnd !== undefined,
    saveCheckpoint: async (progress) => {
      // What the lease promises: no record at or after leaseEnd was sent.
      expect(Math.max(-1, ...sentThrough)).toBeLessThan(progress.leaseEnd!);
      saved.push({ ...progress });
    },
    report: () => undefined,
  });
  for (let i = from.index; i < records && i < stopAt; i++) {
    const record: SourceRecord = { index: i, where: `line ${i + 1}`, size: 30 };
    batches.addRaw(record, BSON.serialize({ _id: i }));
    if (batches.full) {
      sentThrough.push(i);
      await batches.send();
    }
  }
  if (stopAt < records) {
    await batches.settle();
    await batches.saveAcked();
  } else {
    sentThrough.push(records - 1);
    await batches.drain();
  }
  return { saved, counts };
}

describe('import batches and checkpoint leases', () => {
  it('write one checkpoint per lease of batches, and the last acknowledged point at the end', async () => {
    const { saved, counts } = await run('leases', 10_000, 100);
    expect(counts.docs).toBe(10_000);
    const batches = 10_000 / 100;
    expect(saved.length).toBeLessThanOrEqual(Math.ceil(batches / (LEASE_BATCHES + 1)) + 1);
    expect(saved.length).toBeGreaterThan(batches / (LEASE_BATCHES + 1) - 1);
    const last = saved[saved.length - 1];
    expect(last).toMatchObject({ index: 10_000, docs: 10_000 });
    // Every saved point is acknowledged progress: the count at that index is in the target.
    for (const s of saved) expect(s.docs).toBe(s.index);
    expect(await mongo.client.db(db).collection('leases').countDocuments()).toBe(10_000);
  });

  it('a stop saves the last acknowledged point; resuming inside the old lease takes the duplicates as its own', async () => {
    const first = await run('stopped', 5_000, 100, start(), 2_350);
    const point = first.saved[first.saved.length - 1];
    expect(point.index).toBeLessThanOrEqual(2_350);
    expect(point.index).toBeGreaterThanOrEqual(2_200);
    expect(point.leaseEnd).toBeGreaterThan(point.index);
    // Resumed from an earlier point of the same lease (as after a crash): the target already holds what follows it.
    const earlier = first.saved[1] ?? first.saved[0];
    const second = await run('stopped', 5_000, 100, start({ ...earlier, leaseEnd: point.leaseEnd }));
    expect(second.counts.docs).toBe(5_000);
    expect(second.counts.bad).toBe(0);
    expect(await mongo.client.db(db).collection('stopped').countDocuments()).toBe(5_000);
  });

  it('past the old lease, a duplicate is a bad row again', async () => {
    await mongo.client.db(db).collection<{ _id: number }>('past').insertOne({ _id: 4_900 });
    const second = await run('past', 5_000, 100, start({ index: 0, leaseEnd: 1_000 }));
    expect(second.counts.bad).toBe(1);
    expect(second.counts.docs).toBe(4_999);
  });
});
