/**
 * The life of a provider's long-running worker thread, shared by every provider that has one:
 * the main side forwards cancel / pause / resume, relays progress, stops a worker that does not end
 * soon after a cancel, and turns its last message, crash or exit into an outcome or an error; the
 * worker side obeys the commands between batches.
 */
import type { MessagePort, Worker } from 'node:worker_threads';

/** What the main side sends to a job's worker. */
export type WorkerJobCommand = { type: 'cancel' } | { type: 'pause' } | { type: 'resume' };

export interface WorkerJobHandle<T> {
  done: Promise<T>;
  pause(): void;
  resume(): void;
  /** Stops the worker at once, as a crash would (for tests of resume after a crash). */
  kill(): Promise<void>;
}

export type WorkerJobEnd<T> = { outcome: T } | { error: Error };

export interface WorkerJobOptions<M, T> {
  /** How long a cancelled worker may take to finish its current batch before it is stopped. */
  cancelGraceMs: number;
  /** Relays a progress message; returns how the job ended when the message is the last one. */
  onMessage(message: M): WorkerJobEnd<T> | undefined;
  /** The worker crashed or exited without a last message. */
  onLost(reason: string, cancelled: boolean): WorkerJobEnd<T>;
}

export function runWorkerJob<M, T>(
  worker: Worker,
  signal: AbortSignal,
  options: WorkerJobOptions<M, T>,
): WorkerJobHandle<T> {
  const send = (command: WorkerJobCommand) => worker.postMessage(command);
  const done = new Promise<T>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      send({ type: 'cancel' });
      killTimer = setTimeout(() => void worker.terminate(), options.cancelGraceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const finish = (end: WorkerJobEnd<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      if ('error' in end) reject(end.error);
      else resolve(end.outcome);
    };
    worker.on('message', (message: M) => {
      const end = options.onMessage(message);
      if (end) finish(end);
    });
    worker.on('error', (error) => finish(options.onLost(`crashed: ${error.message}`, signal.aborted)));
    worker.on('exit', (code) => finish(options.onLost(`stopped unexpectedly (exit code ${code})`, signal.aborted)));
  });
  return {
    done,
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    kill: async () => {
      await worker.terminate();
    },
  };
}

/** Worker side: whether the job was cancelled, and a gate that holds while it is paused. */
export function workerJobControl(port: MessagePort): { isCancelled(): boolean; whenRunnable(): Promise<void> } {
  let cancelled = false;
  let paused = false;
  const waiting: Array<() => void> = [];
  port.on('message', (command: WorkerJobCommand) => {
    if (command.type === 'cancel') cancelled = true;
    if (command.type === 'pause') paused = true;
    if (command.type === 'resume' || command.type === 'cancel') {
      paused = false;
      waiting.splice(0).forEach((wake) => wake());
    }
  });
  return {
    isCancelled: () => cancelled,
    whenRunnable: () =>
      paused && !cancelled ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve(),
  };
}
