/**
 * The MongoDB copy engine. Runs in the copy worker (copy-worker.ts); knows nothing of the UI.
 *
 *  create   collections recreated with their options (dropped first with policy "drop"), indexes too
 *           when asked to build them before the data;
 *  copy     every collection split into _id partitions (partitions.ts), copied by several streams at once:
 *           reads prefetch the next batch while the current one is written; batches are capped by count
 *           and bytes; writes are unordered, retried with jittered back-off on transient errors, and the
 *           batch size shrinks on throttling (16500 / 429) and grows back; after every batch the
 *           partition's last _id is checkpointed on the target (checkpoints.ts), so a killed job resumes;
 *  indexes  built after the data (the default); views created last;
 *  verify   counts, documents by hash, indexes and options (verify.ts).
 *
 * Byte-exact and cheap: documents are read as raw BSON and written to the target as the same bytes (see
 * BatchWriter.writeRaw); only each batch's last _id is decoded, for its checkpoint. A partition is read and
 * written by partition-reader.ts and partition-copy.ts; the target's collections, views and indexes are made
 * by target-side.ts.
 */
import { MongoClient } from 'mongodb';
import { CheckpointStore, CheckpointsLostError, type JobState, type PartitionState } from './checkpoints';
import { computePartitions } from './partitions';
import { DEFAULT_BATCH_DOCS, copyPartition } from './partition-copy';
import {
  STREAMS,
  nsKey,
  type CopyOutcome,
  type CopyRequest,
  type NamespaceResult,
  type NamespaceSpec,
  type NamespaceVerification,
} from './plan';
import { buildIndexes, prepareCollection, prepareView, whatTheTargetHolds } from './target-side';
import { verifyNamespace } from './verify';
import { MAX_ATTEMPTS, withRetry } from '../shared/mongo-retry';
import { BatchWriter } from '../shared/mongo-writer';
import { checkCount } from '../shared/count-check';
import { CutoverError } from '../api/index';

export * from './plan';

export interface CopyEvents {
  phase(name: 'create' | 'copy' | 'indexes' | 'verify'): void;
  namespace(result: NamespaceResult): void;
  warn(message: string): void;
}

export interface CopyControl {
  isCancelled(): boolean;
  /** Resolves at once when not paused, otherwise when resumed (or cancelled). */
  whenRunnable(): Promise<void>;
}

export class CopyError extends CutoverError {
  override name = 'CopyError';
  constructor(
    message: string,
    readonly outcome: CopyOutcome,
  ) {
    super(message);
  }
}

export async function runCopy(request: CopyRequest, events: CopyEvents, control: CopyControl): Promise<CopyOutcome> {
  const timeout = request.timeoutMs ?? 15_000;
  const clientOptions = {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    appName: 'Cutover copy',
    maxPoolSize: STREAMS[request.load] * 2 + 2,
  };
  const source = new MongoClient(request.sourceUri, clientOptions);
  const target = new MongoClient(request.targetUri, clientOptions);
  const results = request.namespaces.map<NamespaceResult>((ns) => ({
    key: nsKey(ns.targetDb, ns.targetColl),
    docs: 0,
    bytes: 0,
    skipped: 0,
    status: 'pending',
    kind: ns.kind,
    partitions: 0,
  }));
  const outcome: CopyOutcome = { cancelled: false, resumed: false, namespaces: results };
  const fail = (error: unknown): never => {
    if (error instanceof CopyError) throw error;
    if (error instanceof CheckpointsLostError) outcome.targetLost = true;
    throw new CopyError(error instanceof Error ? error.message : String(error), outcome);
  };
  let collections: Array<{ ns: NamespaceSpec; result: NamespaceResult }> = [];
  try {
    await Promise.all([source.connect(), target.connect()]).catch(fail);
    // One writer per target collection: its adaptive batch size is shared by the partitions' streams.
    const writers = new Map<string, BatchWriter>();
    const writerFor = (ns: NamespaceSpec, key: string) => {
      let writer = writers.get(key);
      if (!writer) {
        writer = new BatchWriter(target.db(ns.targetDb), ns.targetColl, {
          conflict: request.conflict,
          where: key,
          maxDocs: request.batchDocs ?? DEFAULT_BATCH_DOCS,
          warn: events.warn,
        });
        writers.set(key, writer);
      }
      return writer;
    };
    const store = new CheckpointStore(target, request.jobKey);
    const retry = <T>(operation: () => Promise<T>) =>
      withRetry(operation, (error, delay, next) =>
        events.warn(
          `Transient error (${error.message}); retrying (attempt ${next} of ${MAX_ATTEMPTS}) in ${Math.round(delay)} ms.`,
        ),
      );
    const previous = await retry(() => store.load());
    const resuming = !!previous && previous.state !== 'done';
    outcome.resumed = resuming;
    const job: JobState | null = resuming ? previous : null;
    if (!resuming) {
      if (request.conflict === 'abort') await refuseNonEmptyTargets(target, request.namespaces, outcome);
      await retry(() => store.begin());
    }
    const state = (key: string) => store.namespaceState(job, key);
    collections = request.namespaces
      .map((ns, i) => ({ ns, result: results[i] }))
      .filter(({ ns }) => ns.kind === 'collection');
    const views = request.namespaces
      .map((ns, i) => ({ ns, result: results[i] }))
      .filter(({ ns }) => ns.kind === 'view');

    events.phase('create');
    for (const { ns, result } of collections) {
      if (state(result.key).prepared) continue;
      await retry(() => prepareCollection(source, target, ns, request.conflict, events));
      if (request.indexes === 'before') await retry(() => buildIndexes(source, target, ns));
      await retry(() => store.markNamespace(result.key, { prepared: true, indexesDone: request.indexes === 'before' }));
    }

    events.phase('copy');
    const work: Array<{ ns: NamespaceSpec; result: NamespaceResult; partition: PartitionState }> = [];
    const remaining = new Map<string, number>();
    for (const { ns, result } of collections) {
      const saved = await retry(() => store.loadPartitions(result.key));
      const partitions =
        saved ??
        (state(result.key).dataDone
          ? []
          : await retry(async () =>
              store.savePartitions(
                result.key,
                await computePartitions(source.db(ns.sourceDb).collection(ns.sourceColl), {
                  partitionDocs: request.partitionDocs ?? 50_000,
                  maxPartitions: STREAMS[request.load] * 2,
                }),
              ),
            ));
      result.partitions = partitions.length;
      for (const p of partitions) {
        result.docs += p.docs;
        result.bytes += p.bytes;
        result.skipped += p.skipped;
        if (!p.done) work.push({ ns, result, partition: p });
      }
      const open = partitions.filter((p) => !p.done).length;
      remaining.set(result.key, open);
      result.status = open === 0 && (saved || state(result.key).dataDone) ? 'done' : 'pending';
      events.namespace({ ...result });
    }
    const namespaceDone = async (ns: NamespaceSpec, result: NamespaceResult) => {
      await retry(() => store.markNamespace(result.key, { dataDone: true }));
      if (request.indexes === 'after' && !state(result.key).indexesDone) {
        result.status = 'running';
        events.namespace({ ...result });
        await retry(() => buildIndexes(source, target, ns));
        await retry(() => store.markNamespace(result.key, { indexesDone: true }));
      }
      result.status = 'done';
      events.namespace({ ...result });
    };
    let next = 0;
    const stream = async () => {
      while (next < work.length && !control.isCancelled()) {
        const item = work[next++];
        item.result.status = 'running';
        events.namespace({ ...item.result });
        try {
          await copyPartition(
            source,
            writerFor(item.ns, item.result.key),
            item.ns,
            item.partition,
            item.result,
            request,
            resuming,
            store,
            events,
            control,
          );
        } catch (error) {
          item.result.status = 'failed';
          events.namespace({ ...item.result });
          throw error;
        }
        if (control.isCancelled()) break;
        const left = (remaining.get(item.result.key) ?? 1) - 1;
        remaining.set(item.result.key, left);
        if (left === 0) await namespaceDone(item.ns, item.result);
      }
    };
    const streams = Array.from({ length: Math.min(STREAMS[request.load], Math.max(1, work.length)) }, stream);
    const settled = await Promise.allSettled(streams);
    const failures = settled
      .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
      .map((s) => s.reason as unknown);
    // A target that lost the copy's state explains the other streams' failures: it is the one to report.
    if (failures.length) fail(failures.find((reason) => reason instanceof CheckpointsLostError) ?? failures[0]);
    if (control.isCancelled()) {
      outcome.cancelled = true;
      for (const r of results) if (r.status === 'running' || r.status === 'pending') r.status = 'skipped';
      return outcome;
    }

    events.phase('indexes');
    for (const { ns, result } of collections) {
      if (remaining.get(result.key) === 0 && result.status !== 'done') await namespaceDone(ns, result);
    }
    for (const { ns, result } of views) {
      if (!state(result.key).prepared) {
        await retry(() => prepareView(source, target, ns));
        await retry(() => store.markNamespace(result.key, { prepared: true }));
      }
      result.status = 'done';
      events.namespace({ ...result });
    }

    // Every copy ends with a count check per collection, whatever the verification: cheap (the target's
    // estimate first) and policy-aware (see shared/count-check.ts).
    events.phase('verify');
    outcome.counts = [];
    for (const { ns, result } of collections) {
      outcome.counts.push(
        await retry(() =>
          checkCount(target.db(ns.targetDb), ns.targetColl, {
            namespace: result.key,
            policy: request.conflict,
            written: result.docs,
            // With "skip", the documents kept are in the target too.
            expected: result.docs + result.skipped,
          }),
        ),
      );
    }

    const verifyMode = request.verify;
    if (verifyMode !== 'none') {
      const verification: NamespaceVerification[] = [];
      for (const { ns } of collections) {
        if (control.isCancelled()) break;
        verification.push(
          await retry(() =>
            verifyNamespace(source, target, ns, verifyMode, request.sampleSize ?? 1_000, control.isCancelled),
          ),
        );
      }
      outcome.verification = verification;
    }
    await retry(() => store.finish());
    return outcome;
  } catch (error) {
    if (error instanceof CheckpointsLostError || (error instanceof CopyError && outcome.targetLost)) {
      outcome.targetLost = true;
      throw new CopyError(
        `${error.message}${await whatTheTargetHolds(target, request.conflict, collections)}`,
        outcome,
      );
    }
    return fail(error);
  } finally {
    await Promise.all([source.close().catch(() => undefined), target.close().catch(() => undefined)]);
  }
}

async function refuseNonEmptyTargets(
  target: MongoClient,
  namespaces: NamespaceSpec[],
  outcome: CopyOutcome,
): Promise<void> {
  for (const ns of namespaces) {
    const existing = await target
      .db(ns.targetDb)
      .listCollections({ name: ns.targetColl }, { nameOnly: true })
      .toArray();
    if (existing.length === 0) continue;
    const count =
      ns.kind === 'view' ? 1 : await target.db(ns.targetDb).collection(ns.targetColl).estimatedDocumentCount();
    if (count > 0) {
      throw new CopyError(
        ns.kind === 'view'
          ? `Target ${nsKey(ns.targetDb, ns.targetColl)} already exists; nothing was written. Choose "drop target first" to replace it.`
          : `Target ${nsKey(ns.targetDb, ns.targetColl)} already holds ${count.toLocaleString('en-US')} ${count === 1 ? 'document' : 'documents'}; nothing was written. Choose "drop target first", "skip existing" or "overwrite" to copy into it.`,
        outcome,
      );
    }
  }
}
