/**
 * Main-side handle of an import or export running in the files worker: relays progress, forwards
 * cancel / pause / resume, and turns the worker's end (or crash) into an outcome or an error.
 */
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import type { ExportOutcome, ExportRequest } from './export-engine';
import type { ImportOutcome, ImportRequest, SourceResult } from './import-engine';
import type { FilesJob, WorkerCommand, WorkerMessage } from './worker-messages';

const CANCEL_GRACE_MS = 10_000;

export interface FilesEvents {
  phase?(name: 'import' | 'indexes'): void;
  source?(result: SourceResult): void;
  exported?(counts: { docs: number; totalDocs: number; bytes: number }): void;
  warn(message: string): void;
}

export class WorkerJobError<T> extends Error {
  constructor(message: string, readonly outcome: T) {
    super(message);
    this.name = 'WorkerJobError';
  }
}

export interface FilesHandle<T> {
  done: Promise<T>;
  pause(): void;
  resume(): void;
  /** Stops the worker at once, as a crash would (tests of resume). */
  kill(): Promise<void>;
}

export function startImportInWorker(request: ImportRequest, events: FilesEvents, signal: AbortSignal): FilesHandle<ImportOutcome> {
  return start<ImportOutcome>({ kind: 'import', request }, events, signal);
}

export function startExportInWorker(request: ExportRequest, events: FilesEvents, signal: AbortSignal): FilesHandle<ExportOutcome> {
  return start<ExportOutcome>({ kind: 'export', request }, events, signal);
}

function start<T>(job: FilesJob, events: FilesEvents, signal: AbortSignal): FilesHandle<T> {
  const worker = spawnWorker(resolveWorkerModule(import.meta.url, 'files-worker'), job);
  const send = (command: WorkerCommand) => worker.postMessage(command);
  const done = new Promise<T>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      send({ type: 'cancel' });
      killTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'phase':
          events.phase?.(message.name);
          break;
        case 'source':
          events.source?.(message.result);
          break;
        case 'exported':
          events.exported?.(message);
          break;
        case 'warn':
          events.warn(message.message);
          break;
        case 'done':
          finish(() => resolve(message.outcome as T));
          break;
        case 'failed':
          finish(() => reject(new WorkerJobError<T>(message.message, message.outcome as T)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(new Error(`The files worker crashed: ${error.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(signal.aborted ? 'Cancelled: the worker was stopped before it finished its batch.' : `The files worker stopped unexpectedly (exit code ${code}).`))));
  });
  return { done, pause: () => send({ type: 'pause' }), resume: () => send({ type: 'resume' }), kill: async () => void (await worker.terminate()) };
}
