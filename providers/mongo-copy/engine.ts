/**
 * The MongoDB copy engine: streams documents from a source collection to a target in batches capped by
 * count and bytes, with unordered writes, a conflict policy, retries on transient errors, collection
 * options and views recreated and indexes built after the data. Byte-exact: documents are decoded with
 * every BSON wrapper type kept (Int32, Double, Long, Decimal128, regex flags) so they re-encode identically.
 *
 * Runs inside the copy worker (see copy-worker.ts); it has no knowledge of the UI.
 */
import { BSON, MongoBulkWriteError, MongoClient, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

export type ConflictPolicy = 'abort' | 'drop' | 'skip' | 'overwrite';

export interface NamespaceSpec {
  sourceDb: string;
  sourceColl: string;
  targetDb: string;
  targetColl: string;
}

export interface CopyRequest {
  sourceUri: string;
  targetUri: string;
  namespaces: NamespaceSpec[];
  conflict: ConflictPolicy;
  batchDocs?: number;
  batchBytes?: number;
  /** Milliseconds a server may take to answer before the copy gives up on it. */
  timeoutMs?: number;
}

export type NamespaceStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface NamespaceResult {
  key: string;
  docs: number;
  bytes: number;
  /** Documents left alone because the target already had their _id (policy "skip"). */
  skipped: number;
  status: NamespaceStatus;
  kind: 'collection' | 'view';
}

export interface CopyEvents {
  namespace(result: NamespaceResult): void;
  warn(message: string): void;
}

export interface CopyOutcome {
  cancelled: boolean;
  namespaces: NamespaceResult[];
}

export class CopyError extends Error {
  constructor(
    message: string,
    readonly outcome: CopyOutcome,
  ) {
    super(message);
    this.name = 'CopyError';
  }
}

export const nsKey = (db: string, coll: string) => `${db}.${coll}`;

/** Decoding that keeps every BSON type as it was, so the document re-encodes byte for byte. */
const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 16500, 429]);
const MAX_ATTEMPTS = 6;

export async function runCopy(request: CopyRequest, events: CopyEvents, isCancelled: () => boolean): Promise<CopyOutcome> {
  const timeout = request.timeoutMs ?? 15_000;
  const clientOptions = { serverSelectionTimeoutMS: timeout, connectTimeoutMS: timeout, appName: 'Cutover copy' };
  const source = new MongoClient(request.sourceUri, clientOptions);
  const target = new MongoClient(request.targetUri, clientOptions);
  const results = request.namespaces.map<NamespaceResult>((ns) => ({ key: nsKey(ns.targetDb, ns.targetColl), docs: 0, bytes: 0, skipped: 0, status: 'pending', kind: 'collection' }));
  const outcome: CopyOutcome = { cancelled: false, namespaces: results };
  try {
    await Promise.all([source.connect(), target.connect()]);
    const infos = await Promise.all(request.namespaces.map((ns) => describeSource(source, ns)));
    if (request.conflict === 'abort') await refuseNonEmptyTargets(target, request.namespaces, outcome);

    for (const [index, ns] of request.namespaces.entries()) {
      const result = results[index];
      const info = infos[index];
      result.kind = info.type === 'view' ? 'view' : 'collection';
      if (isCancelled()) {
        outcome.cancelled = true;
        break;
      }
      result.status = 'running';
      events.namespace({ ...result });
      try {
        await prepareTarget(target, ns, info, request.conflict, events);
        if (info.type !== 'view') {
          await copyDocuments(source, target, ns, request, result, events, isCancelled);
          if (isCancelled()) {
            outcome.cancelled = true;
            result.status = 'skipped';
            events.namespace({ ...result });
            break;
          }
          await buildIndexes(source, target, ns);
        }
        result.status = 'done';
        events.namespace({ ...result });
      } catch (error) {
        result.status = 'failed';
        events.namespace({ ...result });
        throw new CopyError(error instanceof Error ? error.message : String(error), outcome);
      }
    }
    return outcome;
  } catch (error) {
    if (error instanceof CopyError) throw error;
    throw new CopyError(error instanceof Error ? error.message : String(error), outcome);
  } finally {
    await Promise.all([source.close().catch(() => undefined), target.close().catch(() => undefined)]);
  }
}

interface SourceInfo {
  type: string;
  options: Document;
}

async function describeSource(source: MongoClient, ns: NamespaceSpec): Promise<SourceInfo> {
  const [info] = await source.db(ns.sourceDb).listCollections({ name: ns.sourceColl }, { nameOnly: false }).toArray();
  if (!info) throw new Error(`Source collection ${nsKey(ns.sourceDb, ns.sourceColl)} does not exist.`);
  return { type: String(info.type ?? 'collection'), options: (info as { options?: Document }).options ?? {} };
}

async function refuseNonEmptyTargets(target: MongoClient, namespaces: NamespaceSpec[], outcome: CopyOutcome): Promise<void> {
  for (const ns of namespaces) {
    const existing = await target.db(ns.targetDb).listCollections({ name: ns.targetColl }, { nameOnly: true }).toArray();
    if (existing.length === 0) continue;
    const count = await target.db(ns.targetDb).collection(ns.targetColl).estimatedDocumentCount();
    if (count > 0) {
      throw new CopyError(
        `Target ${nsKey(ns.targetDb, ns.targetColl)} already holds ${count.toLocaleString('en-US')} documents; nothing was written. Choose "drop target first", "skip existing" or "overwrite" to copy into it.`,
        outcome,
      );
    }
  }
}

async function prepareTarget(target: MongoClient, ns: NamespaceSpec, info: SourceInfo, conflict: ConflictPolicy, events: CopyEvents): Promise<void> {
  const db = target.db(ns.targetDb);
  let exists = (await db.listCollections({ name: ns.targetColl }, { nameOnly: true }).toArray()).length > 0;
  if (exists && (conflict === 'drop' || info.type === 'view')) {
    await db.collection(ns.targetColl).drop();
    exists = false;
  }
  if (exists) {
    events.warn(`${nsKey(ns.targetDb, ns.targetColl)} already existed on the target: its options were kept as they are.`);
    return;
  }
  await db.createCollection(ns.targetColl, info.options);
}

async function copyDocuments(
  source: MongoClient,
  target: MongoClient,
  ns: NamespaceSpec,
  request: CopyRequest,
  result: NamespaceResult,
  events: CopyEvents,
  isCancelled: () => boolean,
): Promise<void> {
  const maxDocs = request.batchDocs ?? 1_000;
  const maxBytes = request.batchBytes ?? 16 * 1024 * 1024;
  const collection = target.db(ns.targetDb).collection(ns.targetColl);
  const cursor = source.db(ns.sourceDb).collection(ns.sourceColl).find({}, { raw: true, batchSize: maxDocs });
  let batch: Document[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const skipped = await writeBatch(collection, batch, request.conflict, nsKey(ns.targetDb, ns.targetColl), events);
    result.docs += batch.length - skipped;
    result.skipped += skipped;
    result.bytes += batchBytes;
    batch = [];
    batchBytes = 0;
    events.namespace({ ...result });
  };
  try {
    for await (const raw of cursor as AsyncIterable<Uint8Array>) {
      const doc = BSON.deserialize(raw, EXACT);
      if (batch.length >= maxDocs || (batchBytes + raw.byteLength > maxBytes && batch.length > 0)) {
        await flush();
        if (isCancelled()) return;
      }
      batch.push(doc);
      batchBytes += raw.byteLength;
    }
    await flush();
  } finally {
    await cursor.close().catch(() => undefined);
  }
}

/** Writes one batch; returns how many documents were skipped as already present. */
async function writeBatch(collection: Collection, batch: Document[], conflict: ConflictPolicy, where: string, events: CopyEvents): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (conflict === 'overwrite') {
        const ops: AnyBulkWriteOperation[] = batch.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }));
        await collection.bulkWrite(ops, { ordered: false, bypassDocumentValidation: true });
      } else {
        await collection.insertMany(batch, { ordered: false, bypassDocumentValidation: true });
      }
      return 0;
    } catch (error) {
      if (error instanceof MongoBulkWriteError) {
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        // With "skip", duplicates are the target's own documents; after a retry they are our earlier writes.
        const duplicatesOk = conflict === 'skip' || attempt > 1;
        const problems = writeErrors.filter((e) => !(e.code === 11000 && duplicatesOk));
        if (problems.length === 0) return conflict === 'skip' ? writeErrors.length : 0;
        if (!problems.every((e) => TRANSIENT_CODES.has(e.code))) {
          const first = problems[0];
          throw new Error(`${where}: document _id ${showId(batch[first.index]?._id)} was refused by the target (code ${first.code}): ${first.errmsg}`);
        }
      } else if (!isTransient(error)) {
        throw new Error(`${where}: writing a batch of ${batch.length} documents failed: ${(error as Error).message}`);
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${where}: the target kept failing after ${MAX_ATTEMPTS} attempts: ${(error as Error).message}`);
      const delay = Math.min(5_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
      events.warn(`${where}: transient error (${(error as Error).message}); retrying in ${Math.round(delay)} ms.`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function isTransient(error: unknown): boolean {
  const e = error as { code?: number; name?: string; hasErrorLabel?(label: string): boolean };
  if (e.name === 'MongoNetworkError' || e.name === 'MongoNetworkTimeoutError' || e.name === 'MongoServerSelectionError') return true;
  if (e.hasErrorLabel?.('RetryableWriteError') || e.hasErrorLabel?.('TransientTransactionError')) return true;
  return typeof e.code === 'number' && TRANSIENT_CODES.has(e.code);
}

async function buildIndexes(source: MongoClient, target: MongoClient, ns: NamespaceSpec): Promise<void> {
  const specs = await source.db(ns.sourceDb).collection(ns.sourceColl).listIndexes().toArray();
  const indexes = specs
    .filter((spec) => spec.name !== '_id_')
    .map(({ v: _v, ns: _ns, ...spec }) => spec as { key: Document; name: string });
  if (indexes.length === 0) return;
  await target.db(ns.targetDb).command({ createIndexes: ns.targetColl, indexes });
}

export function showId(id: unknown): string {
  try {
    return BSON.EJSON.stringify(id, { relaxed: true });
  } catch {
    return String(id);
  }
}
