/**
 * Every job's record in the app's data folder (`<dataDir>/jobs/<jobId>.json`): what ran, when, how far
 * it got, its result and verification, where its log is, and (sealed) what is needed to run it again.
 * Records are written atomically (temp file + rename) so a crash never leaves a half-written one.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { JobRecordSchema } from '../../preload/contract';
import { processStillRuns } from './process-start';

/** What re-running a job needs; `sealed` holds the connection string and remembered parameters, encrypted. */
export const RerunInfoSchema = z.object({
  providerId: z.string(),
  actionId: z.string().optional(),
  connectionName: z.string().optional(),
  databaseName: z.string().optional(),
  collectionName: z.string().optional(),
  sealed: z.string(),
});
export type RerunInfo = z.infer<typeof RerunInfoSchema>;

const StoredRecordSchema = JobRecordSchema.extend({
  rerun: RerunInfoSchema.optional(),
  /** The process that ran the job, and when that process started (pids are reused): ./process-start.ts. */
  pid: z.number().int().optional(),
  processStart: z.number().optional(),
});
export type StoredJobRecord = z.infer<typeof StoredRecordSchema>;

const MAX_LISTED = 500;

export class JobHistory {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'jobs');
  }

  async save(record: StoredJobRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${record.jobId}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(record, null, 2), { mode: 0o600 });
    await rename(temp, file);
  }

  async get(jobId: string): Promise<StoredJobRecord | undefined> {
    if (!/^[A-Za-z0-9-]+$/.test(jobId)) return undefined;
    return this.read(path.join(this.dir, `${jobId}.json`));
  }

  /**
   * Newest first. A record left running or paused by a process that has ended (its pid is gone, or
   * belongs to a process started at another time) is shown as interrupted; one whose process still
   * runs (another Cutover, a CLI job) is shown as it is. `liveJobIds`: the jobs this process runs.
   */
  async list(liveJobIds: ReadonlySet<string>): Promise<StoredJobRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    const records = (await Promise.all(names.map((name) => this.read(path.join(this.dir, name))))).filter(
      (r): r is StoredJobRecord => !!r,
    );
    const shown = await Promise.all(records.map((record) => this.asShown(record, liveJobIds)));
    return shown.sort((a, b) => b.startedAt - a.startedAt).slice(0, MAX_LISTED);
  }

  /** A record as History shows it: interrupted when left running or paused by a process that has ended. */
  private async asShown(record: StoredJobRecord, liveJobIds: ReadonlySet<string>): Promise<StoredJobRecord> {
    if ((record.state !== 'running' && record.state !== 'paused') || liveJobIds.has(record.jobId)) return record;
    if (
      record.pid !== undefined &&
      record.pid !== process.pid &&
      (await processStillRuns(record.pid, record.processStart))
    )
      return record;
    return interrupted(record);
  }

  private async read(file: string): Promise<StoredJobRecord | undefined> {
    try {
      const parsed = StoredRecordSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

function interrupted(record: StoredJobRecord): StoredJobRecord {
  const who = record.pid !== undefined ? ` (process ${record.pid})` : '';
  return {
    ...record,
    state: 'failed',
    interrupted: true,
    summary: `Interrupted: the Cutover process that ran this job${who} ended while it was ${record.state}.${record.canRerun ? ' Run it again to resume where it stopped.' : ''}${record.summary ? ` ${record.summary}` : ''}`,
  };
}
