/**
 * The copy job's state, kept on the target (as mongosync keeps its own on the destination): which
 * namespaces are prepared, copied and indexed, and for every partition the last _id written. Running
 * the same job again reads this and carries on; at most one batch per partition is sent twice.
 */
import type { Document, MongoClient } from 'mongodb';
import type { Partition } from './partitions';

/** The database on the target that holds Cutover's copy state. It is never copied or listed. */
import { META_DB } from '../shared/meta-db';
import { CutoverError } from '../api/index';

export { META_DB };

/** Exact decoding, so _id bounds (Long, Decimal128…) come back as they were written. */
const EXACT = { promoteValues: false, promoteLongs: false, bsonRegExp: true } as const;

export interface NamespaceState {
  prepared?: boolean;
  dataDone?: boolean;
  indexesDone?: boolean;
}

export interface JobState {
  _id: string;
  state: 'copying' | 'done';
  namespaces: Record<string, NamespaceState>;
  startedAt: Date;
  updatedAt: Date;
}

export interface PartitionState extends Partition {
  ns: string;
  /** The last _id written, when any. */
  last?: { value: unknown };
  docs: number;
  bytes: number;
  skipped: number;
  done: boolean;
  /**
   * How many documents after `last` may have been sent (partition-copy.ts: checkpoints are leases).
   * Absent in checkpoints written before leases.
   */
  lease?: number;
}

/**
 * A checkpoint write matched nothing: the copy's state on the target is gone (the target was restarted
 * empty, restored, or its databases dropped while the copy ran), so what was written may be gone too.
 */
export class CheckpointsLostError extends CutoverError {
  override name = 'CheckpointsLostError';
  constructor(what: string) {
    super(
      `The target lost the copy's checkpoints: ${what} is gone. ` +
        'The target was restarted empty, restored or had databases dropped while the copy ran, so documents already written may be gone too.',
    );
  }
}

export class CheckpointStore {
  constructor(
    private readonly target: MongoClient,
    private readonly jobKey: string,
  ) {}

  private get jobs() {
    return this.target.db(META_DB).collection<JobState>('jobs');
  }

  private get partitions() {
    return this.target.db(META_DB).collection<{ _id: string } & Document>('partitions');
  }

  async load(): Promise<JobState | null> {
    return this.jobs.findOne({ _id: this.jobKey });
  }

  async begin(): Promise<void> {
    await this.partitions.deleteMany({ job: this.jobKey });
    const now = new Date();
    await this.jobs.replaceOne(
      { _id: this.jobKey },
      { state: 'copying', namespaces: {}, startedAt: now, updatedAt: now },
      { upsert: true },
    );
  }

  async markNamespace(key: string, patch: NamespaceState): Promise<void> {
    const set: Document = { updatedAt: new Date() };
    for (const [field, value] of Object.entries(patch)) set[`namespaces.${escapeKey(key)}.${field}`] = value;
    await this.updateJob(set);
  }

  /** Updates the job's record; a record that is gone means the target lost the copy's state. */
  private async updateJob(set: Document): Promise<void> {
    const { matchedCount } = await this.jobs.updateOne({ _id: this.jobKey }, { $set: set });
    if (matchedCount === 0)
      throw new CheckpointsLostError(`this copy's job record in ${META_DB}.jobs (_id "${this.jobKey}")`);
  }

  namespaceState(job: JobState | null, key: string): NamespaceState {
    return job?.namespaces?.[escapeKey(key)] ?? {};
  }

  async finish(): Promise<void> {
    await this.updateJob({ state: 'done', updatedAt: new Date() });
    await this.partitions.deleteMany({ job: this.jobKey });
  }

  async loadPartitions(ns: string): Promise<PartitionState[] | undefined> {
    const docs = await this.partitions.find({ job: this.jobKey, ns }, { ...EXACT, sort: { order: 1 } }).toArray();
    if (docs.length === 0) return undefined;
    return docs.map((doc) => ({
      id: String(doc.part),
      ns,
      typeClass: String(doc.typeClass),
      lo: doc.hasLo ? doc.lo : undefined,
      hi: doc.hasHi ? doc.hi : undefined,
      last: doc.hasLast ? { value: doc.last } : undefined,
      docs: Number(doc.docs),
      bytes: Number(doc.bytes),
      skipped: Number(doc.skipped ?? 0),
      done: Boolean(doc.done?.valueOf?.() ?? doc.done),
      lease: doc.lease === undefined || doc.lease === null ? undefined : Number(doc.lease),
    }));
  }

  async savePartitions(ns: string, partitions: Partition[]): Promise<PartitionState[]> {
    const states = partitions.map<PartitionState>((p) => ({ ...p, ns, docs: 0, bytes: 0, skipped: 0, done: false }));
    // The job's record must still be there: new partitions must not be saved into a target that lost it.
    await this.updateJob({ updatedAt: new Date() });
    await this.partitions.deleteMany({ job: this.jobKey, ns }); // idempotent when retried
    // An empty collection has no partitions: nothing to save (it is copied when it is created).
    if (states.length === 0) return states;
    await this.partitions.insertMany(
      states.map((p, order) => ({
        _id: this.partId(ns, p.id),
        job: this.jobKey,
        ns,
        part: p.id,
        order,
        typeClass: p.typeClass,
        hasLo: p.lo !== undefined,
        lo: p.lo ?? null,
        hasHi: p.hi !== undefined,
        hi: p.hi ?? null,
        hasLast: false,
        last: null,
        docs: 0,
        bytes: 0,
        skipped: 0,
        done: false,
        lease: 0,
      })),
    );
    return states;
  }

  async checkpoint(p: PartitionState): Promise<void> {
    const { matchedCount } = await this.partitions.updateOne(
      { _id: this.partId(p.ns, p.id) },
      {
        $set: {
          hasLast: p.last !== undefined,
          last: p.last?.value ?? null,
          docs: p.docs,
          bytes: p.bytes,
          skipped: p.skipped,
          done: p.done,
          lease: p.lease ?? 0,
        },
      },
    );
    if (matchedCount === 0)
      throw new CheckpointsLostError(`the checkpoint of ${p.ns} (partition ${p.id}) in ${META_DB}.partitions`);
  }

  private partId(ns: string, part: string): string {
    return `${this.jobKey}|${ns}|${part}`;
  }
}

/** Namespace keys hold dots; field names in the job document cannot. */
function escapeKey(key: string): string {
  return key.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/^\$/, '%24');
}
