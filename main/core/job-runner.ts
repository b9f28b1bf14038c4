/**
 * Runs provider actions as jobs: starts them, ends them with a result, and passes on cancel, pause and the
 * window's answers. The parts live in ./jobs/: the job's state and snapshots (job-state), its log file
 * (job-log), its History record (history-record), its open prompts and the check of their answers
 * (open-prompts, answer-check), and the ActionHost a provider gets (action-host, ui-port-adapter).
 */
import {
  CancelledError,
  type ActionResult,
  type MappingPreview,
  type MigrationContext,
  type MigrationProvider,
} from '../../providers/api/index';
import { NotFoundError } from '../../providers/api/errors';
import type { JobSnapshot } from '../../preload/contract';
import { redactSecretsInText } from './connection-string';
import { actionHostFor } from './jobs/action-host';
import type { PromptAnswer } from './jobs/answer-check';
import { jobLogFile, readLogTail } from './jobs/job-log';
import { Job } from './jobs/job-state';
import type { JobRunnerOptions } from './jobs/runner-options';

export { PromptAnswerError } from './jobs/answer-check';
export type { ConnectionChoice, JobEvents, JobRunnerOptions } from './jobs/runner-options';

export class JobRunner {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly options: JobRunnerOptions) {}

  start(provider: MigrationProvider, actionId: string | undefined, context: MigrationContext, title: string): string {
    const job = new Job(provider, actionId, title, this.options, context);
    this.jobs.set(job.id, job);
    // Where the data comes from, until the provider says more: the connection and the selection.
    const where = [context.databaseName, context.collectionName].filter(Boolean).join('.');
    if (context.connection)
      job.route = { from: where ? `${context.connection.name} · ${where}` : context.connection.name };
    const host = actionHostFor(job, this.options);
    job.log('info', `Started ${provider.label}${actionId ? ` / ${actionId}` : ''}`);
    job.changed(true);
    job.done = (async () => {
      let result: ActionResult;
      try {
        result = await provider.executeAction(context, actionId, host);
      } catch (error) {
        const cancelled = error instanceof CancelledError || job.abort.signal.aborted;
        const message = redactSecretsInText(error instanceof Error ? error.message : String(error));
        result = cancelled
          ? { outcome: 'cancelled', summary: message || 'Cancelled.' }
          : { outcome: 'failed', summary: message };
        if (!cancelled) {
          job.tracker.error(message);
          job.log('error', message);
        }
      }
      // A plan given up (a question dismissed, Cancel while planning) leaves nothing in History; one that
      // ended otherwise without signalling (a failure, a report-only action) is recorded as a job.
      const abandonedPlan = !job.begun && result.outcome === 'cancelled';
      if (!job.begun && !abandonedPlan) job.begun = true;
      job.result = result;
      job.state = result.outcome;
      job.endedAt = Date.now();
      job.log(
        'info',
        `Ended: ${result.outcome}${result.outcome === 'succeeded' && result.attention ? ` (${result.attention})` : ''}: ${result.summary}`,
      );
      job.closePrompts();
      job.pauseListeners.clear();
      await job.flushLog();
      if (!abandonedPlan) await job.saveRecord();
      job.changed(true);
    })();
    return job.id;
  }

  cancel(jobId: string): void {
    const job = this.require(jobId);
    if (job.state !== 'running' && job.state !== 'paused') return;
    if (job.state === 'paused') this.setPaused(job, false);
    job.abort.abort(new CancelledError());
    job.closePrompts();
    job.changed(true);
  }

  pause(jobId: string): void {
    this.setPaused(this.require(jobId), true);
  }

  resume(jobId: string): void {
    this.setPaused(this.require(jobId), false);
  }

  /** The job's log text (the newest part when it is long). */
  async log(jobId: string): Promise<{ path?: string; text: string; truncated: boolean }> {
    const job = this.jobs.get(jobId);
    const file = job?.logFile ?? jobLogFile(this.options.logDir, jobId);
    if (!file) return { text: '', truncated: false };
    await job?.flushLog();
    return readLogTail(file);
  }

  isLive(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  liveIds(): Set<string> {
    return new Set(this.jobs.keys());
  }

  private setPaused(job: Job, paused: boolean): void {
    if (!job.begun || (paused ? job.state !== 'running' : job.state !== 'paused')) return;
    job.state = paused ? 'paused' : 'running';
    job.log('info', paused ? 'Paused' : 'Resumed');
    job.pauseListeners.forEach((listener) => listener(paused));
    job.changed(true);
    void job.saveRecord();
  }

  answer(jobId: string, promptId: string, value: PromptAnswer): void {
    this.require(jobId).prompts.answer(promptId, value);
  }

  /** A live preview for an open mapping prompt (the window's mapping is checked by the provider's function). */
  async preview(jobId: string, promptId: string, mapping: string, collection?: string): Promise<MappingPreview> {
    return this.require(jobId).prompts.preview(promptId, mapping, collection);
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((job) => job.snapshot());
  }

  /** Resolves when the job has ended (for tests and the CLI). */
  async whenDone(jobId: string): Promise<JobSnapshot> {
    const job = this.require(jobId);
    await job.done;
    return job.snapshot();
  }

  /** Cancels every running job and waits for them to end. */
  async shutdown(): Promise<void> {
    for (const job of this.jobs.values()) if (job.state === 'running') this.cancel(job.id);
    await Promise.all([...this.jobs.values()].map((job) => job.done));
  }

  private require(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`No job ${jobId}.`);
    return job;
  }
}
