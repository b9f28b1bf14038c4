/**
 * Where a job runs (worker-job.ts): in this thread, a job's body gets the same data, commands and
 * message handling as in its worker; a job that asks for a short-lived heap still gets a worker.
 * The providers' own tests run real jobs both ways (mongo-copy/this-thread.test.ts, the CLI's tests).
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { placeJobs, startJob, type JobBody, type JobStart, type WorkerJobOptions } from './worker-job';

type Message = { type: 'step'; n: number; seen?: string } | { type: 'done'; total: number };

/** The main side; `kept` holds the step messages it was handed (as a progress store would). */
const options = (kept: Array<{ n: number }> = []): WorkerJobOptions<Message, number> => ({
  cancelGraceMs: 1_000,
  onMessage: (message) => {
    if (message.type === 'done') return { outcome: message.total };
    kept.push(message);
    return undefined;
  },
  onLost: (reason, cancelled) => ({ error: new Error(`lost (${cancelled ? 'cancelled' : 'running'}): ${reason}`) }),
});

/** A job started here must not spawn its worker; one that must spawn it says so. */
const noWorker = (): Worker => {
  throw new Error('a worker was started');
};

function here(body: JobBody<{ count: number }, Message>, data = { count: 3 }): JobStart<{ count: number }, Message> {
  return { data, worker: noWorker, body: async () => body };
}

afterEach(() => placeJobs('worker'));

describe('jobs in this thread', () => {
  it('relays messages as copies, and the last one settles the job', async () => {
    placeJobs('this-thread');
    const steps: Array<{ n: number }> = [];
    const handle = startJob(
      here(async ({ count }, post) => {
        const message = { type: 'step' as const, n: 0 };
        for (let n = 1; n <= count; n++) {
          message.n = n;
          post(message); // the engine reuses its object: the main side must have kept what it was sent
        }
        post({ type: 'done', total: count });
      }),
      new AbortController().signal,
      options(steps),
    );
    await expect(handle.done).resolves.toBe(3);
    expect(steps.map((m) => m.n)).toEqual([1, 2, 3]);
  });

  it('turns a throw, or an end without a last message, into the provider’s error', async () => {
    placeJobs('this-thread');
    const signal = new AbortController().signal;
    await expect(
      startJob(
        here(async () => {
          throw new Error('boom');
        }),
        signal,
        options(),
      ).done,
    ).rejects.toThrow('lost (running): crashed: boom');
    await expect(
      startJob(
        here(async () => undefined),
        signal,
        options(),
      ).done,
    ).rejects.toThrow('lost (running): stopped without saying how it ended');
  });

  it('holds a paused body at its gate, and a cancel releases it as cancelled', async () => {
    placeJobs('this-thread');
    const abort = new AbortController();
    const steps: Array<{ n: number }> = [];
    let reached = 0;
    const handle = startJob(
      here(async (_data, post, control) => {
        for (let n = 1; ; n++) {
          await control.whenRunnable();
          if (control.isCancelled()) return post({ type: 'done', total: -n });
          reached = n;
          post({ type: 'step', n });
          await new Promise((r) => setTimeout(r, 5));
        }
      }),
      abort.signal,
      options(steps),
    );
    await new Promise((r) => setTimeout(r, 30));
    handle.pause();
    await new Promise((r) => setTimeout(r, 20));
    const atPause = reached;
    await new Promise((r) => setTimeout(r, 50));
    expect(reached - atPause).toBeLessThanOrEqual(1);
    abort.abort();
    const total = await handle.done;
    expect(total).toBeLessThan(0); // ended through its cancel branch
    expect(steps.length).toBeGreaterThan(0);
  });

  it('still runs a short-lived-heap job in its worker (only a worker’s heap can be capped)', async () => {
    placeJobs('this-thread');
    let spawned = 0;
    const start: JobStart<{ count: number }, Message> = {
      data: { count: 2 },
      heap: 'short-lived',
      worker: () => {
        spawned++;
        return new Worker(`require('node:worker_threads').parentPort.postMessage({ type: 'done', total: 42 });`, {
          eval: true,
        });
      },
      body: async () => {
        throw new Error('the body was loaded in this thread');
      },
    };
    await expect(startJob(start, new AbortController().signal, options()).done).resolves.toBe(42);
    expect(spawned).toBe(1);
  });

  it('runs every job in its worker unless the host placed them here', () => {
    expect(() =>
      startJob(
        here(async (_d, post) => post({ type: 'done', total: 1 })),
        new AbortController().signal,
        options(),
      ),
    ).toThrow('a worker was started');
  });
});
