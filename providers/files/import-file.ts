/**
 * One source file imported into its collection: the collection prepared (dropped, refused or created with
 * the dump's options), its records read and checked, written in batches (import-batches.ts) with a
 * checkpoint after each, then its dump's indexes restored and the count checked. Called by the import
 * engine (import-engine.ts) for each file in turn.
 */
import path from 'node:path';
import { BSON, ObjectId, type Document, type MongoClient } from 'mongodb';
import { BatchWriter, type RefusedDocument } from '../shared/mongo-writer';
import { BsonArenas } from './bson-arenas';
import { ImportBatches } from './import-batches';
import { rawWritesSupported } from '../shared/raw-writes';
import { withRetry } from '../shared/mongo-retry';
import { readMetadata } from './dump-metadata';
import type { ErrorLog } from './error-log';
import { InputError, MAX_BSON_BYTES } from './formats';
import { newIdPrefix, type ImportCheckpoint, type ImportCheckpoints } from './import-checkpoints';
import { checkpointKey } from './import-preflight';
import type { Control, ImportEvents, ImportRequest, ImportSource, SourceResult } from './import-request';
import { checkCount } from '../shared/count-check';
import { bsonRecordGroups } from './readers/bson';
import { BsonFileReader } from './readers/bson-file';
import { csvRecords } from './readers/csv';
import { jsonRecords } from './readers/json';
import { ndjsonRecords } from './readers/ndjson';
import type { SourceRecord } from './readers/record';
import { checkedUtf8, describeStreamError, openSource, type ByteCounter } from './source-stream';
import { CutoverError } from '../api/index';

/** The count check at the end of an import failed: the target does not hold what was written. */
export class CountCheckError extends CutoverError {
  override name = 'CountCheckError';
}

export async function importOne(
  client: MongoClient,
  checkpoints: ImportCheckpoints,
  request: ImportRequest,
  source: ImportSource,
  result: SourceResult,
  log: ErrorLog,
  events: ImportEvents,
  control: Control,
): Promise<void> {
  const where = `${request.db}.${source.coll}`;
  const retry = <T>(operation: () => Promise<T>) =>
    withRetry(operation, (error, delay) =>
      events.warn(`${where}: transient error (${error.message}); retrying in ${Math.round(delay)} ms.`),
    );
  const { key, size } = await checkpointKey(source, request);
  result.totalBytes = size;
  const previous = await retry(() => checkpoints.load(key));
  const resuming = previous?.state === 'importing';
  const collection = client.db(request.db).collection(source.coll);
  const metadata = source.metadataFile ? await readMetadata(source.metadataFile) : undefined;
  let cp: ImportCheckpoint;
  if (resuming) {
    cp = previous;
    result.resumed = true;
    result.docs = cp.docs;
    result.bad = cp.bad;
    result.skipped = cp.skipped;
  } else {
    if (request.conflict === 'drop')
      await retry(() => collection.drop().catch((e: { code?: number }) => (e.code === 26 ? false : Promise.reject(e))));
    if (request.conflict === 'abort') {
      const present = await retry(() => collection.countDocuments({}, { limit: 1 }));
      if (present > 0)
        throw new InputError(
          `${where} already holds documents. Choose what to do with them: drop the collection first, keep documents whose _id is already there (skip), or overwrite them.`,
        );
    }
    if (metadata) await createWithOptions(client, request.db, source.coll, metadata.options, events);
    await log.flushed();
    const at = log.position();
    cp = {
      _id: key,
      state: 'importing',
      file: path.resolve(source.file),
      db: request.db,
      coll: source.coll,
      index: 0,
      docs: 0,
      bad: 0,
      skipped: 0,
      errorLog: log.file,
      logBytes: at.bytes,
      logRows: at.rows,
      idPrefix: newIdPrefix(),
      startedAt: new Date(),
      updatedAt: new Date(),
    };
    await retry(() => checkpoints.begin(cp));
  }
  const idPrefix = Buffer.from(cp.idPrefix, 'hex');
  const seekable =
    resuming && !source.gzip && cp.offset !== undefined && (source.format === 'ndjson' || source.format === 'bson');
  const counter: ByteCounter = { bytes: 0 };
  const reader = readerFor(source, request, counter, seekable ? cp : undefined);
  const arenas = new BsonArenas();
  // Documents the target refuses (a duplicate _id, one too large for it…) are bad rows like the others.
  const refused: RefusedDocument[] = [];
  const writer = new BatchWriter(client.db(request.db), source.coll, {
    conflict: request.conflict,
    where,
    maxDocs: request.batchDocs,
    warn: events.warn,
    refused: (doc) => refused.push(doc),
  });
  let lastReport = 0;
  const report = (force = false) => {
    result.bytes = counter.bytes;
    const now = Date.now();
    if (force || now - lastReport >= 100) {
      lastReport = now;
      events.source({ ...result });
    }
  };
  // While a batch is written, the next one is read (import-batches.ts).
  const batches = new ImportBatches({
    writer,
    refused,
    log,
    file: source.file,
    where,
    onError: request.onError,
    counts: result,
    start: cp,
    resuming,
    saveCheckpoint: (progress) => retry(() => checkpoints.save(key, progress)),
    report,
    written: (index) => {
      reader.release(index);
      arenas.release(index);
    },
  });
  try {
    reading: for await (const group of reader.groups) {
      for (const record of group) {
        if (record.index < cp.index) continue; // written before the interruption
        if (control.isCancelled()) break reading;
        let problem = record.error;
        const tooLarge = record.raw
          ? record.size > MAX_BSON_BYTES
          : record.doc &&
            (record.size === 0 || record.size > MAX_BSON_BYTES / 4) &&
            BSON.calculateObjectSize(record.doc) > MAX_BSON_BYTES;
        if (!problem && tooLarge) problem = 'the document is larger than 16 MB, the most MongoDB stores';
        if (!problem && !record.doc && !record.raw) problem = 'empty record';
        let doc = record.doc;
        let raw = record.raw;
        if (!problem && !raw && doc) {
          if (doc._id === undefined) {
            const id = Buffer.alloc(12);
            idPrefix.copy(id, 0);
            id.writeUInt32BE(record.index >>> 0, 8);
            doc = { _id: new ObjectId(id), ...doc };
          }
          // Encoded once, here, and sent as it is (the driver's insertMany would size and encode it again).
          if (rawWritesSupported) {
            try {
              raw = arenas.encode(doc, record.index);
            } catch (error) {
              problem = `the document cannot be stored as BSON: ${(error as Error).message}`;
            }
          }
        }
        if (problem && request.onError === 'stop') {
          // The checkpoint stays at the record before the bad row (read again when the import is run
          // again), and so does the log's position: the row is logged after it, once however often it is run.
          await batches.drain();
          result.bad++;
          log.add(source.file, record.where, problem);
          throw new InputError(
            `${source.file}, ${record.where}: ${problem}. Stopped at the first bad row: ${result.docs.toLocaleString('en-US')} documents before it are in ${where}. Fix the row, or choose to continue past bad rows (each is logged), and run the import again.`,
          );
        }
        if (problem) batches.addBad(record, problem);
        else if (raw) batches.addRaw(record, raw);
        else batches.addDoc(record, doc!);
        // Between batches, a pause takes effect.
        if (batches.full) {
          await control.whenRunnable();
          await batches.send();
        }
      }
    }
    // Cancelled: the batch in flight completes (and is checkpointed); the one being gathered is not sent.
    if (control.isCancelled()) {
      await batches.settle();
      await batches.saveAcked();
    } else await batches.drain();
  } catch (error) {
    // What was acknowledged is saved (best effort): running the import again carries on from there.
    await batches.settle().catch(() => undefined);
    await batches.saveAcked().catch(() => undefined);
    throw describeStreamError(source.file, error);
  } finally {
    await reader.close();
  }
  if (control.isCancelled()) {
    result.status = 'skipped';
    report(true);
    return;
  }
  if (metadata?.indexes.length) {
    events.phase('indexes');
    result.indexes = await restoreIndexes(client, request.db, source.coll, metadata.indexes);
  }
  // The count check ends every import: what was written and acknowledged must be there. Not with
  // overwrite: a file may repeat an _id, so the count of writes says nothing about the count of documents.
  if (request.conflict !== 'overwrite') {
    const check = await retry(() =>
      checkCount(client.db(request.db), source.coll, {
        namespace: where,
        policy: request.conflict,
        written: result.docs,
      }),
    );
    if (!check.ok) {
      const cause =
        check.target !== undefined && check.target < check.expected
          ? ': the target lost documents during the import (was it restarted without its data, replaced, or the collection dropped?)'
          : '';
      throw new CountCheckError(
        `${check.sentence.replace(/\.$/, '')}${cause}. The import is not complete: run it again choosing to drop the collection first`,
      );
    }
  }
  await retry(() => checkpoints.finish(key));
  result.status = 'done';
  report(true);
}

/** A source's records, in groups (one per piece read), and what to do with them when written or stopped. */
interface SourceReader {
  groups: AsyncIterable<readonly SourceRecord[]>;
  /** The records up to `index` were written (a reader that reuses its buffers may read into them again). */
  release(index: number): void;
  close(): Promise<void>;
}

function readerFor(
  source: ImportSource,
  request: ImportRequest,
  counter: ByteCounter,
  from: ImportCheckpoint | undefined,
): SourceReader {
  const file = source.file;
  if (source.format === 'bson' && !source.gzip) {
    const reader = new BsonFileReader({ file, startOffset: from?.offset, startIndex: from?.index, counter });
    return { groups: reader, release: (index) => reader.release(index), close: () => reader.close() };
  }
  const stream = openSource(file, { gzip: source.gzip, start: from?.offset ?? 0, counter });
  const streamed = (groups: AsyncIterable<readonly SourceRecord[]>): SourceReader => ({
    groups,
    release: () => undefined,
    close: async () => void stream.destroy(),
  });
  switch (source.format) {
    case 'bson':
      return streamed(bsonRecordGroups(stream, { file, startOffset: from?.offset, startIndex: from?.index }));
    case 'ndjson':
      return streamed(
        ones(
          ndjsonRecords(checkedUtf8(stream, file, from?.line ?? 1), {
            file,
            maxLineBytes: request.maxLineBytes,
            startOffset: from?.offset,
            startLine: from?.line,
            startIndex: from?.index,
          }),
        ),
      );
    case 'json':
      return streamed(
        ones(jsonRecords(checkedUtf8(stream, file), { file, gzip: source.gzip, array: source.jsonArray ?? true })),
      );
    case 'csv':
    case 'tsv':
      return streamed(
        ones(
          csvRecords(checkedUtf8(stream, file), {
            file,
            delimiter: source.delimiter ?? (source.format === 'tsv' ? '\t' : ','),
            types: source.types ?? {},
            ignoreEmpty: request.ignoreEmpty,
            maxRecordBytes: request.maxLineBytes,
          }),
        ),
      );
  }
}

/**
 * Records one at a time, as groups of one: a text format's records hold decoded documents, which are
 * best encoded as soon as each is parsed (a whole group of them alive at once would outlive young GCs).
 */
async function* ones(records: AsyncIterable<SourceRecord>): AsyncGenerator<readonly SourceRecord[]> {
  for await (const record of records) yield [record];
}

async function createWithOptions(
  client: MongoClient,
  db: string,
  coll: string,
  options: Document,
  events: ImportEvents,
): Promise<void> {
  const exists = await client.db(db).listCollections({ name: coll }, { nameOnly: true }).toArray();
  if (exists.length) {
    if (Object.keys(options).length)
      events.warn(`${db}.${coll} exists already: its options were left as they are (the dump's were not applied).`);
    return;
  }
  await client.db(db).command({ create: coll, ...options });
}

async function restoreIndexes(client: MongoClient, db: string, coll: string, indexes: Document[]): Promise<number> {
  const specs = indexes
    .filter((ix) => ix.name !== '_id_')
    .map((ix) => {
      const { ns: _ns, ...rest } = ix;
      return rest;
    });
  if (!specs.length) return 0;
  await client.db(db).command({ createIndexes: coll, indexes: specs });
  return specs.length;
}
