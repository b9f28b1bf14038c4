/**
 * BSON files as mongodump writes them: documents one after another, each prefixed by its length.
 * A document with an _id is handed on as its bytes, which are written as they are (as mongorestore does:
 * only its top-level structure is checked here, the server validates the rest); one without an _id is
 * decoded keeping every type, to be given one. A length that cannot be a document stops with the byte
 * offset named.
 *
 * Records come in groups, one per piece of the file read (a thousand 1 KB documents per step, not one
 * asynchronous step each), and a record's "document N (byte X)" label is only built when it is asked for
 * (a bad row, a refused document): issue 14, the restore's reading thread.
 */
import { BSON } from 'mongodb';
import { EXACT, InputError, MAX_BSON_BYTES } from '../formats';
import { hasIdElement } from '../../shared/raw-bson';
import type { SourceRecord } from './record';

export interface BsonOptions {
  file: string;
  startOffset?: number;
  startIndex?: number;
}

const MAX_DOC = MAX_BSON_BYTES + 16 * 1024;

/** One document of a .bson file; where it is is said only when asked. */
class BsonRecord implements SourceRecord {
  readonly end: number;
  constructor(
    readonly index: number,
    /** Byte offset of the document in the file. */
    readonly start: number,
    readonly size: number,
    readonly raw: Uint8Array | undefined,
    readonly doc: BSON.Document | undefined,
    readonly error: string | undefined,
  ) {
    this.end = start + size;
  }

  get where(): string {
    return `document ${this.index + 1} (byte ${this.start})`;
  }

  get labelOnDemand(): boolean {
    return this.doc === undefined;
  }
}

/** Cuts whole documents out of bytes read from a .bson file, counting their index and byte offset. */
export class BsonCutter {
  /** Byte offset in the file of the next document. */
  offset: number;
  /** Index of the next document. */
  index: number;

  constructor(
    private readonly file: string,
    startOffset = 0,
    startIndex = 0,
  ) {
    this.offset = startOffset;
    this.index = startIndex;
  }

  /** The length of the document at `pos` (checked), or undefined when fewer than 4 bytes are there. */
  lengthAt(bytes: Uint8Array, pos: number, end: number): number | undefined {
    if (end - pos < 4) return undefined;
    const length = bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24);
    if (length < 5 || length > MAX_DOC) {
      throw new InputError(
        `${this.file}, byte ${this.offset}: a document length of ${length} bytes is impossible: the file is not BSON (mongodump output) or is damaged there. ${this.index} documents before it were read.`,
      );
    }
    return length;
  }

  /**
   * Adds a record for each whole document in `bytes[from, end)` to `out`; returns where the first
   * document that is not whole starts (`end` when none). Records with an _id hold a view of `bytes`.
   */
  cut(bytes: Uint8Array, from: number, end: number, out: SourceRecord[]): number {
    let pos = from;
    for (;;) {
      const length = this.lengthAt(bytes, pos, end);
      if (length === undefined || end - pos < length) return pos;
      const start = this.offset;
      const at = this.index++;
      this.offset += length;
      const doc = bytes.subarray(pos, pos + length);
      pos += length;
      if (doc[length - 1] !== 0) {
        throw new InputError(
          `${this.file}, document ${at + 1} (byte ${start}): the document does not end where its length says: the file is not BSON or is damaged there.`,
        );
      }
      let record: BsonRecord;
      try {
        record = hasIdElement(doc)
          ? new BsonRecord(at, start, length, doc, undefined, undefined)
          : new BsonRecord(at, start, length, undefined, BSON.deserialize(doc, EXACT), undefined);
      } catch (error) {
        record = new BsonRecord(at, start, length, undefined, undefined, `not valid BSON: ${(error as Error).message}`);
      }
      out.push(record);
    }
  }

  /** The file ended with `left` bytes of a document. */
  truncated(left: number): InputError {
    return new InputError(
      `${this.file}, byte ${this.offset}: the file ends in the middle of document ${this.index + 1} (${left} bytes of it are there): it is truncated. ${this.index} documents before it were read.`,
    );
  }
}

/** The documents of a stream of bytes (a gzipped file, a preview's sample), one group per piece read. */
export async function* bsonRecordGroups(
  chunks: AsyncIterable<Buffer>,
  options: BsonOptions,
): AsyncGenerator<SourceRecord[]> {
  const cutter = new BsonCutter(options.file, options.startOffset, options.startIndex);
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const group: SourceRecord[] = [];
    const pos = cutter.cut(pending, 0, pending.length, group);
    if (group.length) yield group;
    pending = pos === pending.length ? Buffer.alloc(0) : Buffer.from(pending.subarray(pos));
  }
  if (pending.length) throw cutter.truncated(pending.length);
}

/** The same, one record at a time. */
export async function* bsonRecords(chunks: AsyncIterable<Buffer>, options: BsonOptions): AsyncGenerator<SourceRecord> {
  for await (const group of bsonRecordGroups(chunks, options)) yield* group;
}
