/**
 * Where the copy worker's batches are decoded and written: in the copy worker itself (the default:
 * least memory), or in writer threads (see writer-thread.ts) when CPU is the limit: batches of raw
 * BSON go to the least busy thread, moved (not copied) in one buffer. Each write resolves with how
 * many documents were kept as they were and the batch size the target currently takes.
 */
import type { Worker } from 'node:worker_threads';
import { resolveWorkerModule, spawnWorker } from '../shared/worker';
import { BSON, type MongoClient } from 'mongodb';
import { BatchWriter, type WritePolicy } from '../shared/mongo-writer';
import type { WriterCommand, WriterReply } from './writer-messages';

export interface PoolWrite {
  db: string;
  coll: string;
  conflict: WritePolicy;
  duplicatesAreOurs: boolean;
  maxDocs: number;
  raws: Uint8Array[];
  bytes: number;
}

interface Thread {
  worker: Worker;
  busy: number;
}

/** Where the copy's batches go: written in this thread, or handed to writer threads. */
export interface BatchSink {
  write(batch: PoolWrite): Promise<{ skipped: number; batchSize: number }>;
  close(): Promise<void>;
}

const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;

/** Decodes and writes batches in the calling thread (one BatchWriter per target collection). */
export class InThreadSink implements BatchSink {
  private readonly writers = new Map<string, BatchWriter>();

  constructor(
    private readonly target: MongoClient,
    private readonly warn: (message: string) => void,
  ) {}

  async write(batch: PoolWrite): Promise<{ skipped: number; batchSize: number }> {
    const key = `${batch.db}.${batch.coll}`;
    let writer = this.writers.get(key);
    if (!writer) {
      writer = new BatchWriter(this.target.db(batch.db), batch.coll, { conflict: batch.conflict, where: key, maxDocs: batch.maxDocs, warn: this.warn });
      this.writers.set(key, writer);
    }
    const skipped = await writer.writeRaw(batch, { duplicatesAreOurs: batch.duplicatesAreOurs });
    return { skipped, batchSize: writer.batchSize };
  }

  async close(): Promise<void> {}
}

export class WriterPool implements BatchSink {
  private readonly threads: Thread[];
  private readonly pending = new Map<number, { resolve(value: { skipped: number; batchSize: number }): void; reject(error: Error): void; thread: Thread }>();
  private nextId = 1;
  private failure?: Error;

  constructor(targetUri: string, size: number, timeoutMs: number, warn: (message: string) => void) {
    const entry = resolveWorkerModule(import.meta.url, 'writer-thread');
    this.threads = Array.from({ length: Math.max(1, size) }, () => {
      const thread: Thread = { worker: spawnWorker(entry, { targetUri, timeoutMs }), busy: 0 };
      thread.worker.on('message', (reply: WriterReply) => {
        if (reply.type === 'warn') return warn(reply.message);
        const waiting = this.pending.get(reply.id);
        if (!waiting) return;
        this.pending.delete(reply.id);
        waiting.thread.busy--;
        if (reply.type === 'written') waiting.resolve({ skipped: reply.skipped, batchSize: reply.batchSize });
        else waiting.reject(new Error(reply.message));
      });
      thread.worker.on('error', (error) => this.fail(new Error(`A copy writer thread crashed: ${error.message}`)));
      thread.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`A copy writer thread stopped unexpectedly (exit code ${code}).`)));
      return thread;
    });
  }

  write(batch: PoolWrite): Promise<{ skipped: number; batchSize: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const buffer = new Uint8Array(batch.bytes);
    let offset = 0;
    for (const raw of batch.raws) {
      buffer.set(raw, offset);
      offset += raw.byteLength;
    }
    const thread = this.threads.reduce((least, t) => (t.busy < least.busy ? t : least));
    const id = this.nextId++;
    thread.busy++;
    const command: WriterCommand = { type: 'write', id, db: batch.db, coll: batch.coll, conflict: batch.conflict, duplicatesAreOurs: batch.duplicatesAreOurs, maxDocs: batch.maxDocs, buffer: buffer.buffer };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, thread });
      thread.worker.postMessage(command, [buffer.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(
        (thread) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void thread.worker.terminate().then(() => resolve()), 2_000);
            thread.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            thread.worker.postMessage({ type: 'close' } satisfies WriterCommand);
          }),
      ),
    );
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}
