/**
 * A .bson file (not gzipped) read into a few buffers that are used again, instead of a new buffer per
 * piece read. The documents handed on are views of those buffers, so a buffer is read into again only
 * once every document in it was written: the import says so with `release(index)` after each batch.
 *
 * Why (issue 14): a stream allocates a new 1 MB buffer per read, and those buffers live for a batch or
 * two, long enough to be moved to V8's old generation, where they wait for the next full collection.
 * V8 runs one only when tens of MB of such buffers have piled up, and the process keeps that memory.
 * Reused buffers are never garbage: the restore's peak memory and its collector's work both drop.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ByteCounter } from '../source-stream';
import type { SourceRecord } from './record';
import { BsonCutter, type BsonOptions } from './bson';

/** Bytes read at a time; a document larger than this gets a buffer of its own. */
const PIECE = 1 << 20;

/** A buffer documents were cut from, and the index of the last of them. */
interface InUse {
  buffer: Buffer;
  last: number;
}

export class BsonFileReader implements AsyncIterable<SourceRecord[]> {
  private readonly free: Buffer[] = [];
  private readonly inUse: InUse[] = [];
  private handle?: FileHandle;

  constructor(
    private readonly options: BsonOptions & { counter: ByteCounter },
    /** Buffers of PIECE bytes to start with (tests set it to see buffers used again). */
    private readonly newBuffer: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
  ) {}

  /** Every document up to `index` (included) was written: the buffers that held only those may be read into again. */
  release(index: number): void {
    while (this.inUse.length && this.inUse[0].last <= index) {
      const { buffer } = this.inUse.shift()!;
      if (buffer.length === PIECE) this.free.push(buffer);
    }
  }

  /** How many buffers exist (in use or free): stays small however large the file is. */
  get buffers(): number {
    return this.free.length + this.inUse.length;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SourceRecord[]> {
    const { file, counter } = this.options;
    const cutter = new BsonCutter(file, this.options.startOffset, this.options.startIndex);
    let position = this.options.startOffset ?? 0;
    counter.bytes = position;
    this.handle = await open(file, 'r');
    try {
      let buffer = this.take(PIECE);
      let have = 0; // bytes of `buffer` holding what was read and not cut yet (from 0)
      for (;;) {
        const { bytesRead } = await this.handle.read(buffer, have, buffer.length - have, position);
        if (bytesRead === 0) {
          if (have) throw cutter.truncated(have);
          return;
        }
        position += bytesRead;
        counter.bytes = position;
        const end = have + bytesRead;
        const group: SourceRecord[] = [];
        const cutTo = cutter.cut(buffer, 0, end, group);
        // The document that is not whole yet moves to the start of the next buffer, taken now: once
        // this one is handed on it may be released (and read into) while the group is being written.
        const left = end - cutTo;
        const next = this.take(Math.max(PIECE, cutter.lengthAt(buffer, cutTo, end) ?? 0));
        buffer.copy(next, 0, cutTo, end);
        if (group.length) this.inUse.push({ buffer, last: cutter.index - 1 });
        else this.recycle(buffer);
        buffer = next;
        have = left;
        if (group.length) yield group;
      }
    } finally {
      await this.close();
    }
  }

  private take(size: number): Buffer {
    if (size === PIECE) {
      const reused = this.free.pop();
      if (reused) return reused;
    }
    return this.newBuffer(size);
  }

  private recycle(buffer: Buffer): void {
    if (buffer.length === PIECE) this.free.push(buffer);
  }
}
