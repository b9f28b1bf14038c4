/**
 * The import engine (runs in the files worker): file → reader → batches → BatchWriter, streaming with
 * backpressure, so memory does not grow with the file. Progress in bytes read and documents; a
 * checkpoint on the target after every batch; bad rows stop the import or go to the error log.
 *
 * Documents without an _id get one derived from the import and the record's position, so re-sending a
 * batch after a crash hits its own duplicates instead of inserting the documents twice.
 *
 * A mongodump folder's views are created last (dump-views.ts): they read the collections imported first.
 */
import path from 'node:path';
import { BSON, MongoClient, ObjectId, type Document } from 'mongodb';
import { BatchWriter, type RefusedDocument, type WritePolicy } from '../shared/mongo-writer';
import { ImportBatches } from './import-batches';
import { rawWritesSupported } from '../shared/raw-writes';
import { withRetry } from '../shared/mongo-retry';
import type { CsvType } from './csv-types';
import { readMetadata } from './dump-metadata';
import { readViews, refuseTakenViewNames, restoreViews, type ImportView, type ViewResult } from './dump-views';
import { ErrorLog, type ErrorLogLimits } from './error-log';
import { InputError, MAX_BSON_BYTES, type OnError } from './formats';
import {
  CheckpointLostError,
  ImportCheckpoints,
  importKey,
  newIdPrefix,
  type ImportCheckpoint,
} from './import-checkpoints';
import { checkCount } from '../shared/count-check';
import { bsonRecords } from './readers/bson';
import { csvRecords } from './readers/csv';
import { jsonRecords } from './readers/json';
import { ndjsonRecords } from './readers/ndjson';
import type { SourceRecord } from './readers/record';
import { checkedUtf8, describeStreamError, openSource, refuseIrregular, type ByteCounter } from './source-stream';
import { stat } from 'node:fs/promises';
import { CutoverError } from '../api/index';

export interface ImportSource {
  file: string;
  format: 'json' | 'ndjson' | 'csv' | 'tsv' | 'bson';
  gzip: boolean;
  coll: string;
  jsonArray?: boolean;
  delimiter?: string;
  types?: Record<string, CsvType>;
  /** mongodump: the collection's .metadata.json (options and indexes to restore). */
  metadataFile?: string;
}

export interface ImportRequest {
  uri: string;
  db: string;
  sources: ImportSource[];
  conflict: WritePolicy;
  onError: OnError;
  ignoreEmpty: boolean;
  maxLineBytes: number;
  batchDocs: number;
  /** mongodump folder: its views, created after the collections. */
  views?: ImportView[];
  /** Where bad rows are logged (created on the first one); an interrupted import carries on with its own. */
  errorLog: string;
  /** How much the error log takes before it counts only (default: 100,000 rows or 100 MB). */
  errorLogLimits?: ErrorLogLimits;
  timeoutMs?: number;
}

export interface SourceResult {
  file: string;
  coll: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  docs: number;
  bad: number;
  skipped: number;
  bytes: number;
  totalBytes: number;
  resumed: boolean;
  indexes: number;
}

export interface ImportOutcome {
  cancelled: boolean;
  resumed: boolean;
  sources: SourceResult[];
  views: ViewResult[];
  errorLog?: string;
  /** Bad rows of the whole import (earlier runs of it included). */
  errorCount: number;
  /** True when the error log reached its cap: later bad rows were counted, not logged. */
  errorLogCapped?: boolean;
  firstErrors: string[];
  /** The target lost documents during the import (its checkpoint vanished, or the count check failed). */
  targetLost?: boolean;
}

export type ImportPhase = 'import' | 'indexes' | 'views';

export interface ImportEvents {
  phase(name: ImportPhase): void;
  source(result: SourceResult): void;
  view?(result: ViewResult): void;
  warn(message: string): void;
}

export interface Control {
  isCancelled(): boolean;
  whenRunnable(): Promise<void>;
}

export class ImportError extends CutoverError {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly outcome: ImportOutcome,
  ) {
    super(message);
  }
}

export async function runImport(
  request: ImportRequest,
  events: ImportEvents,
  control: Control,
): Promise<ImportOutcome> {
  const timeout = request.timeoutMs ?? 15_000;
  const client = new MongoClient(request.uri, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    appName: 'Cutover import',
  });
  const heading = `Cutover import into ${request.db} (${new Date().toISOString()}): rows that were not imported`;
  let log = new ErrorLog(request.errorLog, heading, request.errorLogLimits);
  const results = request.sources.map<SourceResult>((s) => ({
    file: s.file,
    coll: s.coll,
    status: 'pending',
    docs: 0,
    bad: 0,
    skipped: 0,
    bytes: 0,
    totalBytes: 0,
    resumed: false,
    indexes: 0,
  }));
  const outcome: ImportOutcome = {
    cancelled: false,
    resumed: false,
    sources: results,
    views: [],
    errorCount: 0,
    firstErrors: [],
  };
  /** Closes the error log (its last lines written) and fills in the outcome. */
  const settle = async () => {
    await log.close();
    if (log.failure)
      events.warn(
        `The error log ${log.file} could not be written (${log.failure.message}): the first ${Math.min(log.count, log.first.length)} bad rows are listed in the result.`,
      );
    outcome.cancelled = control.isCancelled();
    outcome.errorCount = results.reduce((sum, r) => sum + r.bad, 0);
    outcome.firstErrors = log.first;
    outcome.errorLog = log.used ? log.file : undefined;
    outcome.errorLogCapped = log.capped;
    outcome.resumed = results.some((r) => r.resumed);
  };
  try {
    refuseInvalidNames(request);
    await client.connect();
    const checkpoints = new ImportCheckpoints(client);
    const continued = await continuedLog(checkpoints, request, events.warn);
    if (continued) {
      log = new ErrorLog(continued.errorLog!, heading, request.errorLogLimits);
      log.resume({ bytes: continued.logBytes ?? 0, rows: continued.logRows ?? 0 });
    }
    const views = await readViews(request.views ?? []);
    outcome.views = views.map((v) => ({
      coll: v.coll,
      viewOn: v.viewOn,
      metadataFile: v.metadataFile,
      status: 'pending',
    }));
    outcome.views.forEach((v) => events.view?.({ ...v }));
    // With "abort", a view whose name is taken stops the import before any collection is written.
    if (request.conflict === 'abort') {
      await refuseTakenCollections(client, checkpoints, request);
      await refuseTakenViewNames(client.db(request.db), views, events.warn);
    }
    events.phase('import');
    for (let i = 0; i < request.sources.length && !control.isCancelled(); i++) {
      const result = results[i];
      result.status = 'running';
      events.source({ ...result });
      try {
        await importOne(client, checkpoints, request, request.sources[i], result, log, events, control);
      } catch (error) {
        result.status = 'failed';
        events.source({ ...result });
        throw error;
      }
    }
    if (views.length && !control.isCancelled()) {
      events.phase('views');
      await restoreViews(client.db(request.db), views, request.conflict, outcome.views, events, control);
    }
    for (const r of results) if (r.status === 'pending' || r.status === 'running') r.status = 'skipped';
    for (const v of outcome.views) if (v.status === 'pending') v.status = 'skipped';
    await settle();
    return outcome;
  } catch (error) {
    await settle();
    if (error instanceof CheckpointLostError || error instanceof CountCheckError) outcome.targetLost = true;
    const message =
      error instanceof InputError ? error.message : describeStreamError(request.sources[0]?.file ?? '', error).message;
    throw new ImportError(message, outcome);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The count check at the end of an import failed: the target does not hold what was written. */
class CountCheckError extends CutoverError {
  override name = 'CountCheckError';
}

/** What identifies an import of this file into this collection (a changed file is a new import). */
export async function checkpointKey(
  source: ImportSource,
  request: Pick<ImportRequest, 'db' | 'ignoreEmpty'>,
): Promise<{ key: string; size: number }> {
  const info = await stat(source.file).catch((error) => {
    throw describeStreamError(source.file, error);
  });
  refuseIrregular(source.file, info);
  const key = importKey({
    file: path.resolve(source.file),
    size: info.size,
    mtimeMs: info.mtimeMs,
    db: request.db,
    coll: source.coll,
    format: source.format,
    delimiter: source.delimiter,
    types: source.types,
    ignoreEmpty: request.ignoreEmpty,
  });
  return { key, size: info.size };
}

/** Why MongoDB would refuse this collection name, or undefined. */
export function collectionNameProblem(db: string, coll: string): string | undefined {
  if (coll.length === 0) return 'it is empty';
  if (coll.includes('$')) return 'it contains "$"';
  if (coll.includes('\0')) return 'it contains a NUL character';
  if (coll.startsWith('.')) return 'it starts with "."';
  if (coll.startsWith('system.')) return 'names starting with "system." are reserved for MongoDB';
  if (Buffer.byteLength(`${db}.${coll}`) > 255)
    return `"${db}.${coll}" is longer than 255 bytes, the most MongoDB accepts`;
  return undefined;
}

/** Refuses, before anything is written, a collection or view name the target would refuse, naming the file it comes from. */
function refuseInvalidNames(request: ImportRequest): void {
  const named = [
    ...request.sources.map((s) => ({ coll: s.coll, file: s.file })),
    ...(request.views ?? []).map((v) => ({ coll: v.coll, file: v.metadataFile })),
  ];
  for (const { coll, file } of named) {
    const problem = collectionNameProblem(request.db, coll);
    if (problem) {
      throw new InputError(
        `${file}: "${coll}" is not a valid collection name (${problem}). Nothing was imported. Rename the file, or import it on its own into a collection you name.`,
      );
    }
  }
}

/**
 * The error log of an interrupted import, to carry on with: the one of the first source still importing
 * (sources run in order, so it is the furthest along).
 */
async function continuedLog(
  checkpoints: ImportCheckpoints,
  request: ImportRequest,
  warn: (message: string) => void,
): Promise<ImportCheckpoint | undefined> {
  for (const source of request.sources) {
    const { key } = await checkpointKey(source, request);
    const cp = await checkpoints.load(key);
    if (cp?.state !== 'importing' || !cp.errorLog) continue;
    // The checkpoint lives on the target, which is not trusted to name a file to write: only a log in
    // Cutover's own errors folder, by the name Cutover gives, is carried on (and cut back).
    const ours =
      path.dirname(path.resolve(cp.errorLog)) === path.dirname(path.resolve(request.errorLog)) &&
      /^import-[\w.-]+\.log$/.test(path.basename(cp.errorLog));
    if (!ours) {
      warn(
        `The checkpoint on the target names ${JSON.stringify(cp.errorLog)} as this import's error log, which is not in Cutover's errors folder: it was left alone, and bad rows go to ${request.errorLog}.`,
      );
      return undefined;
    }
    return cp;
  }
  return undefined;
}

/**
 * With "abort", every target collection is checked before anything is written (not each when its turn
 * comes), so a dump whose third collection is taken does not leave the first two imported. Collections
 * of an interrupted import that is resuming are its own.
 */
async function refuseTakenCollections(
  client: MongoClient,
  checkpoints: ImportCheckpoints,
  request: ImportRequest,
): Promise<void> {
  const taken: string[] = [];
  for (const source of request.sources) {
    const { key } = await checkpointKey(source, request);
    if ((await checkpoints.load(key))?.state === 'importing') continue;
    if ((await client.db(request.db).collection(source.coll).countDocuments({}, { limit: 1 })) > 0)
      taken.push(`${request.db}.${source.coll}`);
  }
  if (taken.length === 0) return;
  throw new InputError(
    `${taken.join(', ')} already ${taken.length === 1 ? 'holds' : 'hold'} documents. Nothing was imported. Choose what to do with them: drop ${taken.length === 1 ? 'the collection' : 'the collections'} first, keep documents whose _id is already there (skip), or overwrite them.`,
  );
}

async function importOne(
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
  const stream = openSource(source.file, { gzip: source.gzip, start: seekable ? cp.offset : 0, counter });
  const records = readerFor(source, request, stream, seekable ? cp : undefined);
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
    resuming,
    saveCheckpoint: (progress) => retry(() => checkpoints.save(key, progress)),
    report,
  });
  try {
    for await (const record of records) {
      if (record.index < cp.index) continue; // written before the interruption
      if (control.isCancelled()) break;
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
            raw = BSON.serialize(doc);
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
    // Cancelled: the batch in flight completes (and is checkpointed); the one being gathered is not sent.
    if (control.isCancelled()) await batches.settle();
    else await batches.drain();
  } catch (error) {
    stream.destroy();
    await batches.settle().catch(() => undefined);
    throw describeStreamError(source.file, error);
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

function readerFor(
  source: ImportSource,
  request: ImportRequest,
  stream: AsyncIterable<Buffer>,
  from: ImportCheckpoint | undefined,
): AsyncIterable<SourceRecord> {
  const file = source.file;
  switch (source.format) {
    case 'bson':
      return bsonRecords(stream, { file, startOffset: from?.offset, startIndex: from?.index });
    case 'ndjson':
      return ndjsonRecords(checkedUtf8(stream, file, from?.line ?? 1), {
        file,
        maxLineBytes: request.maxLineBytes,
        startOffset: from?.offset,
        startLine: from?.line,
        startIndex: from?.index,
      });
    case 'json':
      return jsonRecords(checkedUtf8(stream, file), { file, gzip: source.gzip, array: source.jsonArray ?? true });
    case 'csv':
    case 'tsv':
      return csvRecords(checkedUtf8(stream, file), {
        file,
        delimiter: source.delimiter ?? (source.format === 'tsv' ? '\t' : ','),
        types: source.types ?? {},
        ignoreEmpty: request.ignoreEmpty,
        maxRecordBytes: request.maxLineBytes,
      });
  }
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
