/**
 * The relational job's state, kept on the target in `__cutover` (as the copy keeps its own): the job, and
 * per collection the root key of the last row whose document was written, the documents written and
 * whether it is complete. A job run again carries on after that key; documents written after the last
 * checkpoint are sent again and recognised by their _id.
 */
import type { MongoClient } from 'mongodb';
/** The database on the target that holds Cutover's job state (shared with the copy). */
export const META_DB = '__cutover';
import type { Row } from './source';

export interface CollectionCheckpoint {
  /** The root key of the last row written (a table without a primary key has none: it restarts). */
  last?: Row;
  docs: number;
  done: boolean;
}

interface JobDoc {
  _id: string;
  state: 'running' | 'done';
  startedAt: Date;
  updatedAt: Date;
}

interface CheckpointDoc {
  _id: string;
  job: string;
  collection: string;
  last: unknown[] | null;
  docs: number;
  done: boolean;
}

export class RelationalCheckpoints {
  constructor(
    private readonly target: MongoClient,
    private readonly jobKey: string,
  ) {}

  private get jobs() {
    return this.target.db(META_DB).collection<JobDoc>('relational_jobs');
  }

  private get checkpoints() {
    return this.target.db(META_DB).collection<CheckpointDoc>('relational_checkpoints');
  }

  /** Whether an earlier run of this job stopped before the end. */
  async unfinished(): Promise<boolean> {
    const job = await this.jobs.findOne({ _id: this.jobKey });
    return job?.state === 'running';
  }

  async begin(): Promise<void> {
    await this.checkpoints.deleteMany({ job: this.jobKey });
    const now = new Date();
    await this.jobs.replaceOne(
      { _id: this.jobKey },
      { state: 'running', startedAt: now, updatedAt: now },
      { upsert: true },
    );
  }

  async load(collection: string): Promise<CollectionCheckpoint> {
    const doc = await this.checkpoints.findOne({ _id: `${this.jobKey}|${collection}` });
    if (!doc) return { docs: 0, done: false };
    // Binary key values (MySQL bytes) come back as Binary: the driver needs Buffers as parameters.
    const last = doc.last?.map((v) =>
      v && typeof v === 'object' && 'buffer' in (v as object) && (v as { _bsontype?: string })._bsontype === 'Binary'
        ? Buffer.from((v as { buffer: Uint8Array }).buffer)
        : v,
    );
    return { last: last ?? undefined, docs: doc.docs, done: doc.done };
  }

  async save(collection: string, checkpoint: CollectionCheckpoint): Promise<void> {
    const result = await this.checkpoints.updateOne(
      { _id: `${this.jobKey}|${collection}` },
      {
        $set: {
          job: this.jobKey,
          collection,
          last: checkpoint.last ?? null,
          docs: checkpoint.docs,
          done: checkpoint.done,
        },
      },
      { upsert: true },
    );
    if (result.matchedCount === 0 && result.upsertedCount === 0)
      throw new Error(`The checkpoint store ${META_DB}.relational_checkpoints on the target is gone.`);
  }

  async finish(): Promise<void> {
    await this.checkpoints.deleteMany({ job: this.jobKey });
    await this.jobs.updateOne({ _id: this.jobKey }, { $set: { state: 'done', updatedAt: new Date() } });
  }
}
