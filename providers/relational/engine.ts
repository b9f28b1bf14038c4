/**
 * The relational → MongoDB engine: opens a consistent snapshot of the source, builds each collection's
 * documents by merging its sorted streams (build.ts), writes them unordered in batches through the shared
 * writer (idempotent on _id), records a checkpoint on the target after every batch, obeys pause / cancel
 * between batches, reports progress per collection, and verifies: document counts against the snapshot's
 * rows, and a sample of documents rebuilt from the snapshot and compared byte for byte with the target's.
 */
import { MongoClient, type Db } from 'mongodb';
import { BatchWriter, showId } from '../shared/mongo-writer';
import { idOf } from '../shared/raw-bson';
import { DocumentBuilder } from './build';
import { RelationalCheckpoints } from './checkpoints';
import { resolveMapping, type CollectionPlan, type MappingDocument } from './mapping';
import { planStreams } from './query-plan';
import type { Dialect } from './schema';
import { openSource, type Row, type Snapshot, type SnapshotMode } from './source';
import { emptyNotes, type ConversionNotes } from './types';
import { CutoverError } from '../api/index';

export type RelationalConflict = 'abort' | 'drop' | 'overwrite';
export type RelationalVerify = 'sample' | 'none';

export interface RelationalRequest {
  /** The same job always has the same key: running it again resumes it. */
  jobKey: string;
  dialect: Dialect;
  sourceUri: string;
  /** PostgreSQL schemas to read (default: all but the system ones). */
  schemas?: string[];
  targetUri: string;
  targetDb: string;
  mapping: MappingDocument;
  snapshot: SnapshotMode;
  conflict: RelationalConflict;
  verify: RelationalVerify;
  sampleSize: number;
  /** Documents per write (default 1000). */
  batchDocs?: number;
  /** Rows per fetch from the source (default 2000). */
  fetchRows?: number;
  /** Collections built at the same time (default 2). */
  parallel?: number;
}

export interface CollectionResult {
  key: string;
  table: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  docs: number;
  /** Rows of the root table (counted in the snapshot). */
  totalDocs?: number;
  /** Rows read from every table for this collection. */
  rows: number;
  bytes: number;
}

export interface CollectionVerification {
  key: string;
  sourceRows: number;
  targetDocs: number;
  checked: number;
  missing: string[];
  different: string[];
}

export interface RelationalOutcome {
  cancelled: boolean;
  resumed: boolean;
  snapshot: string;
  collections: CollectionResult[];
  verification?: CollectionVerification[];
  notes: ConversionNotes;
  /** Child rows skipped because their container row was not in the snapshot. */
  orphans: number;
}

export interface RelationalEvents {
  phase(name: 'prepare' | 'copy' | 'verify'): void;
  collection(result: CollectionResult): void;
  warn(message: string): void;
}

export interface JobControl {
  isCancelled(): boolean;
  whenRunnable(): Promise<void>;
}

export const NO_CONTROL: JobControl = { isCancelled: () => false, whenRunnable: () => Promise.resolve() };

export class RelationalError extends CutoverError {
  override name = 'RelationalError';
  constructor(
    message: string,
    readonly outcome: RelationalOutcome,
  ) {
    super(message);
  }
}

const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export async function runRelational(
  request: RelationalRequest,
  events: RelationalEvents,
  control: JobControl = NO_CONTROL,
): Promise<RelationalOutcome> {
  const outcome: RelationalOutcome = {
    cancelled: false,
    resumed: false,
    snapshot: '',
    collections: [],
    notes: emptyNotes(),
    orphans: 0,
  };
  const source = openSource(request.dialect, request.sourceUri, request.schemas);
  const target = new MongoClient(request.targetUri, { appName: 'Cutover', serverSelectionTimeoutMS: 15_000 });
  let snapshot: Snapshot | undefined;
  try {
    events.phase('prepare');
    const schema = await source.introspect();
    const resolved = resolveMapping(schema, request.mapping);
    if (resolved.errors.length) throw new Error(`The mapping cannot be used: ${resolved.errors.join(' ')}`);
    if (resolved.collections.length === 0) throw new Error('The mapping includes no table.');
    await target.connect();
    const db = target.db(request.targetDb);
    const checkpoints = new RelationalCheckpoints(target, request.jobKey);
    outcome.resumed = await checkpoints.unfinished();
    if (!outcome.resumed) {
      await prepareTarget(db, resolved.collections, request.conflict);
      await checkpoints.begin();
    }
    snapshot = await source.snapshot(request.snapshot);
    outcome.snapshot = snapshot.description;
    const results = new Map<string, CollectionResult>();
    for (const plan of resolved.collections) {
      const result: CollectionResult = {
        key: plan.name,
        table: plan.root.table.id,
        status: 'pending',
        docs: 0,
        rows: 0,
        bytes: 0,
      };
      results.set(plan.name, result);
      outcome.collections.push(result);
      events.collection({ ...result });
    }
    events.phase('copy');
    const samples = new Map<string, Row[]>();
    const queue = [...resolved.collections];
    const workers = Array.from({ length: Math.min(request.parallel ?? 2, queue.length) }, async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) {
        if (control.isCancelled()) return;
        const result = results.get(plan.name)!;
        try {
          samples.set(
            plan.name,
            await copyCollection(plan, request, snapshot!, db, checkpoints, result, outcome, events, control),
          );
        } catch (error) {
          result.status = 'failed';
          events.collection({ ...result });
          throw error;
        }
      }
    });
    const settled = await Promise.allSettled(workers);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    if (control.isCancelled()) {
      outcome.cancelled = true;
      for (const r of outcome.collections)
        if (r.status === 'pending' || r.status === 'running')
          events.collection({ ...r, status: (r.status = 'skipped') });
      return outcome;
    }
    if (request.verify !== 'none') {
      events.phase('verify');
      outcome.verification = [];
      for (const plan of resolved.collections)
        outcome.verification.push(
          await verifyCollection(plan, request, snapshot, db, results.get(plan.name)!, samples.get(plan.name) ?? []),
        );
    }
    await checkpoints.finish();
    return outcome;
  } catch (error) {
    throw new RelationalError((error as Error).message, outcome);
  } finally {
    await snapshot?.close().catch(() => undefined);
    await source.close().catch(() => undefined);
    await target.close().catch(() => undefined);
  }
}

async function prepareTarget(db: Db, plans: CollectionPlan[], conflict: RelationalConflict): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const busy: string[] = [];
  for (const plan of plans) {
    if (!existing.has(plan.name)) continue;
    if (conflict === 'drop') await db.collection(plan.name).drop();
    else if (conflict === 'abort' && (await db.collection(plan.name).estimatedDocumentCount()) > 0)
      busy.push(`${db.databaseName}.${plan.name}`);
  }
  if (busy.length)
    throw new Error(
      `The target already has documents in ${busy.join(', ')}: nothing was written. Choose "drop the target collections first" or "overwrite", or another target database.`,
    );
}

function where(request: RelationalRequest, name: string): string {
  return `${request.targetDb}.${name}`;
}

/** Copies one collection from its checkpoint on; returns a sample of root keys for verification. */
async function copyCollection(
  plan: CollectionPlan,
  request: RelationalRequest,
  snapshot: Snapshot,
  db: Db,
  checkpoints: RelationalCheckpoints,
  result: CollectionResult,
  outcome: RelationalOutcome,
  events: RelationalEvents,
  control: JobControl,
): Promise<Row[]> {
  const state = await checkpoints.load(plan.name);
  const stream = planStreams(request.dialect, plan);
  const table = plan.root.table;
  const tableRef =
    request.dialect === 'postgres'
      ? `"${table.schema.replace(/"/g, '""')}"."${table.name.replace(/"/g, '""')}"`
      : `\`${table.schema.replace(/`/g, '``')}\`.\`${table.name.replace(/`/g, '``')}\``;
  result.totalDocs = Number((await snapshot.query(() => `SELECT count(*) FROM ${tableRef}`))[0][0]);
  // A table without a primary key has no order to resume from: it restarts, its _ids make that harmless.
  const resumeAfter = stream.hashAt === undefined ? state.last : undefined;
  result.docs = resumeAfter ? state.docs : 0;
  if (state.done) {
    result.status = 'done';
    events.collection({ ...result });
    return [];
  }
  result.status = 'running';
  events.collection({ ...result });
  const fetchRows = request.fetchRows ?? 2000;
  const builder = await DocumentBuilder.open(stream, {
    dialect: request.dialect,
    collection: where(request, plan.name),
    idFields: plan.idFields,
    notes: outcome.notes,
    open: (s) => snapshot.stream(s.query({ resumeAfter }), fetchRows),
  });
  const writer = new BatchWriter(db, plan.name, {
    conflict: request.conflict === 'overwrite' ? 'overwrite' : 'abort',
    where: where(request, plan.name),
    maxDocs: request.batchDocs ?? 1000,
    warn: (message) => events.warn(message),
  });
  const sample: Row[] = [];
  let seen = 0;
  let lastReport = 0;
  let failure: unknown;
  let pending: Promise<void> | undefined;
  const duplicatesAreOurs = outcome.resumed;
  try {
    for (;;) {
      await control.whenRunnable();
      if (control.isCancelled()) break;
      const batch = await builder.nextBatch(writer.batchSize, MAX_BATCH_BYTES);
      await pending;
      if (failure) throw failure;
      if (!batch) break;
      for (const key of batch.keys) {
        // Reservoir sampling: every document has the same chance of being verified.
        seen++;
        if (sample.length < request.sampleSize) sample.push(key);
        else {
          const slot = Math.floor(Math.random() * seen);
          if (slot < request.sampleSize) sample[slot] = key;
        }
      }
      pending = (async () => {
        await writer.writeRaw({ raws: batch.raws, bytes: batch.bytes }, { duplicatesAreOurs });
        result.docs += batch.raws.length;
        result.bytes += batch.bytes;
        for (const n of batch.rows.values()) result.rows += n;
        if (batch.lastKey) await checkpoints.save(plan.name, { last: batch.lastKey, docs: result.docs, done: false });
        const now = Date.now();
        if (now - lastReport >= 100) {
          lastReport = now;
          events.collection({ ...result });
        }
      })().catch((error) => {
        failure = error;
      });
    }
    await pending;
    if (failure) throw failure;
  } finally {
    outcome.orphans += builder.orphans;
    await builder.close();
  }
  if (control.isCancelled()) {
    events.collection({ ...result });
    return sample;
  }
  await checkpoints.save(plan.name, { docs: result.docs, done: true });
  result.status = 'done';
  events.collection({ ...result });
  if (builder.orphans)
    events.warn(
      `${plan.name}: ${builder.orphans} embedded rows had no container row in the snapshot and were left out.`,
    );
  return sample;
}

async function verifyCollection(
  plan: CollectionPlan,
  request: RelationalRequest,
  snapshot: Snapshot,
  db: Db,
  result: CollectionResult,
  sample: Row[],
): Promise<CollectionVerification> {
  const collection = db.collection(plan.name);
  let targetDocs = await collection.estimatedDocumentCount();
  const sourceRows = result.totalDocs ?? 0;
  if (targetDocs !== sourceRows) targetDocs = await collection.countDocuments({});
  const verification: CollectionVerification = {
    key: plan.name,
    sourceRows,
    targetDocs,
    checked: 0,
    missing: [],
    different: [],
  };
  if (sample.length === 0) return verification;
  const stream = planStreams(request.dialect, plan);
  const builder = await DocumentBuilder.open(stream, {
    dialect: request.dialect,
    collection: where(request, plan.name),
    idFields: plan.idFields,
    notes: emptyNotes(),
    open: (s) => snapshot.stream(s.query({ only: sample }), 1000),
  });
  try {
    for (;;) {
      const batch = await builder.nextBatch(500, MAX_BATCH_BYTES);
      if (!batch) break;
      const expected = new Map(batch.raws.map((raw) => [showId(idOf(raw)), raw]));
      const ids = batch.raws.map((raw) => idOf(raw));
      const found = (await collection
        .find({ _id: { $in: ids } } as never, { raw: true })
        .toArray()) as unknown as Buffer[];
      const seen = new Set<string>();
      for (const raw of found) {
        const id = showId(idOf(raw));
        seen.add(id);
        const want = expected.get(id);
        if (want && !Buffer.from(want).equals(raw)) verification.different.push(id);
      }
      for (const id of expected.keys()) if (!seen.has(id)) verification.missing.push(id);
      verification.checked += expected.size;
    }
  } finally {
    await builder.close();
  }
  return verification;
}
