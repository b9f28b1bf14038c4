/**
 * Main-side handle of a copy running in its worker thread: relays progress, forwards cancel / pause /
 * resume, and turns the worker's end (or its crash) into an outcome.
 */
import type { Worker } from 'node:worker_threads';
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { CopyError, type CopyEvents } from './engine';
import type { CopyOutcome, CopyRequest, NamespaceResult } from './plan';
import type { WorkerCommand, WorkerMessage } from './worker-messages';

/** How long a cancelled copy may take to finish its current batch before the worker is stopped. */
const CANCEL_GRACE_MS = 5_000;

export interface CopyHandle {
  done: Promise<CopyOutcome>;
  pause(): void;
  resume(): void;
  /** Stops the worker at once, as a crash would (for tests of resume after a crash). */
  kill(): Promise<void>;
}

export function startCopyInWorker(request: CopyRequest, events: CopyEvents, signal: AbortSignal): CopyHandle {
  const worker: Worker = spawnWorker(resolveWorkerModule(import.meta.url, 'copy-worker'), request);
  const send = (command: WorkerCommand) => worker.postMessage(command);
  const latest = new Map<string, NamespaceResult>();
  const done = new Promise<CopyOutcome>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      send({ type: 'cancel' });
      killTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const soFar = (): CopyOutcome => ({ cancelled: signal.aborted, resumed: false, namespaces: [...latest.values()] });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'phase':
          events.phase(message.name);
          break;
        case 'namespace':
          latest.set(message.result.key, message.result);
          events.namespace(message.result);
          break;
        case 'warn':
          events.warn(message.message);
          break;
        case 'done':
          finish(() => resolve(message.outcome));
          break;
        case 'failed':
          finish(() => reject(new CopyError(message.message, message.outcome)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(new CopyError(`The copy worker crashed: ${error.message}`, soFar()))));
    worker.on('exit', (code) =>
      finish(() => {
        if (signal.aborted) resolve(soFar());
        else reject(new CopyError(`The copy worker stopped unexpectedly (exit code ${code}).`, soFar()));
      }),
    );
  });
  return {
    done,
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    kill: async () => {
      await worker.terminate();
    },
  };
}
