/**
 * Worker thread entry of the relational → MongoDB job: runs the engine off the main thread, sends progress
 * (at most every 100 ms per collection, at once on status changes), and obeys cancel / pause / resume
 * between batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { workerJobControl } from '../shared/worker-job';
import {
  RelationalError,
  runRelational,
  type CollectionResult,
  type RelationalOutcome,
  type RelationalRequest,
} from './engine';
import { emptyNotes } from './types';

/** What the relational worker sends back to the main side. */
export type RelationalWorkerMessage =
  | { type: 'phase'; name: 'prepare' | 'copy' | 'verify' }
  | { type: 'collection'; result: CollectionResult }
  | { type: 'warn'; message: string }
  | { type: 'done'; outcome: RelationalOutcome }
  | { type: 'failed'; message: string; outcome: RelationalOutcome };

const port = parentPort;
if (port) {
  const control = workerJobControl(port);
  const post = (message: RelationalWorkerMessage) => port.postMessage(message);
  const lastSent = new Map<string, { at: number; status: string }>();
  const pending = new Map<string, CollectionResult>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const result of pending.values()) {
      lastSent.set(result.key, { at: Date.now(), status: result.status });
      post({ type: 'collection', result });
    }
    pending.clear();
  };
  const collection = (result: CollectionResult) => {
    const last = lastSent.get(result.key);
    pending.set(result.key, result);
    if (!last || last.status !== result.status || Date.now() - last.at >= 100) {
      clearTimeout(timer);
      flush();
    } else timer ??= setTimeout(flush, 100);
  };
  try {
    const outcome = await runRelational(
      workerData as RelationalRequest,
      {
        phase: (name) => post({ type: 'phase', name }),
        collection,
        warn: (message) => post({ type: 'warn', message }),
      },
      control,
    );
    clearTimeout(timer);
    flush();
    post({ type: 'done', outcome });
  } catch (error) {
    clearTimeout(timer);
    flush();
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
  } finally {
    port.close();
  }
}
