/**
 * Worker thread entry of the files provider: parsing, BSON and driver I/O of an import or an export
 * run here, off the main thread. Obeys cancel / pause / resume between batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExportError, runExport } from './export-engine';
import { ImportError, runImport } from './import-engine';
import { workerJobControl } from '../shared/worker-job';
import type { FilesJob, WorkerMessage } from './worker-messages';

const port = parentPort;
if (!port) throw new Error('files-worker must run in a worker thread');

const control = workerJobControl(port);
const post = (message: WorkerMessage) => port.postMessage(message);
const job = workerData as FilesJob;

try {
  if (job.kind === 'import') {
    const outcome = await runImport(
      job.request,
      {
        phase: (name) => post({ type: 'phase', name }),
        source: (result) => post({ type: 'source', result }),
        view: (result) => post({ type: 'view', result }),
        warn: (message) => post({ type: 'warn', message }),
      },
      control,
    );
    post({ type: 'done', outcome });
  } else {
    const outcome = await runExport(
      job.request,
      {
        progress: (counts) => post({ type: 'exported', ...counts }),
        warn: (message) => post({ type: 'warn', message }),
      },
      control,
    );
    post({ type: 'done', outcome });
  }
} catch (error) {
  const outcome =
    error instanceof ImportError || error instanceof ExportError
      ? error.outcome
      : { cancelled: control.isCancelled(), docs: 0, bytes: 0 };
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), outcome });
} finally {
  port.close();
}
