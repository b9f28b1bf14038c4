/**
 * One job's state: planning or begun, running, paused or ended, its progress, the time spent waiting for
 * answers (left out of durations), why it is stalled, where its data goes, and its result. It turns that
 * state into throttled snapshots for the window, and holds the job's log, open prompts and History record.
 */
import { randomUUID } from 'node:crypto';
import type { ActionResult, MigrationContext, MigrationProvider } from '../../../providers/api/index';
import type { JobSnapshot, JobState } from '../../../preload/contract';
import { ProgressTracker } from '../progress-tracker';
import type { PromptAnswer } from './answer-check';
import { HistoryRecorder } from './history-record';
import { JobLog, jobLogFile, type LogLevel } from './job-log';
import { OpenPrompts, type PromptInput } from './open-prompts';
import type { JobRunnerOptions } from './runner-options';

export class Job {
  readonly id = randomUUID();
  readonly tracker = new ProgressTracker();
  readonly abort = new AbortController();
  readonly pauseListeners = new Set<(paused: boolean) => void>();
  readonly prompts: OpenPrompts;
  parameters: Record<string, string> = {};
  state: JobState = 'running';
  /** When the work began (until then, when the plan was opened). */
  startedAt = Date.now();
  /** False while the provider plans (asks its questions): no History record, no pause. */
  begun = false;
  /** Time spent waiting for answers (since the work began): not counted in durations. */
  waitedMs = 0;
  private openQuestions = 0;
  private waitSince = 0;
  /** Why the work is held up (a target retried), shown with a rate of 0 and no ETA. */
  stalled?: string;
  /** Where the data goes (History's From → To). */
  route?: { from: string; to?: string; format?: string };
  endedAt?: number;
  result?: ActionResult;
  /** A question the host itself is asking (a file chooser, replace a file?), shown by the window as a note. */
  waitingFor?: string;
  done!: Promise<void>;
  private emitTimer?: NodeJS.Timeout;
  private lastEmit = 0;
  private readonly jobLog: JobLog;
  private readonly record: HistoryRecorder;

  constructor(
    readonly provider: MigrationProvider,
    readonly actionId: string | undefined,
    readonly title: string,
    private readonly options: JobRunnerOptions,
    readonly context: MigrationContext,
  ) {
    this.jobLog = new JobLog(jobLogFile(options.logDir, this.id), (message) => {
      this.tracker.warn(message);
      this.changed();
    });
    this.record = new HistoryRecorder(options.history, options.secrets);
    this.prompts = new OpenPrompts(this.id, options.events, this.abort.signal, {
      opened: () => this.questionOpened(),
      closed: () => this.questionClosed(),
    });
  }

  /** The plan is settled: the job now exists (History record, Pause), and its duration counts from here. */
  beginWork(): void {
    if (this.begun) return;
    this.begun = true;
    this.startedAt = Date.now();
    this.waitedMs = 0;
    if (this.openQuestions) this.waitSince = this.startedAt;
    this.log('info', 'Began');
    this.changed(true);
    void this.saveRecord();
  }

  /** Counts the time a question is open (a prompt, a host dialog), so durations leave it out. */
  questionOpened(): void {
    if (this.openQuestions++ === 0) this.waitSince = Date.now();
  }

  questionClosed(): void {
    if (this.openQuestions === 0) return;
    if (--this.openQuestions === 0) this.waitedMs += Date.now() - this.waitSince;
  }

  get logFile(): string | undefined {
    return this.jobLog.file;
  }

  get canRerun(): boolean {
    return this.record.canRerun;
  }

  /** Writes the job's record (History), one write at a time; failures are logged, never fatal to the job. */
  saveRecord(): Promise<void> {
    return this.record.save(this);
  }

  snapshot(): JobSnapshot {
    const progress = this.tracker.snapshot();
    const stalled = this.stalled && (this.state === 'running' || this.state === 'paused') ? this.stalled : undefined;
    const waitedMs = this.waitedMs + (this.openQuestions ? Date.now() - this.waitSince : 0);
    return {
      jobId: this.id,
      providerId: this.provider.id,
      providerLabel: this.provider.label,
      actionId: this.actionId,
      title: this.title,
      state: this.state,
      ...progress,
      ...(stalled ? { stalled, docsPerSecond: 0, bytesPerSecond: 0, etaSeconds: undefined } : {}),
      ...(this.begun ? {} : { planning: true }),
      ...(waitedMs > 0 ? { waitedMs } : {}),
      ...(this.route ? { route: this.route } : {}),
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      summary: this.result?.summary,
      stats: this.result?.stats,
      details: this.result?.details,
      canRerun: this.canRerun,
      attention: this.result?.outcome === 'succeeded' ? this.result.attention : undefined,
      heading: this.result?.outcome === 'succeeded' ? this.result.heading : undefined,
      ...(this.waitingFor ? { waitingFor: this.waitingFor } : {}),
    };
  }

  /** Runs a host-side question, telling the window meanwhile what the job waits for and where. */
  async waiting<T>(note: string, question: () => Promise<T>): Promise<T> {
    this.waitingFor = note;
    this.questionOpened();
    this.changed(true);
    try {
      return await question();
    } finally {
      this.questionClosed();
      this.waitingFor = undefined;
      this.changed(true);
    }
  }

  /** Emits now if the last snapshot is old enough, otherwise once the throttle interval has passed. */
  changed(immediate = false): void {
    const throttle = this.options.throttleMs ?? 250;
    const wait = immediate ? 0 : Math.max(0, this.lastEmit + throttle - Date.now());
    if (wait === 0) {
      clearTimeout(this.emitTimer);
      this.emitTimer = undefined;
      this.lastEmit = Date.now();
      this.options.events.updated(this.snapshot());
    } else if (!this.emitTimer) {
      this.emitTimer = setTimeout(() => {
        this.emitTimer = undefined;
        this.changed(true);
      }, wait);
    }
  }

  log(level: LogLevel, message: string): void {
    this.jobLog.write(level, message);
  }

  flushLog(): Promise<void> {
    return this.jobLog.flush();
  }

  ask(prompt: PromptInput, preview?: Parameters<OpenPrompts['ask']>[1], promptId?: string): Promise<PromptAnswer> {
    return this.prompts.ask(prompt, preview, promptId);
  }

  closePrompts(): void {
    this.prompts.closeAll();
  }
}
