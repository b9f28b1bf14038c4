/**
 * One partition copied: read ahead by PartitionReader (partition-reader.ts) while the previous batch is
 * written by the collection's BatchWriter, the partition's checkpoint saved after every batch. Called by
 * the engine's streams (engine.ts).
 */
import type { MongoClient } from 'mongodb';
import type { CheckpointStore, PartitionState } from './checkpoints';
import type { CopyControl, CopyEvents } from './engine';
import { PartitionReader } from './partition-reader';
import { nsKey, type CopyRequest, type NamespaceResult, type NamespaceSpec } from './plan';
import { MAX_ATTEMPTS, withRetry } from '../shared/mongo-retry';
import type { BatchWriter } from '../shared/mongo-writer';

/**
 * Documents per batch (and at most 16 MB). 500 keeps the worker's memory flat and low (a batch is read
 * ahead while the previous one is written); larger batches bought no speed in the benchmark.
 */
export const DEFAULT_BATCH_DOCS = 500;

export async function copyPartition(
  source: MongoClient,
  writer: BatchWriter,
  ns: NamespaceSpec,
  partition: PartitionState,
  result: NamespaceResult,
  request: CopyRequest,
  resuming: boolean,
  store: CheckpointStore,
  events: CopyEvents,
  control: CopyControl,
): Promise<void> {
  const where = nsKey(ns.targetDb, ns.targetColl);
  const maxDocs = request.batchDocs ?? DEFAULT_BATCH_DOCS;
  const maxBytes = request.batchBytes ?? 16 * 1024 * 1024;
  const reader = new PartitionReader(source.db(ns.sourceDb).collection(ns.sourceColl), partition);
  // The writer shrinks the batch size while the target throttles; reads follow.
  let batchSize = maxDocs;
  // After a crash the first batch may already be (partly) in the target: its duplicates are our own.
  let duplicatesAreOurs = resuming;
  const save = () =>
    withRetry(
      () => store.checkpoint(partition),
      (error, delay, next) =>
        events.warn(
          `${where}: transient error saving the checkpoint (${error.message}); retrying (attempt ${next} of ${MAX_ATTEMPTS}) in ${Math.round(delay)} ms.`,
        ),
    );
  try {
    let pending = reader.next(batchSize, maxBytes);
    for (;;) {
      await control.whenRunnable();
      const batch = await pending;
      if (batch.raws.length === 0 || control.isCancelled()) break;
      pending = reader.next(batchSize, maxBytes);
      pending.catch(() => undefined); // surfaced when awaited
      const skipped = await writer.writeRaw(batch, { duplicatesAreOurs });
      const count = batch.raws.length;
      batchSize = writer.batchSize;
      duplicatesAreOurs = false;
      partition.docs += count - skipped;
      partition.skipped += skipped;
      partition.bytes += batch.bytes;
      partition.last = batch.lastId;
      result.docs += count - skipped;
      result.skipped += skipped;
      result.bytes += batch.bytes;
      // Saved before the next batch is written: a resumed copy re-sends at most this one batch.
      await save();
      events.namespace({ ...result });
    }
    if (!control.isCancelled()) {
      partition.done = true;
      await save();
    }
  } finally {
    await reader.close();
  }
}
