/**
 * Main-side handle of a relational job running in its worker thread: relays progress, forwards cancel /
 * pause / resume, and turns the worker's end (or its crash) into an outcome.
 */
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { runWorkerJob, type WorkerJobHandle } from '../shared/worker-job';
import {
  RelationalError,
  type CollectionResult,
  type RelationalEvents,
  type RelationalOutcome,
  type RelationalRequest,
} from './engine';
import type { RelationalWorkerMessage } from './relational-worker';
import { emptyNotes } from './types';

export type RelationalHandle = WorkerJobHandle<RelationalOutcome>;

export function startRelationalInWorker(
  request: RelationalRequest,
  events: RelationalEvents,
  signal: AbortSignal,
): RelationalHandle {
  const worker = spawnWorker(resolveWorkerModule(import.meta.url, 'relational-worker'), request);
  const latest = new Map<string, CollectionResult>();
  return runWorkerJob<RelationalWorkerMessage, RelationalOutcome>(worker, signal, {
    cancelGraceMs: 5_000,
    onMessage(message) {
      switch (message.type) {
        case 'phase':
          return void events.phase(message.name);
        case 'collection':
          latest.set(message.result.key, message.result);
          return void events.collection(message.result);
        case 'warn':
          return void events.warn(message.message);
        case 'done':
          return { outcome: message.outcome };
        case 'failed':
          return { error: new RelationalError(message.message, message.outcome) };
      }
    },
    onLost(reason, cancelled) {
      const soFar: RelationalOutcome = {
        cancelled,
        resumed: false,
        snapshot: '',
        collections: [...latest.values()],
        notes: emptyNotes(),
        orphans: 0,
      };
      return cancelled ? { outcome: soFar } : { error: new RelationalError(`The relational worker ${reason}.`, soFar) };
    },
  });
}
