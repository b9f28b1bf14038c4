/**
 * One partition copied: read ahead by PartitionReader (partition-reader.ts) while the previous batch is
 * written by the collection's BatchWriter. Called by the engine's streams (engine.ts).
 *
 * The partition's checkpoint is a lease, not one write per batch (issue 14: as in an import, that round
 * trip was ~10% of a copy): it holds the last _id of the acknowledged batches (`last`, with the counts) and
 * `lease`, how many documents after `last` may have been sent. It is saved before a batch would pass the
 * lease (which then reaches LEASE_BATCHES batches further), when the partition is done, and when the copy
 * is stopped. A resumed copy reads after `last`: duplicates among the first `lease` documents are its own
 * earlier writes, later ones are not.
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

/** How many batches a lease covers: one checkpoint write per this many batches. */
export const LEASE_BATCHES = 8;

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
  // After an interruption, up to `lease` documents after `last` may already be in the target (a
  // checkpoint saved before leases says nothing of it: then only its next batch can have been sent).
  let earlierRun = resuming ? (partition.lease ?? 0) : 0;
  let legacyFirstBatch = resuming && partition.lease === undefined;
  // Documents this run may still send before the checkpoint must move the lease on.
  let room = 0;
  let saved = true;
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
      const count = batch.raws.length;
      if (count > room) {
        // The acknowledged point is saved with a lease covering this batch and the next ones.
        partition.lease = Math.max(earlierRun, count + LEASE_BATCHES * batchSize);
        await save();
        saved = true;
        room = partition.lease;
      }
      room -= count;
      const duplicatesAreOurs = legacyFirstBatch || earlierRun > 0;
      const skipped = await writer.writeRaw(batch, { duplicatesAreOurs });
      reader.release(batch);
      legacyFirstBatch = false;
      earlierRun = Math.max(0, earlierRun - count);
      batchSize = writer.batchSize;
      partition.docs += count - skipped;
      partition.skipped += skipped;
      partition.bytes += batch.bytes;
      partition.last = batch.lastId;
      result.docs += count - skipped;
      result.skipped += skipped;
      result.bytes += batch.bytes;
      saved = false;
      events.namespace({ ...result });
    }
    if (!control.isCancelled()) {
      partition.done = true;
      await save();
    } else if (!saved) {
      // Stopped: the acknowledged point, for the next run (all of this run's writes were acknowledged).
      partition.lease = earlierRun;
      await save();
    }
  } finally {
    await reader.close();
  }
}
