/**
 * The copy as the command line runs it: its job body in this thread (`placeJobs('this-thread')`), not in a
 * worker. Same engine, same messages; checked here: byte-exact documents, progress rows, pause, cancel
 * and a resumed run finishing from the checkpoints, and no worker thread started.
 */
import { randomUUID } from 'node:crypto';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { startLatencyProxy, type LatencyProxy } from '../../testkit/latency-proxy';
import { placeJobs } from '../shared/worker-job';
import type { CopyRequest } from './plan';
import { startCopyJob } from './run-job';
import { oneCollectionRequest, recorder } from './test-helpers';

const request = (db: string, overrides: Partial<CopyRequest> = {}) =>
  oneCollectionRequest(mongo.uri, db, 'c', { batchDocs: 200, partitionDocs: 1_000, ...overrides });

const mongo = useMongoClient();
let slow: LatencyProxy;
beforeAll(async () => {
  placeJobs('this-thread');
  slow = await startLatencyProxy(mongo.uri, { delayMs: 30 });
});
afterAll(async () => {
  placeJobs('worker');
  await slow?.stop();
});

/** Worker threads alive in this process now (Node's diagnostic report lists them). */
const workers = () => (process.report.getReport() as { workers: unknown[] }).workers.length;

async function rawDocs(db: string): Promise<Buffer[]> {
  const cursor = mongo.client
    .db(db)
    .collection('c')
    .find({}, { raw: true, sort: { _id: 1 } });
  return (await cursor.toArray()) as unknown as Buffer[];
}

async function drop(db: string) {
  await mongo.client.db(db).dropDatabase();
  await mongo.client.db(`${db}_t`).dropDatabase();
}

describe('copy job in this thread (the command line)', () => {
  it('copies every document byte for byte, reports rows and phases, and starts no worker', async () => {
    const db = `cutover_here_${randomUUID().slice(0, 8)}`;
    await mongo.client
      .db(db)
      .collection('c')
      .insertMany(
        Array.from({ length: 3_000 }, (_, i) => ({
          _id: i % 2 ? new ObjectId() : (i as unknown as ObjectId),
          int: new Int32(i),
          long: Long.fromNumber(i * 1e9),
          double: new Double(i + 0.5),
          whole: new Double(10),
          dec: Decimal128.fromString(`${i}.10`),
          ts: new Timestamp({ t: i, i: 1 }),
          bin: new Binary(Buffer.from([i & 255, 0, 1]), 4),
          nested: { a: [i, 'x', null], b: { c: true } },
        })),
      );
    const { rows, phases, events } = recorder();
    let peakWorkers = 0;
    const sampler = setInterval(() => (peakWorkers = Math.max(peakWorkers, workers())), 20);
    const outcome = await startCopyJob(request(db), events, new AbortController().signal).done.finally(() =>
      clearInterval(sampler),
    );
    expect(peakWorkers).toBe(0);
    expect(outcome.namespaces[0]).toMatchObject({ docs: 3_000, status: 'done' });
    expect(outcome.verification?.[0]).toMatchObject({ missing: 0, mismatched: 0 });
    expect(phases).toEqual(expect.arrayContaining(['create', 'copy', 'indexes', 'verify']));
    expect(rows.at(-1)).toMatchObject({ docs: 3_000, status: 'done' });
    const [source, target] = [await rawDocs(db), await rawDocs(`${db}_t`)];
    expect(target.length).toBe(3_000);
    expect(target.every((doc, i) => Buffer.compare(doc, source[i]) === 0)).toBe(true);
    await drop(db);
  }, 60_000);

  it('pauses, is cancelled between batches, and a second run finishes from the checkpoints', async () => {
    const db = `cutover_here_${randomUUID().slice(0, 8)}`;
    await mongo.client
      .db(db)
      .collection('c')
      .insertMany(Array.from({ length: 8_000 }, (_, i) => ({ _id: i as unknown as ObjectId, pad: 'x'.repeat(100) })));
    const first = recorder();
    const abort = new AbortController();
    const handle = startCopyJob(
      request(db, { load: 'low', verify: 'none', targetUri: slow.uri }),
      first.events,
      abort.signal,
    );
    const copied = () => first.rows.at(-1)?.docs ?? 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => copied() > 0 && (clearInterval(timer), resolve()), 2);
    });
    handle.pause();
    await new Promise((r) => setTimeout(r, 300));
    const atPause = copied();
    await new Promise((r) => setTimeout(r, 400));
    expect(copied() - atPause).toBeLessThanOrEqual(2 * 200); // at most the batches already in flight
    handle.resume();
    abort.abort();
    const stopped = await handle.done;
    expect(stopped.cancelled).toBe(true);
    const partial = await mongo.client.db(`${db}_t`).collection('c').countDocuments();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(8_000);

    const second = recorder();
    const resumed = await startCopyJob(request(db, { load: 'low' }), second.events, new AbortController().signal).done;
    expect(resumed.resumed).toBe(true);
    expect(resumed.verification?.[0]).toMatchObject({ missing: 0, mismatched: 0, targetCount: 8_000 });
    expect(await mongo.client.db(`${db}_t`).collection('c').countDocuments()).toBe(8_000);
    await drop(db);
  }, 60_000);
});
