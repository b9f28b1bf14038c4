/**
 * Import checkpoints, kept on the target in Cutover's `__cutover` database (as the copy keeps its own):
 * which file (path, size, modification time), into which collection, and how far the last written
 * batch reached (record index, byte offset, line). Running the same import again resumes from there.
 * A checkpoint write that matches nothing means the store vanished with the target's data: it fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { META_DB } from '../shared/meta-db';
import { CutoverError } from '../api/index';

export interface ImportCheckpoint {
  _id: string;
  state: 'importing' | 'done';
  file: string;
  db: string;
  coll: string;
  /** The next record to read (records before it are in the target or in the error log). */
  index: number;
  /** Byte offset and line just after the last written record, for formats that can seek. */
  offset?: number;
  line?: number;
  docs: number;
  bad: number;
  skipped: number;
  /** The import's error log (one for the whole import, carried across resumes) and how far it had reached. */
  errorLog?: string;
  logBytes?: number;
  logRows?: number;
  /**
   * No record at or after this index was sent to the target (import-batches.ts: checkpoints are leases);
   * records from `index` up to it may be there already. Absent in checkpoints written before leases.
   */
  leaseEnd?: number;
  /** First 8 bytes of the _ids given to documents without one (the rest is the record index). */
  idPrefix: string;
  startedAt: Date;
  updatedAt: Date;
}

export function importKey(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function newIdPrefix(): string {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000), 0);
  randomBytes(4).copy(bytes, 4);
  return bytes.toString('hex');
}

export class ImportCheckpoints {
  constructor(private readonly client: MongoClient) {}

  private get imports() {
    return this.client.db(META_DB).collection<ImportCheckpoint>('imports');
  }

  load(key: string): Promise<ImportCheckpoint | null> {
    return this.imports.findOne({ _id: key });
  }

  async begin(checkpoint: ImportCheckpoint): Promise<void> {
    await this.imports.replaceOne({ _id: checkpoint._id }, checkpoint, { upsert: true });
  }

  async save(
    key: string,
    progress: Pick<
      ImportCheckpoint,
      'index' | 'offset' | 'line' | 'docs' | 'bad' | 'skipped' | 'errorLog' | 'logBytes' | 'logRows' | 'leaseEnd'
    >,
  ): Promise<void> {
    const set: Partial<ImportCheckpoint> = { ...progress, updatedAt: new Date() };
    if (set.offset === undefined) delete set.offset;
    if (set.line === undefined) delete set.line;
    const { matchedCount } = await this.imports.updateOne({ _id: key }, { $set: set });
    if (matchedCount === 0) throw new CheckpointLostError(key);
  }

  async finish(key: string): Promise<void> {
    const { matchedCount } = await this.imports.updateOne(
      { _id: key },
      { $set: { state: 'done', updatedAt: new Date() } },
    );
    if (matchedCount === 0) throw new CheckpointLostError(key);
  }
}

/**
 * A checkpoint write that matched nothing: the checkpoint written when the import began is gone, so the
 * target lost its data (restarted without it, replaced by another server) or `__cutover` was dropped.
 */
export class CheckpointLostError extends CutoverError {
  override name = 'CheckpointLostError';
  constructor(readonly key: string) {
    super(
      `The import's checkpoint in ${META_DB}.imports on the target is gone (it was written when the import began): the target lost its data during the import (was it restarted without it, or replaced by another server?), so what it holds cannot be trusted`,
    );
  }
}
