/**
 * The life of a provider's long-running job, shared by every provider that has one. A job is a body
 * (the engine run to its end, reporting through messages, obeying cancel / pause / resume between
 * batches) and a main side (relays progress, forwards the commands, turns the last message into an
 * outcome or an error). The body runs in a worker thread of its own, or in this thread (`placeJobs`):
 *
 * - `worker` (the default, and the desktop app's): the main event loop stays responsive while the job
 *   parses and encodes; a cancelled worker that does not end soon is stopped; a crash is contained.
 * - `this-thread` (the command line): the process has nothing else to keep responsive, and a second
 *   isolate costs a second copy of the driver and the engine, compiled again (issue 14, 200k documents:
 *   a copy's peak RSS ~160 -> ~140 MB and client CPU 1.13 -> 0.99 s; a restore's CPU 1.27 -> 0.9 s).
 *   A job that asks for a short-lived heap (./worker.ts, `HeapUse`) still runs in its worker: only a
 *   worker's heap can be capped (V8 sizes an isolate's heap when it creates it), and the cap is what
 *   keeps those jobs low (an export ran at ~154 MB in this thread, ~111 MB in its worker).
 * The body, its messages (cloned, as a worker's are) and the main side are the same either way.
 */
import { parentPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import type { HeapUse } from './worker';

/** What the main side sends to a job's worker. */
export type WorkerJobCommand = { type: 'cancel' } | { type: 'pause' } | { type: 'resume' };

export interface WorkerJobHandle<T> {
  done: Promise<T>;
  pause(): void;
  resume(): void;
  /**
   * Stops the job at once, as a crash would (for tests of resume after a crash). A job running in this
   * thread cannot be stopped mid-batch: it is cancelled and this waits for it.
   */
  kill(): Promise<void>;
}

export type WorkerJobEnd<T> = { outcome: T } | { error: Error };

export interface WorkerJobOptions<M, T> {
  /** How long a cancelled worker may take to finish its current batch before it is stopped. */
  cancelGraceMs: number;
  /** Relays a progress message; returns how the job ended when the message is the last one. */
  onMessage(message: M): WorkerJobEnd<T> | undefined;
  /** The job crashed or ended without a last message. */
  onLost(reason: string, cancelled: boolean): WorkerJobEnd<T>;
}

/** The job side's view of the commands: whether it was cancelled, and a gate that holds while it is paused. */
export interface JobControl {
  isCancelled(): boolean;
  whenRunnable(): Promise<void>;
}

/** A job's body: runs the job to its end, reporting through `post`; its last message says how it ended. */
export type JobBody<D, M> = (data: D, post: (message: M) => void, control: JobControl) => Promise<void>;

/** Where providers run their jobs in this process (module doc). */
export type JobPlacement = 'worker' | 'this-thread';
let placement: JobPlacement = 'worker';

/** Sets where jobs started from now on run; the host decides, once (providers/builtin-loaders.ts). */
export function placeJobs(where: JobPlacement): void {
  placement = where;
}

/** The two ways a job can start: its worker (spawned with `heap`), or its body, loaded in this thread. */
export interface JobStart<D, M> {
  data: D;
  heap?: HeapUse;
  worker(): Worker;
  body(): Promise<JobBody<D, M>>;
}

/** Starts a job where `placeJobs` said (a short-lived heap only a worker has: module doc). */
export function startJob<D, M, T>(
  start: JobStart<D, M>,
  signal: AbortSignal,
  options: WorkerJobOptions<M, T>,
): WorkerJobHandle<T> {
  return placement === 'this-thread' && (start.heap ?? 'default') === 'default'
    ? runJobHere(start.body, start.data, signal, options)
    : runWorkerJob(start.worker(), signal, options);
}

/** Settles a job's promise once, from its last message, its crash or its end. */
function settleOnce<T>(
  signal: AbortSignal,
  onAbort: () => void,
  resolve: (outcome: T) => void,
  reject: (error: Error) => void,
): { finish(end: WorkerJobEnd<T>): void; settled(): boolean } {
  let settled = false;
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  return {
    finish(end) {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if ('error' in end) reject(end.error);
      else resolve(end.outcome);
    },
    settled: () => settled,
  };
}

export function runWorkerJob<M, T>(
  worker: Worker,
  signal: AbortSignal,
  options: WorkerJobOptions<M, T>,
): WorkerJobHandle<T> {
  const send = (command: WorkerJobCommand) => worker.postMessage(command);
  const done = new Promise<T>((resolve, reject) => {
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      send({ type: 'cancel' });
      killTimer = setTimeout(() => void worker.terminate(), options.cancelGraceMs);
    };
    const { finish } = settleOnce<T>(signal, onAbort, resolve, reject);
    const end = (how: WorkerJobEnd<T>) => {
      clearTimeout(killTimer);
      finish(how);
    };
    worker.on('message', (message: M) => {
      const last = options.onMessage(message);
      if (last) end(last);
    });
    worker.on('error', (error) => end(options.onLost(`crashed: ${error.message}`, signal.aborted)));
    worker.on('exit', (code) => end(options.onLost(`stopped unexpectedly (exit code ${code})`, signal.aborted)));
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

/** A control driven by commands: the worker's (from its port) and this thread's (from the handle) alike. */
function commandedControl(): JobControl & { command(command: WorkerJobCommand): void } {
  let cancelled = false;
  let paused = false;
  const waiting: Array<() => void> = [];
  return {
    command(command) {
      if (command.type === 'cancel') cancelled = true;
      if (command.type === 'pause') paused = true;
      if (command.type === 'resume' || command.type === 'cancel') {
        paused = false;
        waiting.splice(0).forEach((wake) => wake());
      }
    },
    isCancelled: () => cancelled,
    whenRunnable: () =>
      paused && !cancelled ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve(),
  };
}

/** Runs a job's body in this thread, with the same messages and commands as in its worker. */
function runJobHere<D, M, T>(
  load: () => Promise<JobBody<D, M>>,
  data: D,
  signal: AbortSignal,
  options: WorkerJobOptions<M, T>,
): WorkerJobHandle<T> {
  const control = commandedControl();
  const done = new Promise<T>((resolve, reject) => {
    const { finish, settled } = settleOnce<T>(signal, () => control.command({ type: 'cancel' }), resolve, reject);
    // Cloned as a worker's messages are: the main side never shares an object the engine may still change.
    const post = (message: M) => {
      if (settled()) return;
      const last = options.onMessage(structuredClone(message));
      if (last) finish(last);
    };
    load()
      .then((body) => body(structuredClone(data), post, control))
      .then(
        () => finish(options.onLost('stopped without saying how it ended', control.isCancelled())),
        (error: unknown) =>
          finish(
            options.onLost(`crashed: ${error instanceof Error ? error.message : String(error)}`, control.isCancelled()),
          ),
      );
  });
  return {
    done,
    pause: () => control.command({ type: 'pause' }),
    resume: () => control.command({ type: 'resume' }),
    kill: async () => {
      control.command({ type: 'cancel' });
      await done.then(
        () => undefined,
        () => undefined,
      );
    },
  };
}

/** Worker side: obeys the commands arriving on `port`. */
export function workerJobControl(port: MessagePort): JobControl {
  const control = commandedControl();
  port.on('message', (command: WorkerJobCommand) => control.command(command));
  return control;
}

/** A worker module's whole entry: runs the body with the worker's data and port, then closes the port. */
export async function serveWorkerJob<D, M>(name: string, body: JobBody<D, M>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error(`${name} must run in a worker thread`);
  try {
    await body(workerData as D, (message) => port.postMessage(message), workerJobControl(port));
  } finally {
    port.close();
  }
}
