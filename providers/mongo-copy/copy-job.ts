/**
 * The copy's job body (providers/shared/worker-job.ts): runs the engine, reports progress (at most every
 * 100 ms per namespace, and at once on status changes) and obeys cancel / pause / resume between
 * batches. It runs in the copy's worker thread (./copy-worker.ts) or, on the command line, in this thread.
 */
import { CopyError, runCopy, type CopyRequest } from './engine';
import type { JobBody } from '../shared/worker-job';
import { rowThrottle } from '../shared/row-throttle';
import type { WorkerMessage } from './worker-messages';
import type { NamespaceResult } from './plan';

export const copyJob: JobBody<CopyRequest, WorkerMessage> = async (request, post, control) => {
  const rows = rowThrottle((result: NamespaceResult) => post({ type: 'namespace', result }));
  try {
    const outcome = await runCopy(
      request,
      {
        phase: (name) => post({ type: 'phase', name }),
        namespace: rows.row,
        warn: (message) => post({ type: 'warn', message }),
      },
      control,
    );
    rows.flush();
    post({ type: 'done', outcome });
  } catch (error) {
    rows.flush();
    const outcome =
      error instanceof CopyError ? error.outcome : { cancelled: control.isCancelled(), resumed: false, namespaces: [] };
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error), outcome });
  }
};
