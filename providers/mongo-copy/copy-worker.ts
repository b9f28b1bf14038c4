/**
 * Worker thread entry of the MongoDB copy: runs the engine off the main thread and reports
 * per-namespace progress. Messages: in { type: 'cancel' }; out progress | warn | done | failed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CopyError, runCopy, type CopyRequest } from './engine';
import type { WorkerMessage } from './worker-messages';

const port = parentPort;
if (!port) throw new Error('copy-worker must run in a worker thread');

let cancelled = false;
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') cancelled = true;
});

const post = (message: WorkerMessage) => port.postMessage(message);

try {
  const outcome = await runCopy(
    workerData as CopyRequest,
    { namespace: (result) => post({ type: 'namespace', result }), warn: (message) => post({ type: 'warn', message }) },
    () => cancelled,
  );
  post({ type: 'done', outcome });
} catch (error) {
  const outcome = error instanceof CopyError ? error.outcome : { cancelled, namespaces: [] };
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), outcome });
} finally {
  port.close();
}
