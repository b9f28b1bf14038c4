/**
 * Main-side handle of a copy running in its worker thread: relays progress, forwards cancellation,
 * and turns the worker's end (or its crash) into an outcome.
 */
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { CopyError, type CopyEvents, type CopyOutcome, type CopyRequest } from './engine';
import type { WorkerMessage } from './worker-messages';

/** How long a cancelled copy may take to finish its current batch before the worker is stopped. */
const CANCEL_GRACE_MS = 5_000;

export function runCopyInWorker(request: CopyRequest, events: CopyEvents, signal: AbortSignal): Promise<CopyOutcome> {
  const worker = spawnWorker(resolveWorkerModule(import.meta.url, 'copy-worker'), request);
  let last: CopyOutcome = { cancelled: false, namespaces: [] };
  const latest = new Map<string, CopyOutcome['namespaces'][number]>();
  return new Promise<CopyOutcome>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
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
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'namespace':
          latest.set(message.result.key, message.result);
          events.namespace(message.result);
          break;
        case 'warn':
          events.warn(message.message);
          break;
        case 'done':
          last = message.outcome;
          finish(() => resolve(message.outcome));
          break;
        case 'failed':
          finish(() => reject(new CopyError(message.message, message.outcome)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(new CopyError(`The copy worker crashed: ${error.message}`, { ...last, namespaces: [...latest.values()] }))));
    worker.on('exit', (code) =>
      finish(() => {
        const outcome = { cancelled: signal.aborted, namespaces: [...latest.values()] };
        if (signal.aborted) resolve(outcome);
        else reject(new CopyError(`The copy worker stopped unexpectedly (exit code ${code}).`, outcome));
      }),
    );
  });
}
