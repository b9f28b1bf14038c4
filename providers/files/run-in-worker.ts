/**
 * Main-side handle of an import or export running in the files worker: relays progress, forwards
 * cancel / pause / resume, and turns the worker's end (or crash) into an outcome or an error.
 */
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { runWorkerJob, type WorkerJobHandle } from '../shared/worker-job';
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

export function startImportInWorker(
  request: ImportRequest,
  events: FilesEvents,
  signal: AbortSignal,
): FilesHandle<ImportOutcome> {
  return start<ImportOutcome>({ kind: 'import', request }, events, signal);
}

export function startExportInWorker(
  request: ExportRequest,
  events: FilesEvents,
  signal: AbortSignal,
): FilesHandle<ExportOutcome> {
  return start<ExportOutcome>({ kind: 'export', request }, events, signal);
}

function start<T>(job: FilesJob, events: FilesEvents, signal: AbortSignal): FilesHandle<T> {
  // A .bson restore keeps each batch's records until it is written: V8's own heap limits suit it best.
  const bson = job.kind === 'import' && job.request.sources.every((source) => source.format === 'bson');
  const worker = spawnWorker(
    resolveWorkerModule(import.meta.url, 'files-worker'),
    job,
    bson ? 'default' : 'short-lived',
  );
  return runWorkerJob<WorkerMessage, T>(worker, signal, {
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
        cancelled ? 'Cancelled: the worker was stopped before it finished its batch.' : `The files worker ${reason}.`,
      ),
    }),
  });
}
