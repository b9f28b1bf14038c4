/**
 * Main-side handle of a copy, running in its worker thread or in this thread (providers/shared/worker-job.ts):
 * relays progress, forwards cancel / pause / resume, and turns the job's end (or its crash) into an outcome.
 */
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { startJob, type WorkerJobHandle } from '../shared/worker-job';
import { CopyError, type CopyEvents } from './engine';
import type { CopyOutcome, CopyRequest, NamespaceResult } from './plan';
import type { WorkerMessage } from './worker-messages';

export type CopyHandle = WorkerJobHandle<CopyOutcome>;

export function startCopyJob(request: CopyRequest, events: CopyEvents, signal: AbortSignal): CopyHandle {
  const latest = new Map<string, NamespaceResult>();
  return startJob<CopyRequest, WorkerMessage, CopyOutcome>(
    {
      data: request,
      // V8's own heap limits: a 1 GB cap ('short-lived') took the copy's peak RSS from ~160 to ~133 MB at
      // 200k documents but its collector ran so often that it cost 0.8-1.4 s of client CPU (of 1.8).
      worker: () => spawnWorker(resolveWorkerModule(import.meta.url, 'copy-worker'), request),
      body: async () => (await import('./copy-job')).copyJob,
    },
    signal,
    {
      cancelGraceMs: 5_000,
      onMessage(message) {
        switch (message.type) {
          case 'phase':
            return void events.phase(message.name);
          case 'namespace':
            latest.set(message.result.key, message.result);
            return void events.namespace(message.result);
          case 'warn':
            return void events.warn(message.message);
          case 'done':
            return { outcome: message.outcome };
          case 'failed':
            return { error: new CopyError(message.message, message.outcome) };
        }
      },
      onLost(reason, cancelled) {
        const soFar: CopyOutcome = { cancelled, resumed: false, namespaces: [...latest.values()] };
        return cancelled ? { outcome: soFar } : { error: new CopyError(`The copy job ${reason}.`, soFar) };
      },
    },
  );
}
