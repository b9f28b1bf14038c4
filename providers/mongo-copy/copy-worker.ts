/**
 * Worker thread entry of the MongoDB copy: runs the engine off the main thread, reports progress
 * (at most every 100 ms per namespace, and at once on status changes), and obeys cancel / pause / resume
 * between batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CopyError, runCopy, type CopyRequest } from './engine';
import type { NamespaceResult } from './plan';
import { workerJobControl } from '../shared/worker-job';
import type { WorkerMessage } from './worker-messages';

const port = parentPort;
if (!port) throw new Error('copy-worker must run in a worker thread');

const control = workerJobControl(port);

const post = (message: WorkerMessage) => port.postMessage(message);
const lastSent = new Map<string, { at: number; status: string }>();
const pendingRows = new Map<string, NamespaceResult>();
let flushTimer: NodeJS.Timeout | undefined;
const flush = () => {
  flushTimer = undefined;
  for (const result of pendingRows.values()) {
    lastSent.set(result.key, { at: Date.now(), status: result.status });
    post({ type: 'namespace', result });
  }
  pendingRows.clear();
};
const namespace = (result: NamespaceResult) => {
  const last = lastSent.get(result.key);
  pendingRows.set(result.key, result);
  if (!last || last.status !== result.status || Date.now() - last.at >= 100) {
    clearTimeout(flushTimer);
    flush();
  } else {
    flushTimer ??= setTimeout(flush, 100);
  }
};

try {
  const outcome = await runCopy(
    workerData as CopyRequest,
    { phase: (name) => post({ type: 'phase', name }), namespace, warn: (message) => post({ type: 'warn', message }) },
    control,
  );
  clearTimeout(flushTimer);
  flush();
  post({ type: 'done', outcome });
} catch (error) {
  clearTimeout(flushTimer);
  flush();
  const outcome =
    error instanceof CopyError ? error.outcome : { cancelled: control.isCancelled(), resumed: false, namespaces: [] };
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), outcome });
} finally {
  port.close();
}
