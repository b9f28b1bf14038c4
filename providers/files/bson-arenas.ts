/**
 * Decoded documents (JSON, CSV rows) encoded to BSON into a few 1 MB buffers that are used again once
 * the documents in them are written, instead of a new buffer per document.
 *
 * Why (issue 14): `BSON.serialize` gives each document a buffer of its own, and those live until their
 * batch is written, long enough to reach V8's old generation, where they wait for the next full
 * collection; an import's peak memory was mostly such garbage. The bytes are the same: bson encodes
 * into its own scratch buffer either way and copies the result out, here into the arena.
 */
import { BSON, type Document } from 'mongodb';

/** An arena's size; a larger document gets a buffer of its own. */
const ARENA = 1 << 20;

export class BsonArenas {
  private current: Buffer | undefined;
  private used = 0;
  /** Index of the last document encoded into the current arena. */
  private last = -1;
  private readonly free: Buffer[] = [];
  private readonly full: Array<{ buffer: Buffer; last: number }> = [];

  /** The document (record `index`) as BSON: a view of an arena, valid until `release` passes `index`. */
  encode(doc: Document, index: number): Uint8Array {
    for (let attempt = 0; attempt < 2; attempt++) {
      const arena = (this.current ??= this.free.pop() ?? Buffer.allocUnsafe(ARENA));
      const start = this.used;
      try {
        const end = BSON.serializeWithBufferAndIndex(doc, arena, { index: start });
        this.used = end + 1;
        this.last = index;
        return arena.subarray(start, end + 1);
      } catch (error) {
        // Did not fit (copying out of bson's scratch buffer failed: nothing was written).
        if (!(error instanceof RangeError)) throw error;
        if (start === 0) break;
        this.retire();
      }
    }
    return BSON.serialize(doc);
  }

  /** Every document up to `index` (included) was written: arenas holding only those may be used again. */
  release(index: number): void {
    while (this.full.length && this.full[0].last <= index) this.free.push(this.full.shift()!.buffer);
    if (this.current && this.used > 0 && this.last <= index) {
      this.used = 0;
      this.last = -1;
    }
  }

  /** How many arenas exist (in use or free): a few, however many documents are encoded. */
  get arenas(): number {
    return this.free.length + this.full.length + (this.current ? 1 : 0);
  }

  private retire(): void {
    if (this.current) this.full.push({ buffer: this.current, last: this.last });
    this.current = undefined;
    this.used = 0;
    this.last = -1;
  }
}
