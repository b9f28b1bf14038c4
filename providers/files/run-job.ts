/**
 * Main-side handle of an import or export, running in the files worker or in this thread
 * (providers/shared/worker-job.ts): relays progress, forwards cancel / pause / resume, and turns the
 * job's end (or crash) into an outcome or an error.
 */
import { resolveWorkerModule, spawnWorker, type HeapUse } from '../shared/worker';
import { startJob, type WorkerJobHandle } from '../shared/worker-job';
import type { ExportOutcome, ExportRequest } from './export-engine';
import type { ViewResult } from './dump-views';
import type { ImportOutcome, ImportPhase, ImportRequest, SourceResult } from './import-engine';
import type { FilesJob, WorkerMessage } from './worker-messages';
import { CutoverError } from '../api/index';

const CANCEL_GRACE_MS = 10_000;

export interface FilesEvents {
  phase?(name: ImportPhase): void;
  source?(result: SourceResult): void;
  view?(result: ViewResult): void;
  exported?(counts: { docs: number; totalDocs: number; bytes: number }): void;
  warn(message: string): void;
}

export class WorkerJobError<T> extends CutoverError {
  override name = 'WorkerJobError';
  constructor(
    message: string,
    readonly outcome: T,
  ) {
    super(message);
  }
}

export type FilesHandle<T> = WorkerJobHandle<T>;

export function startImportJob(
  request: ImportRequest,
  events: FilesEvents,
  signal: AbortSignal,
): FilesHandle<ImportOutcome> {
  return start<ImportOutcome>({ kind: 'import', request }, events, signal);
}

export function startExportJob(
  request: ExportRequest,
  events: FilesEvents,
  signal: AbortSignal,
): FilesHandle<ExportOutcome> {
  return start<ExportOutcome>({ kind: 'export', request }, events, signal);
}

function start<T>(job: FilesJob, events: FilesEvents, signal: AbortSignal): FilesHandle<T> {
  // A .bson restore keeps each batch's records until it is written: V8's own heap limits suit it best
  // (and it may run in this thread); text is parsed or written into garbage that a capped heap collects.
  const bson = job.kind === 'import' && job.request.sources.every((source) => source.format === 'bson');
  const heap: HeapUse = bson ? 'default' : 'short-lived';
  const start = {
    data: job,
    heap,
    worker: () => spawnWorker(resolveWorkerModule(import.meta.url, 'files-worker'), job, heap),
    body: async () => (await import('./files-job')).filesJob,
  };
  return startJob<FilesJob, WorkerMessage, T>(start, signal, {
    cancelGraceMs: CANCEL_GRACE_MS,
    onMessage(message) {
      switch (message.type) {
        case 'phase':
          return void events.phase?.(message.name);
        case 'source':
          return void events.source?.(message.result);
        case 'view':
          return void events.view?.(message.result);
        case 'exported':
          return void events.exported?.(message);
        case 'warn':
          return void events.warn(message.message);
        case 'done':
          return { outcome: message.outcome as T };
        case 'failed':
          return { error: new WorkerJobError<T>(message.message, message.outcome as T) };
      }
    },
    onLost: (reason, cancelled) => ({
      error: new Error(
        cancelled ? 'Cancelled: the worker was stopped before it finished its batch.' : `The files job ${reason}.`,
      ),
    }),
  });
}
