/**
 * BSON files as mongodump writes them: documents one after another, each prefixed by its length.
 * A document with an _id is handed on as its bytes, which are written as they are (as mongorestore does:
 * only its top-level structure is checked here, the server validates the rest); one without an _id is
 * decoded keeping every type, to be given one. A length that cannot be a document stops with the byte
 * offset named.
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

export async function* bsonRecords(chunks: AsyncIterable<Buffer>, options: BsonOptions): AsyncGenerator<SourceRecord> {
  let offset = options.startOffset ?? 0;
  let index = options.startIndex ?? 0;
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let pos = 0;
    while (pending.length - pos >= 4) {
      const length = pending.readInt32LE(pos);
      if (length < 5 || length > MAX_DOC) {
        throw new InputError(
          `${options.file}, byte ${offset}: a document length of ${length} bytes is impossible: the file is not BSON (mongodump output) or is damaged there. ${index} documents before it were read.`,
        );
      }
      if (pending.length - pos < length) break;
      const bytes = pending.subarray(pos, pos + length);
      const where = `document ${index + 1} (byte ${offset})`;
      pos += length;
      offset += length;
      const at = index++;
      if (bytes[length - 1] !== 0) {
        throw new InputError(
          `${options.file}, ${where}: the document does not end where its length says: the file is not BSON or is damaged there.`,
        );
      }
      let record: SourceRecord;
      try {
        record = hasIdElement(bytes)
          ? { index: at, where, raw: bytes, size: length, end: offset }
          : { index: at, where, doc: BSON.deserialize(bytes, EXACT), size: length, end: offset };
      } catch (error) {
        record = { index: at, where, error: `not valid BSON: ${(error as Error).message}`, size: length, end: offset };
      }
      yield record;
    }
    pending = pos === pending.length ? Buffer.alloc(0) : Buffer.from(pending.subarray(pos));
  }
  if (pending.length) {
    throw new InputError(
      `${options.file}, byte ${offset}: the file ends in the middle of document ${index + 1} (${pending.length} bytes of it are there): it is truncated. ${index} documents before it were read.`,
    );
  }
}
