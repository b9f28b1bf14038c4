/**
 * The files provider's job body (providers/shared/worker-job.ts): parsing, BSON and driver I/O of an
 * import or an export, obeying cancel / pause / resume between batches. It runs in the files worker
 * (./files-worker.ts) or, on the command line, in this thread.
 */
import { ExportError, runExport } from './export-engine';
import { ImportError, runImport } from './import-engine';
import type { JobBody } from '../shared/worker-job';
import type { FilesJob, WorkerMessage } from './worker-messages';

export const filesJob: JobBody<FilesJob, WorkerMessage> = async (job, post, control) => {
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
  }
};
