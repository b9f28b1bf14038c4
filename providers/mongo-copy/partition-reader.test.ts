/**
 * The copy's read path against the test server (or MONGODB_URI): batches cut from the replies, documents
 * carried over when a batch is full, and the replies of written batches freed at once (issue 14) without
 * touching a reply that the cursor or a carried-over document still needs.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import type { PartitionState } from './checkpoints';
import { PartitionReader } from './partition-reader';

const mongo = useMongoClient();

const partition = (): PartitionState => ({
  id: 'p0',
  typeClass: 'number',
  ns: 'x',
  docs: 0,
  bytes: 0,
  skipped: 0,
  done: false,
});

/** A fresh collection of `count` documents padded to about `padTo` bytes, and its documents' bytes in _id order. */
async function seeded(count: number, padTo: number) {
  const db = `cutover_reader_${randomUUID().slice(0, 8)}`;
  const coll = mongo.client.db(db).collection<{ _id: number; pad: string }>('c');
  await coll.insertMany(Array.from({ length: count }, (_, i) => ({ _id: i, pad: `${i}`.padEnd(padTo, '.') })));
  const source = (await coll.find({}, { raw: true, sort: { _id: 1 } }).toArray()) as unknown as Buffer[];
  return { db, coll, source };
}

describe('PartitionReader', () => {
  it('frees the replies of written batches, never one still needed, and every document arrives byte for byte', async () => {
    const { db, coll, source } = await seeded(3_000, 1_000);

    const reader = new PartitionReader(coll as never, partition());
    const copied: Buffer[] = [];
    const released = new Set<ArrayBufferLike>();
    try {
      // 300 documents or 200 KB a batch out of replies of 300 (~300 KB): batches end mid-reply, the rest carried over.
      // As the copy does: the next batch is read while this one is written, then this one is released.
      let pending = reader.next(300, 200 * 1024);
      for (;;) {
        const batch = await pending;
        if (batch.raws.length === 0) break;
        pending = reader.next(300, 200 * 1024);
        for (const raw of batch.raws) copied.push(Buffer.from(raw));
        await new Promise((resolve) => setTimeout(resolve, 10));
        const carried = (reader as unknown as { carry: Uint8Array[] }).carry;
        reader.release(batch);
        for (const raw of batch.raws) if (raw.buffer.byteLength === 0) released.add(raw.buffer);
        // What is still to be written is intact (the batch read ahead is checked when it is copied).
        expect(carried.every((raw) => raw.byteLength > 0)).toBe(true);
      }
    } finally {
      await reader.close();
    }
    expect(copied.length).toBe(3_000);
    expect(copied.every((doc, i) => doc.equals(source[i]))).toBe(true);
    expect(released.size).toBeGreaterThan(3);
    await mongo.client.db(db).dropDatabase();
  }, 60_000);

  it('never frees a reply whose documents a batch still being read holds, when that batch spans several replies', async () => {
    // Replies smaller than batches (a cursor reopened while the writer's batches were halved, then grown
    // back; a server that caps its replies): a read-ahead batch takes the rest of one reply, all of the
    // next, and waits for a third. The batch written meanwhile shares that first reply and is released;
    // the reply must be kept (a first version freed it: the documents read empty).
    const { db, coll, source } = await seeded(1_200, 2_000);

    const reader = new PartitionReader(coll as never, partition());
    const currentReply = () =>
      (reader as unknown as { cursor?: { documents?: { batch?: { bson?: Uint8Array } } } }).cursor?.documents?.batch
        ?.bson?.buffer;
    try {
      // Replies of 100 documents (~200 KB); this batch takes half of the first one.
      const first = await reader.next(50, 64 * 1024 * 1024);
      const firstReply = first.raws[0].buffer;
      expect(currentReply()).toBe(firstReply);
      const copied = first.raws.map((raw) => Buffer.from(raw));
      // The next batch wants 1,000: the first reply's other half, then replies fetched one by one.
      let settled = false;
      const pending = reader.next(1_000, 64 * 1024 * 1024).finally(() => (settled = true));
      const seen = new Set<ArrayBufferLike>([firstReply]);
      while (!settled && seen.size < 3) {
        await new Promise((resolve) => setImmediate(resolve));
        const reply = currentReply();
        if (reply) seen.add(reply);
      }
      expect(settled, 'the batch is still being read when the first one is released').toBe(false);
      reader.release(first);
      const second = await pending;
      expect(second.raws[0].buffer).toBe(firstReply);
      copied.push(...second.raws.map((raw) => Buffer.from(raw)));
      expect(copied.length).toBe(1_050);
      expect(copied.every((doc, i) => doc.equals(source[i]))).toBe(true);
      // Once that batch is written too, its replies go.
      reader.release(second);
      expect(firstReply.byteLength).toBe(0);
    } finally {
      await reader.close();
    }
    await mongo.client.db(db).dropDatabase();
  }, 60_000);
});
