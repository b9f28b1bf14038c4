/**
 * A job's History record: written once the work begins and again at each change that matters (pause,
 * route, remembered parameters, the end), one write at a time. What a re-run needs (the connection string,
 * the presets and remembered parameters) is sealed with the secret store before it is written.
 */
import type { MigrationContext, MigrationProvider } from '../../../providers/api/index';
import type { JobSnapshot } from '../../../preload/contract';
import type { JobHistory, RerunInfo, StoredJobRecord } from '../job-history';
import { ownProcessStart } from '../process-start';
import type { SecretStore } from '../secret-store';
import type { LogLevel } from './job-log';

/** What a re-run needs besides the provider: sealed before it is written. */
export interface RerunSecrets {
  uri?: string;
  parameters: Record<string, string>;
}

/** What the record is made of: the job as it stands. */
export interface RecordedJob {
  readonly begun: boolean;
  readonly provider: MigrationProvider;
  readonly actionId: string | undefined;
  readonly context: MigrationContext;
  readonly parameters: Record<string, string>;
  readonly logFile?: string;
  snapshot(): JobSnapshot;
  log(level: LogLevel, message: string): void;
}

/** What History's Run again needs, its secrets sealed. */
export function rerunInfo(secrets: SecretStore, job: RecordedJob): RerunInfo {
  // The presets it started with, but not `confirm`: a confirmation given for one run (the command
  // line's) is not replayed by History's Run again. What the provider remembered is kept as it chose.
  const { confirm: _once, ...presets } = job.context.extendedProperties;
  const sealed: RerunSecrets = {
    uri: job.context.connection?.uri,
    parameters: { ...presets, ...job.parameters } as Record<string, string>,
  };
  return {
    providerId: job.provider.id,
    actionId: job.actionId,
    connectionName: job.context.connection?.name,
    databaseName: job.context.databaseName,
    collectionName: job.context.collectionName,
    sealed: secrets.seal(JSON.stringify(sealed)),
  };
}

/** The stored record of a snapshot: what History lists, plus the log file, the re-run and the process. */
export function historyRecord(
  snap: JobSnapshot,
  extra: Pick<StoredJobRecord, 'logFile' | 'rerun' | 'processStart'>,
): StoredJobRecord {
  return {
    jobId: snap.jobId,
    providerId: snap.providerId,
    providerLabel: snap.providerLabel,
    actionId: snap.actionId,
    title: snap.title,
    state: snap.state,
    docs: snap.docs,
    bytes: snap.bytes,
    startedAt: snap.startedAt,
    endedAt: snap.endedAt,
    summary: snap.summary,
    stats: snap.stats,
    details: snap.details,
    canRerun: snap.canRerun,
    attention: snap.attention,
    heading: snap.heading,
    waitedMs: snap.waitedMs,
    route: snap.route,
    logFile: extra.logFile,
    rerun: extra.rerun,
    pid: process.pid,
    processStart: extra.processStart,
  };
}

export class HistoryRecorder {
  private chain: Promise<void> = Promise.resolve();

  /** Without `history` nothing is written; without `secrets` records cannot be re-run. */
  constructor(
    private readonly history?: JobHistory,
    private readonly secrets?: SecretStore,
  ) {}

  get canRerun(): boolean {
    return !!this.history && !!this.secrets;
  }

  /** Writes the job's record, one write at a time; failures are logged, never fatal to the job. */
  save(job: RecordedJob): Promise<void> {
    this.chain = this.chain.then(() => this.write(job));
    return this.chain;
  }

  private async write(job: RecordedJob): Promise<void> {
    const { history, secrets } = this;
    // A plan is not a job yet: nothing goes to History until the work begins.
    if (!history || !job.begun) return;
    const snap = job.snapshot();
    const rerun = secrets ? rerunInfo(secrets, job) : undefined;
    try {
      await history.save(historyRecord(snap, { logFile: job.logFile, rerun, processStart: await ownProcessStart() }));
    } catch (error) {
      job.log('warning', `Could not write the job record: ${(error as Error).message}`);
    }
  }
}
