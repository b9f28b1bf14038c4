/**
 * The copy's read path: one partition read in _id order as raw BSON, batch by batch (capped by count and
 * bytes), its cursor reopened after the last handed-out _id when a connection drops. Used by partition-copy.ts.
 */
import type { Collection, FindCursor } from 'mongodb';
import type { PartitionState } from './checkpoints';
import { partitionFilter } from './partitions';
import { MAX_ATTEMPTS, backoff, isTransient, sleep } from '../shared/mongo-retry';
import { idOf } from '../shared/raw-bson';
import { readRawBuffered, releaseReplies } from '../shared/raw-cursor';

/** Reads one partition in _id order, batch by batch, reopening its cursor after a dropped connection. */
export class PartitionReader {
  private cursor?: FindCursor<Uint8Array>;
  private carry: Uint8Array[] = [];
  /** How many batches handed out and not yet released each reply's documents are in. */
  private readonly unreleased = new Map<ArrayBufferLike, number>();
  /** The _id of the last document handed out: a reopened cursor starts after it. */
  private position?: { value: unknown };

  constructor(
    private readonly collection: Collection,
    private readonly partition: PartitionState,
  ) {
    this.position = partition.last;
  }

  /** The next batch as raw BSON (never decoded: written as it is; only the last _id is read, for the checkpoint). */
  async next(
    maxDocs: number,
    maxBytes: number,
  ): Promise<{ raws: Uint8Array[]; bytes: number; lastId?: { value: unknown } }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.read(maxDocs, maxBytes);
      } catch (error) {
        await this.close();
        if (!isTransient(error) || attempt >= MAX_ATTEMPTS) throw error;
        await sleep(backoff(attempt));
      }
    }
  }

  private async read(maxDocs: number, maxBytes: number) {
    this.cursor ??= this.collection.find(partitionFilter(this.partition, this.position), {
      raw: true,
      sort: { _id: 1 },
      batchSize: Math.max(maxDocs, 100),
    }) as unknown as FindCursor<Uint8Array>;
    const raws: Uint8Array[] = [];
    let bytes = 0;
    // A reply is held from the first of its documents taken, not once the batch is complete: while this
    // batch waits for the next reply the one before it is written and released, and a batch that spans
    // several replies (smaller replies than batches: a cursor reopened after the writer halved its
    // batches, or a server that caps replies) holds a first reply that is no longer the cursor's.
    const held = new Set<ArrayBufferLike>();
    const take = (raw: Uint8Array): boolean => {
      if (raws.length >= maxDocs || (raws.length > 0 && bytes + raw.byteLength > maxBytes)) return false;
      raws.push(raw);
      bytes += raw.byteLength;
      if (!held.has(raw.buffer)) {
        held.add(raw.buffer);
        this.unreleased.set(raw.buffer, (this.unreleased.get(raw.buffer) ?? 0) + 1);
      }
      return true;
    };
    try {
      while (this.carry.length > 0 && take(this.carry[0])) this.carry.shift();
      while (this.carry.length === 0 && raws.length < maxDocs) {
        if (this.cursor.bufferedCount() === 0 && !(await this.cursor.hasNext())) break;
        const buffered = readRawBuffered(this.cursor, maxDocs - raws.length);
        let i = 0;
        while (i < buffered.length && take(buffered[i])) i++;
        if (i < buffered.length) this.carry = buffered.slice(i);
      }
    } catch (error) {
      // This batch is dropped (read again after the last handed-out _id): its replies are left to the collector.
      for (const reply of held) this.unhold(reply);
      throw error;
    }
    const lastId = raws.length > 0 ? { value: idOf(raws[raws.length - 1]) } : undefined;
    if (lastId) this.position = lastId;
    return { raws, bytes, lastId };
  }

  /**
   * Frees the replies of a batch that has been written, except those that a batch handed out and not yet
   * released, or a document carried over, still comes from (shared/raw-cursor.ts, `releaseReplies`).
   */
  release(batch: { raws: readonly Uint8Array[] }): void {
    const done = [...new Set(batch.raws.map((raw) => raw.buffer))].filter((reply) => this.unhold(reply));
    const carried = new Set(this.carry.map((raw) => raw.buffer));
    releaseReplies(
      done.filter((reply) => !carried.has(reply)),
      this.cursor,
    );
  }

  /** One batch fewer holds `reply`; true when none does any more. */
  private unhold(reply: ArrayBufferLike): boolean {
    const left = (this.unreleased.get(reply) ?? 1) - 1;
    if (left > 0) this.unreleased.set(reply, left);
    else this.unreleased.delete(reply);
    return left <= 0;
  }

  async close(): Promise<void> {
    const cursor = this.cursor;
    this.cursor = undefined;
    this.carry = [];
    await cursor?.close().catch(() => undefined);
  }
}
