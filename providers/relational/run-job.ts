/**
 * Main-side handle of a relational job, running in its worker thread or in this thread
 * (providers/shared/worker-job.ts): relays progress, forwards cancel / pause / resume, and turns the
 * job's end (or its crash) into an outcome.
 */
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { startJob, type WorkerJobHandle } from '../shared/worker-job';
import {
  RelationalError,
  type CollectionResult,
  type RelationalEvents,
  type RelationalOutcome,
  type RelationalRequest,
} from './engine';
import type { RelationalWorkerMessage } from './relational-job';
import { emptyNotes } from './types';

export type RelationalHandle = WorkerJobHandle<RelationalOutcome>;

export function startRelationalJob(
  request: RelationalRequest,
  events: RelationalEvents,
  signal: AbortSignal,
): RelationalHandle {
  const latest = new Map<string, CollectionResult>();
  const start = {
    data: request,
    worker: () => spawnWorker(resolveWorkerModule(import.meta.url, 'relational-worker'), request),
    body: async () => (await import('./relational-job')).relationalJob,
  };
  return startJob<RelationalRequest, RelationalWorkerMessage, RelationalOutcome>(start, signal, {
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
      return cancelled ? { outcome: soFar } : { error: new RelationalError(`The relational job ${reason}.`, soFar) };
    },
  });
}
