/**
 * The export engine (runs in the files worker): a cursor of raw BSON → JSON array, JSON Lines,
 * Extended JSON (canonical or relaxed), CSV/TSV, or a mongodump folder (`<db>/<coll>.bson[.gz]` and
 * `<coll>.metadata.json[.gz]`, as mongorestore reads them; a view is only its `.metadata.json`, as
 * mongodump writes it). Output goes to `<name>.partial`, renamed when complete; on cancel or failure the
 * partial file is removed, or kept under that name when asked. Pause holds between batches.
 */
import { createWriteStream, lstatSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { BSON, MongoClient, type Db, type Document } from 'mongodb';
import { CsvColumnSampler, cellText, valueAt } from './csv-cells';
import { EjsonBuffer } from './ejson-text';
import { rawBatches } from '../shared/raw-cursor';
import { EXACT, type EjsonMode, type ExportFormat } from './formats';
import { CutoverError } from '../api/index';

export interface ExportRequest {
  uri: string;
  db: string;
  coll: string;
  format: ExportFormat;
  ejson: EjsonMode;
  /** Extended JSON filter. */
  query?: string;
  /** CSV columns (dotted paths), or a projection for the other formats. */
  fields?: string[];
  gzip: boolean;
  /** A file, or for mongodump the output folder (the dump goes to `<out>/<db>/`). */
  out: string;
  keepPartial: boolean;
  /** Documents sampled to choose the CSV columns. */
  sampleSize?: number;
  timeoutMs?: number;
}

export interface ExportOutcome {
  cancelled: boolean;
  docs: number;
  bytes: number;
  /** The finished file (or folder), or the partial file that was kept. */
  file?: string;
  partial?: string;
  fields?: string[];
  /** mongodump of a view: only its definition was written (mongodump writes no documents for a view). */
  view?: { viewOn: string };
}

export interface ExportEvents {
  progress(counts: { docs: number; totalDocs: number; bytes: number }): void;
  warn(message: string): void;
}

export interface ExportControl {
  isCancelled(): boolean;
  /** Resolves at once, or when the person resumes a paused export. */
  whenRunnable(): Promise<void>;
}

export class ExportError extends CutoverError {
  override name = 'ExportError';
  constructor(
    message: string,
    readonly outcome: ExportOutcome,
  ) {
    super(message);
  }
}

const FLUSH_CHARS = 256 * 1024;
/** The cursor's batch size: pausing at its boundaries leaves no batch half-read while paused. */
const BATCH_DOCS = 1000;
/** A wait at a pause point longer than this was a pause (for explaining a cursor the server closed meanwhile). */
const PAUSED_MS = 1000;

export function exportTarget(request: Pick<ExportRequest, 'out' | 'format' | 'db' | 'coll' | 'gzip'>): string {
  if (request.format === 'mongodump')
    return path.join(request.out, request.db, `${request.coll}.bson${request.gzip ? '.gz' : ''}`);
  return request.out;
}

/** mongodump: `<out>/<db>/<coll>.metadata.json[.gz]`, beside the .bson (alone for a view). */
export function exportMetadataFile(request: Pick<ExportRequest, 'out' | 'db' | 'coll' | 'gzip'>): string {
  return path.join(request.out, request.db, `${request.coll}.metadata.json${request.gzip ? '.gz' : ''}`);
}

export async function runExport(
  request: ExportRequest,
  events: ExportEvents,
  control: ExportControl,
): Promise<ExportOutcome> {
  const isCancelled = () => control.isCancelled();
  const timeout = request.timeoutMs ?? 15_000;
  const client = new MongoClient(request.uri, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    appName: 'Cutover export',
  });
  const target = exportTarget(request);
  const partial = `${target}.partial`;
  const outcome: ExportOutcome = { cancelled: false, docs: 0, bytes: 0 };
  let file: WriteStream | undefined;
  let paused = false;
  try {
    // Whoever asked, a read-only file or another user's is never replaced: said before any work.
    refuseProtected(target);
    if (request.format === 'mongodump') refuseProtected(exportMetadataFile(request));
    await client.connect();
    const db = client.db(request.db);
    const info = request.format === 'mongodump' ? await collectionInfo(db, request.coll) : undefined;
    if (info?.type === 'view') return await exportViewDefinition(request, info, events, outcome);
    const collection = db.collection(request.coll);
    const filter = request.query ? (BSON.EJSON.parse(request.query, { relaxed: false }) as Document) : {};
    const projection =
      request.fields?.length && request.format !== 'csv' && request.format !== 'tsv' && request.format !== 'mongodump'
        ? Object.fromEntries(request.fields.map((f) => [f, 1]))
        : undefined;
    const totalDocs = Object.keys(filter).length
      ? await collection.countDocuments(filter)
      : await collection.estimatedDocumentCount();
    events.progress({ docs: 0, totalDocs, bytes: 0 });
    let fields: string[] | undefined;
    if (request.format === 'csv' || request.format === 'tsv') {
      fields = request.fields?.length ? request.fields : await sampleFields(client, request, filter, events.warn);
      outcome.fields = fields;
      if (!fields.length) fields = ['_id'];
    }
    await mkdir(path.dirname(partial), { recursive: true });
    file = createWriteStream(partial);
    const gzip = request.gzip ? createGzip({ level: 6 }) : undefined;
    if (gzip) gzip.pipe(file);
    const out: Writable = gzip ?? file;
    const failed = outputFailure(file, gzip);
    const write = async (text: string | Buffer) => {
      // Encoded once here (counting the bytes of a string and then writing it would encode it twice).
      const chunk = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      outcome.bytes += chunk.length;
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    };
    const cursor = collection.find(filter, { raw: true, batchSize: BATCH_DOCS, projection });
    const delimiter = request.format === 'tsv' ? '\t' : ',';
    if (fields) await write(stringify([fields], { delimiter }));
    if (request.format === 'json') await write('[');
    const ejson = new EjsonBuffer(request.ejson === 'relaxed', FLUSH_CHARS + 64 * 1024);
    let rows: string[][] = [];
    let binary: Uint8Array[] = [];
    let binaryLength = 0;
    let lastReport = 0;
    reading: for await (const batch of rawBatches(cursor)) {
      for (const raw of batch) {
        if (isCancelled()) break reading;
        if (request.format === 'mongodump') {
          binary.push(raw);
          binaryLength += raw.length;
          if (binaryLength >= FLUSH_CHARS) {
            await write(Buffer.concat(binary));
            binary = [];
            binaryLength = 0;
          }
        } else if (fields) {
          const doc = BSON.deserialize(raw, EXACT);
          rows.push(fields.map((f) => cellText(valueAt(doc, f))));
          if (rows.length >= 500) {
            await write(stringify(rows, { delimiter }));
            rows = [];
          }
        } else {
          if (request.format === 'json') ejson.text(outcome.docs === 0 ? '\n' : ',\n');
          ejson.document(raw);
          if (request.format !== 'json') ejson.newline();
          if (ejson.length >= FLUSH_CHARS) await write(ejson.take());
        }
        outcome.docs++;
        const now = Date.now();
        const batchEnd = outcome.docs % BATCH_DOCS === 0;
        if (batchEnd || now - lastReport >= 100) {
          lastReport = now;
          events.progress({ docs: outcome.docs, totalDocs, bytes: outcome.bytes });
        }
        if (batchEnd) {
          paused = (await waitWhilePaused(control)) || paused;
          if (isCancelled()) break reading; // cancelled while paused: do not ask the server for another batch
        }
      }
    }
    if (binary.length) await write(Buffer.concat(binary));
    if (rows.length) await write(stringify(rows, { delimiter }));
    if (request.format === 'json') ejson.text(outcome.docs ? '\n]\n' : ']\n');
    if (ejson.length) await write(ejson.take());
    out.end();
    await Promise.race([finished(file), failed]);
    file = undefined;
    if (isCancelled()) {
      outcome.cancelled = true;
      await dropPartial(partial, request.keepPartial, outcome);
      return outcome;
    }
    if (request.format === 'mongodump') await writeMetadata(request, info, await collection.listIndexes().toArray());
    refuseProtected(target);
    await rename(partial, target);
    outcome.file = request.format === 'mongodump' ? path.join(request.out, request.db) : target;
    events.progress({ docs: outcome.docs, totalDocs: Math.max(totalDocs, outcome.docs), bytes: outcome.bytes });
    return outcome;
  } catch (error) {
    if (file) {
      file.destroy();
      await finished(file).catch(() => undefined); // settles at once for a stream that already closed
    }
    await dropPartial(partial, request.keepPartial, outcome);
    const message = describeFailure(error, paused, partial, request.keepPartial);
    throw new ExportError(
      `Exporting ${request.db}.${request.coll} failed after ${outcome.docs.toLocaleString('en-US')} ${outcome.docs === 1 ? 'document' : 'documents'}: ${message}`,
      outcome,
    );
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function dropPartial(partial: string, keep: boolean, outcome: ExportOutcome): Promise<void> {
  if (keep) outcome.partial = partial;
  else await rm(partial, { force: true });
}

/** The CSV columns from a sample (see CsvColumnSampler); warns about a field that is both a value and a sub-document. */
async function sampleFields(
  client: MongoClient,
  request: ExportRequest,
  filter: Document,
  warn: (message: string) => void,
): Promise<string[]> {
  const sampler = new CsvColumnSampler();
  const cursor = client
    .db(request.db)
    .collection(request.coll)
    .find(filter, { raw: true, limit: request.sampleSize ?? 1000 });
  for await (const raw of cursor as unknown as AsyncIterable<Buffer>) sampler.add(BSON.deserialize(raw, EXACT));
  const both = sampler.conflicts();
  if (both.length) {
    const list = both.map((name) => `"${name}"`).join(', ');
    warn(
      `${list} ${both.length === 1 ? 'holds' : 'hold'} a value in some documents and a sub-document in others: the CSV has ${both.length === 1 ? 'that column' : 'those columns'} beside the flattened ones (${both.map((name) => `${name}.…`).join(', ')}), so no value is lost; importing the file back refuses such a header: export with fields, or to JSON, to keep them apart.`,
    );
  }
  return sampler.columns();
}

/** Holds while the export is paused; true when it was (the wait was long). */
async function waitWhilePaused(control: ExportControl): Promise<boolean> {
  const started = Date.now();
  await control.whenRunnable();
  return Date.now() - started >= PAUSED_MS;
}

/**
 * Rejects with the first error of the output (a full disk, a folder that went away…), closing both
 * streams, so that no write waits forever for a 'drain' that will not come.
 */
function outputFailure(file: WriteStream, gzip: Writable | undefined): Promise<never> {
  const failed = new Promise<never>((_, reject) => {
    const fail = (error: Error) => {
      gzip?.destroy();
      file.destroy();
      reject(error);
    };
    file.once('error', fail);
    gzip?.once('error', fail);
  });
  failed.catch(() => undefined); // seen by whoever awaits it; never unhandled
  return failed;
}

function describeFailure(error: unknown, paused: boolean, partial: string, keptPartial: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return `writing ${partial} failed: the disk is full (or over its quota). The partial file was ${keptPartial ? 'kept' : 'removed'}; free some space, or export somewhere else, and export again.`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `writing ${partial} failed: ${code === 'EROFS' ? 'the disk is read-only' : 'permission denied'}. Choose a folder you can write to.`;
  // A server closes a cursor left idle too long (10 minutes by default): a long pause loses the rest of the query.
  if (paused && (error as { code?: number }).code === 43) {
    return `the server closed the export's cursor while the export was paused (${message}); servers close a cursor left idle for 10 minutes by default. Export again, and resume sooner after a pause.`;
  }
  return message;
}

type CollectionInfo = {
  name: string;
  type?: string;
  options?: Document;
  info?: { uuid?: { toString(encoding?: string): string } };
};

async function collectionInfo(db: Db, coll: string): Promise<CollectionInfo | undefined> {
  const [info] = await db.listCollections({ name: coll }).toArray();
  return info as CollectionInfo | undefined;
}

/** mongodump writes a view as its definition alone (no .bson): mongorestore and the import recreate it. */
async function exportViewDefinition(
  request: ExportRequest,
  info: CollectionInfo,
  events: ExportEvents,
  outcome: ExportOutcome,
): Promise<ExportOutcome> {
  const viewOn = String(info.options?.viewOn ?? '');
  if (request.query)
    events.warn(
      `The query was not used: ${request.db}.${request.coll} is a view (on ${viewOn}), which mongodump output holds as its definition, not as documents.`,
    );
  outcome.bytes = await writeMetadata(request, info, []);
  outcome.view = { viewOn };
  outcome.file = path.join(request.out, request.db);
  events.progress({ docs: 0, totalDocs: 0, bytes: outcome.bytes });
  return outcome;
}

/**
 * `<coll>.metadata.json` as mongodump writes it: options, indexes, uuid, collectionName, type. Written
 * to `.partial` and renamed, so a dump never holds half a metadata file. Returns its size.
 */
async function writeMetadata(
  request: ExportRequest,
  info: CollectionInfo | undefined,
  indexes: Document[],
): Promise<number> {
  const uuid = info?.info?.uuid;
  const metadata = {
    indexes,
    uuid: uuid ? uuid.toString('hex').replace(/-/g, '') : '',
    collectionName: request.coll,
    type: info?.type ?? 'collection',
    options: info?.options ?? {},
  };
  const text = BSON.EJSON.stringify(metadata, { relaxed: false });
  const file = exportMetadataFile(request);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.partial`, request.gzip ? gzipSync(text) : text);
  refuseProtected(file);
  await rename(`${file}.partial`, file);
  return Buffer.byteLength(text);
}

export class ProtectedFileError extends CutoverError {
  override name = 'ProtectedFileError';
}

/**
 * Throws when `file` exists and Cutover must not replace it: read-only, another user's, or not a regular
 * file. (rename() would replace a read-only file in a writable folder; this is the check that does not.)
 */
export function refuseProtected(file: string): void {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  if (!stat.isFile())
    throw new ProtectedFileError(
      `${file} is not a regular file (a folder, a link or a device): Cutover does not replace it.`,
    );
  if (uid !== undefined && stat.uid !== uid)
    throw new ProtectedFileError(`${file} belongs to another user: Cutover never replaces it.`);
  if ((stat.mode & 0o200) === 0) throw new ProtectedFileError(`${file} is read-only: Cutover never replaces it.`);
}
