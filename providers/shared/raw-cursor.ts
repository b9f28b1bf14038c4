/**
 * Documents of a raw cursor's current batch (`find(…, { raw: true })`), taken as slices of the reply
 * without the driver's per-document work. `readBufferedDocuments` wraps each document of a raw batch in
 * an on-demand document whose constructor parses all its top-level elements, only to hand back its
 * bytes: for a copy of documents that are never decoded that was most of the reading CPU (issue 14).
 *
 * The reply's batch is an array whose elements the driver has already located (type, name and value
 * offsets); each document's bytes are cut from there and the batch's read position is moved on, as
 * `readBufferedDocuments` does. That batch lives in the driver's internals (not its public API), so
 * its shape is checked on every call and anything unexpected falls back to `readBufferedDocuments`;
 * the copy's tests (byte-exact documents of every BSON type, resume) run through this path.
 */
import type { AbstractCursor } from 'mongodb';

/** The driver's element tuple: [type, nameOffset, nameLength, valueOffset, valueLength]. */
type Element = readonly [number, number, number, number, number];

interface BufferedBatch {
  iterated: number;
  batchSize: number;
  batch: { bson: Uint8Array; elements: readonly Element[] };
}

const TYPE_DOCUMENT = 0x03;

function bufferedBatch(cursor: AbstractCursor): BufferedBatch | undefined {
  const documents = (cursor as unknown as { documents?: unknown }).documents as
    Partial<BufferedBatch> | null | undefined;
  if (!documents || typeof documents.iterated !== 'number') return undefined;
  const batch = documents.batch;
  if (
    !batch ||
    !(batch.bson instanceof Uint8Array) ||
    !Array.isArray(batch.elements) ||
    documents.batchSize !== batch.elements.length
  )
    return undefined;
  return documents as BufferedBatch;
}

/** Up to `max` documents of the cursor's buffered batch, as the bytes of the reply (never copied). */
export function readRawBuffered(cursor: AbstractCursor, max: number): Uint8Array[] {
  const buffered = bufferedBatch(cursor);
  if (!buffered) return cursor.readBufferedDocuments(max) as unknown as Uint8Array[];
  const { bson, elements } = buffered.batch;
  const from = buffered.iterated;
  const to = Math.min(elements.length, from + max);
  const out: Uint8Array[] = [];
  for (let i = from; i < to; i++) {
    const element = elements[i];
    if (element[0] !== TYPE_DOCUMENT) {
      // Not a document (never from a find): leave the rest to the driver.
      buffered.iterated = i;
      return out.concat(cursor.readBufferedDocuments(max - out.length) as unknown as Uint8Array[]);
    }
    out.push(bson.subarray(element[3], element[3] + element[4]));
  }
  buffered.iterated = to;
  return out;
}

/**
 * Replies below this size are left to the collector: a reply that came in one socket read (64 KB at most)
 * is a slice of that read's buffer; a larger one was assembled into a buffer of its own.
 */
const RELEASED_FROM_BYTES = 128 * 1024;

/**
 * Frees at once replies whose documents (cut by `readRawBuffered`) have all been written and are not read
 * again; the caller knows which. The reply the cursor still holds is kept, and so is every reply when the
 * cursor's batch is not of the shape `readRawBuffered` knows. Such a reply lives for a batch or two, long
 * enough to be promoted by V8's young collections; its 512 KB then waited for a full collection (issue 14:
 * a 1M-document copy's peak RSS, median of 5 runs, 158 -> 152 MB). The buffer is detached, as a transfer
 * to another thread would: reading those documents afterwards finds them empty.
 */
export function releaseReplies(replies: Iterable<ArrayBufferLike>, cursor: AbstractCursor | undefined): void {
  const current = cursor ? bufferedBatch(cursor) : undefined;
  if (cursor && !current) return;
  for (const reply of replies) {
    if (reply === current?.batch.bson.buffer) continue;
    if (reply instanceof ArrayBuffer && reply.byteLength >= RELEASED_FROM_BYTES)
      structuredClone(reply, { transfer: [reply] });
  }
}

/**
 * A raw cursor's documents, one buffered batch at a time, cut from the replies as `readRawBuffered`
 * does (the driver's own iteration parses every document's elements only to hand back its bytes). The
 * cursor is closed when the loop ends early.
 */
export async function* rawBatches(cursor: AbstractCursor): AsyncGenerator<Uint8Array[]> {
  try {
    while (cursor.bufferedCount() > 0 || (await cursor.hasNext()))
      yield readRawBuffered(cursor, cursor.bufferedCount());
  } finally {
    await cursor.close();
  }
}
