/**
 * Worker thread entry of the files provider: parsing, BSON and driver I/O of an import or an export
 * run here, off the main thread. Obeys cancel / pause / resume between batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExportError, runExport } from './export-engine';
import { ImportError, runImport } from './import-engine';
import type { FilesJob, WorkerCommand, WorkerMessage } from './worker-messages';

const port = parentPort;
if (!port) throw new Error('files-worker must run in a worker thread');

let cancelled = false;
let paused = false;
const waiting: Array<() => void> = [];
port.on('message', (command: WorkerCommand) => {
  if (command.type === 'cancel') cancelled = true;
  if (command.type === 'pause') paused = true;
  if (command.type === 'resume' || command.type === 'cancel') {
    paused = false;
    waiting.splice(0).forEach((wake) => wake());
  }
});
const post = (message: WorkerMessage) => port.postMessage(message);
const job = workerData as FilesJob;

try {
  if (job.kind === 'import') {
    const outcome = await runImport(
      job.request,
      { phase: (name) => post({ type: 'phase', name }), source: (result) => post({ type: 'source', result }), warn: (message) => post({ type: 'warn', message }) },
      { isCancelled: () => cancelled, whenRunnable: () => (paused && !cancelled ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()) },
    );
    post({ type: 'done', outcome });
  } else {
    const outcome = await runExport(job.request, { progress: (counts) => post({ type: 'exported', ...counts }), warn: (message) => post({ type: 'warn', message }) }, () => cancelled);
    post({ type: 'done', outcome });
  }
} catch (error) {
  const outcome = error instanceof ImportError || error instanceof ExportError ? error.outcome : { cancelled, docs: 0, bytes: 0 };
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), outcome });
} finally {
  port.close();
}
