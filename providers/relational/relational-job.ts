/**
 * The relational → MongoDB job body (providers/shared/worker-job.ts): runs the engine, sends progress (at
 * most every 100 ms per collection, at once on status changes), and obeys cancel / pause / resume between
 * batches. It runs in its worker thread (./relational-worker.ts) or, on the command line, in this thread.
 */
import type { JobBody } from '../shared/worker-job';
import { rowThrottle } from '../shared/row-throttle';
import {
  RelationalError,
  runRelational,
  type CollectionResult,
  type RelationalOutcome,
  type RelationalRequest,
} from './engine';
import { emptyNotes } from './types';

/** What the relational job sends back to the main side. */
export type RelationalWorkerMessage =
  | { type: 'phase'; name: 'prepare' | 'copy' | 'verify' }
  | { type: 'collection'; result: CollectionResult }
  | { type: 'warn'; message: string }
  | { type: 'done'; outcome: RelationalOutcome }
  | { type: 'failed'; message: string; outcome: RelationalOutcome };

export const relationalJob: JobBody<RelationalRequest, RelationalWorkerMessage> = async (request, post, control) => {
  const rows = rowThrottle((result: CollectionResult) => post({ type: 'collection', result }));
  try {
    const outcome = await runRelational(
      request,
      {
        phase: (name) => post({ type: 'phase', name }),
        collection: rows.row,
        warn: (message) => post({ type: 'warn', message }),
      },
      control,
    );
    rows.flush();
    post({ type: 'done', outcome });
  } catch (error) {
    rows.flush();
    const outcome: RelationalOutcome =
      error instanceof RelationalError
        ? error.outcome
        : {
            cancelled: control.isCancelled(),
            resumed: false,
            snapshot: '',
            collections: [],
            notes: emptyNotes(),
            orphans: 0,
          };
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error), outcome });
  }
};
