/**
 * Runs provider actions as jobs. Gives each action its UI port (prompts go out as events and come back
 * as answers), its progress port (coalesced to a few snapshots a second) and its cancellation token.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open as openFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CancelledError,
  cancellationFromSignal,
  type ActionHost,
  type ActionResult,
  type ConnectionKind,
  type FormValues,
  type MappingPreview,
  type MigrationContext,
  type MigrationProvider,
  type PauseToken,
  type PickItem,
  type UiPort,
} from '../../providers/api/index';
import { BadRequestError, NotFoundError } from '../../providers/api/errors';
import { CONNECTION_CHOICE, MAX_MAPPING_CHARS, type JobSnapshot, type JobState, type Prompt } from '../../preload/contract';
import { ProgressTracker } from './progress-tracker';
import type { LastChoices } from './last-choices';
import { redactSecretsInText } from './connection-string';
import type { JobHistory, RerunInfo } from './job-history';
import { ownProcessStart } from './process-start';
import type { SecretStore } from './secret-store';
import { exists, NO_HOST_DIALOGS, whyNotReplaceable, type HostDialogs } from './host-dialogs';

export interface JobEvents {
  updated(snapshot: JobSnapshot): void;
  prompt(prompt: Prompt): void;
  promptClosed(jobId: string, promptId: string): void;
}

export interface JobRunnerOptions {
  events: JobEvents;
  openExternal(url: string): Promise<void>;
  /** Folder for per-job log files (every warning and error). Omit to keep logs in memory only. */
  logDir?: string;
  /** Minimum milliseconds between two progress snapshots of one job. */
  throttleMs?: number;
  /** Where job records go (History); omit to keep none. */
  history?: JobHistory;
  /** Seals what re-running a job needs; without it jobs cannot be re-run from History. */
  secrets?: SecretStore;
  /** The host's own file chooser and replace question (never the window); without it, both refuse. */
  dialogs?: HostDialogs;
  /** The last choices per provider and source → target (defaults offered next time). */
  choices?: LastChoices;
  /** Saved and open connections of these kinds, for an input that offers them (the uri stays here). */
  connectionChoices?(kinds: ConnectionKind[]): Promise<ConnectionChoice[]>;
}

/** A connection an input prompt offers: the window gets all but `uri`. */
export interface ConnectionChoice {
  ref: string;
  label: string;
  detail: string;
  group: 'open' | 'saved';
  uri: string;
}

/** What a re-run needs besides the provider: sealed before it is written. */
interface RerunSecrets {
  uri?: string;
  parameters: Record<string, string>;
}

const MAX_LOG_TEXT = 256 * 1024;

type PromptAnswer = string | boolean | FormValues | undefined;
type PendingPrompt = { prompt: Prompt; resolve(value: PromptAnswer): void; preview?: PreviewGate };
/** A mapping prompt's previews: the provider's function, run one at a time (the newest waiting one next). */
type PreviewGate = { run(mapping: string, collection?: string): Promise<MappingPreview>; running?: Promise<MappingPreview>; tickets: number };
type PromptInput = Prompt extends infer P ? (P extends Prompt ? Omit<P, 'jobId' | 'promptId'> : never) : never;

export class PromptAnswerError extends BadRequestError {
  override name = 'PromptAnswerError';
}

class Job {
  readonly id = randomUUID();
  readonly tracker = new ProgressTracker();
  readonly abort = new AbortController();
  readonly prompts = new Map<string, PendingPrompt>();
  readonly pauseListeners = new Set<(paused: boolean) => void>();
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
  private logWrite: Promise<void> = Promise.resolve();
  private logFailed = false;

  constructor(
    readonly provider: MigrationProvider,
    readonly actionId: string | undefined,
    readonly title: string,
    private readonly options: JobRunnerOptions,
    readonly context: MigrationContext,
  ) {}

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
    return this.options.logDir ? path.join(this.options.logDir, `${this.id}.log`) : undefined;
  }

  get canRerun(): boolean {
    return !!this.options.history && !!this.options.secrets;
  }

  private saveChain: Promise<void> = Promise.resolve();

  /** Writes the job's record (History), one write at a time; failures are logged, never fatal to the job. */
  saveRecord(): Promise<void> {
    this.saveChain = this.saveChain.then(() => this.writeRecord());
    return this.saveChain;
  }

  private async writeRecord(): Promise<void> {
    const { history, secrets } = this.options;
    // A plan is not a job yet: nothing goes to History until the work begins.
    if (!history || !this.begun) return;
    const snap = this.snapshot();
    let rerun: RerunInfo | undefined;
    if (secrets) {
      // The presets it started with, but not `confirm`: a confirmation given for one run (the command
      // line's) is not replayed by History's Run again. What the provider remembered is kept as it chose.
      const { confirm: _once, ...presets } = this.context.extendedProperties;
      const sealed: RerunSecrets = { uri: this.context.connection?.uri, parameters: { ...presets, ...this.parameters } as Record<string, string> };
      rerun = {
        providerId: this.provider.id,
        actionId: this.actionId,
        connectionName: this.context.connection?.name,
        databaseName: this.context.databaseName,
        collectionName: this.context.collectionName,
        sealed: secrets.seal(JSON.stringify(sealed)),
      };
    }
    try {
      await history.save({
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
        logFile: this.logFile,
        rerun,
        pid: process.pid,
        processStart: await ownProcessStart(),
      });
    } catch (error) {
      this.log('warning', `Could not write the job record: ${(error as Error).message}`);
    }
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

  log(level: 'warning' | 'error' | 'info', message: string): void {
    const dir = this.options.logDir;
    if (!dir) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redactSecretsInText(message)}\n`;
    this.logWrite = this.logWrite
      .then(() => (this.logFailed ? undefined : mkdir(dir, { recursive: true }).then(() => appendFile(path.join(dir, `${this.id}.log`), line, { mode: 0o600 }))))
      .catch((error: Error) => {
        // A full disk, say: the job goes on, and says once that its log is incomplete.
        this.logFailed = true;
        this.tracker.warn(`The job's log ${path.join(dir, `${this.id}.log`)} could not be written (${error.message}); only the first messages are kept, here.`);
        this.changed();
      });
  }

  flushLog(): Promise<void> {
    return this.logWrite;
  }

  ask(prompt: PromptInput, preview?: PreviewGate['run'], promptId: string = randomUUID()): Promise<PromptAnswer> {
    if (this.abort.signal.aborted) return Promise.resolve(undefined);
    const full = { ...prompt, jobId: this.id, promptId } as Prompt;
    this.questionOpened();
    return new Promise((resolve) => {
      const answered = (value: PromptAnswer) => {
        this.questionClosed();
        resolve(value);
      };
      this.prompts.set(full.promptId, { prompt: full, resolve: answered, ...(preview ? { preview: { run: preview, tickets: 0 } } : {}) });
      this.options.events.prompt(full);
    });
  }

  closePrompts(): void {
    for (const [promptId, pending] of this.prompts) {
      this.prompts.delete(promptId);
      pending.resolve(undefined);
      this.options.events.promptClosed(this.id, promptId);
    }
  }
}

export class JobRunner {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly options: JobRunnerOptions) {}

  start(provider: MigrationProvider, actionId: string | undefined, context: MigrationContext, title: string): string {
    const job = new Job(provider, actionId, title, this.options, context);
    this.jobs.set(job.id, job);
    // Where the data comes from, until the provider says more: the connection and the selection.
    const where = [context.databaseName, context.collectionName].filter(Boolean).join('.');
    if (context.connection) job.route = { from: where ? `${context.connection.name} · ${where}` : context.connection.name };
    const host = this.hostFor(job);
    job.log('info', `Started ${provider.label}${actionId ? ` / ${actionId}` : ''}`);
    job.changed(true);
    job.done = (async () => {
      let result: ActionResult;
      try {
        result = await provider.executeAction(context, actionId, host);
      } catch (error) {
        const cancelled = error instanceof CancelledError || job.abort.signal.aborted;
        const message = redactSecretsInText(error instanceof Error ? error.message : String(error));
        result = cancelled ? { outcome: 'cancelled', summary: message || 'Cancelled.' } : { outcome: 'failed', summary: message };
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
      job.log('info', `Ended: ${result.outcome}${result.outcome === 'succeeded' && result.attention ? ` (${result.attention})` : ''}: ${result.summary}`);
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
    const file = job?.logFile ?? (this.options.logDir && /^[A-Za-z0-9-]+$/.test(jobId) ? path.join(this.options.logDir, `${jobId}.log`) : undefined);
    if (!file) return { text: '', truncated: false };
    await job?.flushLog();
    try {
      const handle = await openFile(file, 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, MAX_LOG_TEXT);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        return { path: file, text: buffer.toString('utf8'), truncated: size > length };
      } finally {
        await handle.close();
      }
    } catch {
      return { path: file, text: '', truncated: false };
    }
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
    const job = this.require(jobId);
    const pending = job.prompts.get(promptId);
    if (!pending) throw new NotFoundError(`No open prompt ${promptId} in job ${jobId} (it was answered or closed).`);
    const problem = answerProblem(pending.prompt, value);
    if (problem) throw new PromptAnswerError(problem);
    job.prompts.delete(promptId);
    pending.resolve(value);
    // Every window drops it (a second window or tab that still shows it, too).
    this.options.events.promptClosed(jobId, promptId);
  }

  /** A live preview for an open mapping prompt (the window's mapping is checked by the provider's function). */
  async preview(jobId: string, promptId: string, mapping: string, collection?: string): Promise<MappingPreview> {
    const gate = this.require(jobId).prompts.get(promptId)?.preview;
    if (!gate) throw new PromptAnswerError(`No open mapping prompt ${promptId} in job ${jobId} (it was answered or closed).`);
    // One preview runs at a time; of those asked meanwhile only the newest runs next (the others are answered at once).
    const ticket = ++gate.tickets;
    while (gate.running) {
      await gate.running.catch(() => undefined);
      if (ticket !== gate.tickets) throw new PromptAnswerError('A newer preview was asked for.');
    }
    const run = gate.run(mapping, collection);
    gate.running = run;
    const settled = () => {
      if (gate.running === run) gate.running = undefined;
    };
    run.then(settled, settled);
    return run;
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

  private hostFor(job: Job): ActionHost {
    const signal = job.abort.signal;
    const dialogs = this.options.dialogs ?? NO_HOST_DIALOGS;
    /** Existing files among these are replaced only if the host asked (once per file) and none is protected. */
    const replaceAllowed = async (files: string[], alreadyAsked: string | undefined, title: string): Promise<boolean> => {
      const existing = [...new Set(files)].filter(exists);
      for (const file of existing) {
        const why = whyNotReplaceable(file);
        if (why) throw new Error(why);
      }
      const ask = existing.filter((file) => file !== alreadyAsked);
      if (!ask.length || signal.aborted) return !signal.aborted;
      const yes = await job.waiting(`${title} Answer ${dialogs.where}.`, () => dialogs.confirmReplace({ jobTitle: job.title, title, files: ask, signal }));
      job.log('info', `${yes ? 'Replace' : 'Keep'}: ${ask.join(', ')}`);
      return yes && !signal.aborted;
    };
    const cancellation = cancellationFromSignal(signal);
    const pause: PauseToken = {
      get isPaused() {
        return job.state === 'paused';
      },
      onPauseChanged(listener) {
        job.pauseListeners.add(listener);
        return () => job.pauseListeners.delete(listener);
      },
    };
    const ui: UiPort = {
      pick: async (items: PickItem[], options) => {
        const id = await job.ask({ kind: 'pick', title: options.title, placeholder: options.placeholder, items });
        return items.find((item) => item.id === id);
      },
      input: async (options) => {
        let value = options.value;
        let error: string | undefined;
        const offered = options.connections?.length && this.options.connectionChoices ? await this.options.connectionChoices(options.connections).catch(() => []) : [];
        const choices = offered.length ? offered.map(({ ref, label, detail, group }) => ({ ref, label, detail, group })) : undefined;
        for (;;) {
          const answer = await job.ask({ kind: 'input', title: options.title, prompt: options.prompt, value, placeholder: options.placeholder, password: options.password, error, ...(choices ? { choices } : {}) });
          if (typeof answer !== 'string') return undefined;
          // A picked connection is resolved here: its full string never goes to the window.
          const picked = answer.startsWith(CONNECTION_CHOICE) ? offered.find((c) => c.ref === answer.slice(CONNECTION_CHOICE.length)) : undefined;
          const resolved = picked?.uri ?? answer;
          error = picked || !answer.startsWith(CONNECTION_CHOICE) ? await options.validate?.(resolved) : 'That connection is no longer offered: choose another one.';
          if (!error) {
            if (picked) job.log('info', `${options.title}: ${picked.label} (${picked.detail})`);
            return resolved;
          }
          value = options.password || picked ? '' : answer;
        }
      },
      confirm: async (options) => (await job.ask({ kind: 'confirm', ...options })) === true,
      form: async (options) => {
        let fields = options.fields;
        let error: string | undefined;
        for (;;) {
          const answer = await job.ask({ kind: 'form', title: options.title, description: options.description, fields, submitLabel: options.submitLabel, error });
          if (!answer || typeof answer !== 'object') return undefined;
          error = await options.validate?.(answer);
          if (!error) return answer;
          fields = fields.map((field) => (field.id in answer && !(field.type === 'text' && field.secret) ? ({ ...field, value: answer[field.id] } as typeof field) : field));
        }
      },
      showMessage: async (level, message, detail) => {
        if (level !== 'info') {
          job.log(level, detail ? `${message}: ${detail}` : message);
        }
        await job.ask({ kind: 'message', title: level === 'error' ? 'Error' : level === 'warning' ? 'Warning' : 'Information', level, message, detail });
      },
      report: async (options) => {
        const answer = await job.ask({ kind: 'report', ...options });
        return typeof answer === 'string' ? answer : undefined;
      },
      mapping: async (options) => {
        let mapping = options.mapping;
        let error: string | undefined;
        // One prompt id while it is asked again: the window keeps its place and its preview.
        const promptId = randomUUID();
        for (;;) {
          const prompt = { kind: 'mapping' as const, title: options.title, description: options.description, source: options.source, mapping, submitLabel: options.submitLabel, error };
          const answer = await job.ask(prompt, (text, collection) => options.preview(text, collection), promptId);
          if (typeof answer !== 'string') return undefined;
          error = await options.validate?.(answer);
          if (!error) return answer;
          mapping = answer;
        }
      },
      openExternal: (url) => {
        if (!/^https?:\/\//i.test(url)) return Promise.reject(new Error(`Refusing to open ${url}: only http and https links open outside Cutover.`));
        return this.options.openExternal(url);
      },
      // Paths and "replace this file?" are the host's own questions: they never go through the window.
      chooseFile: async (options) => {
        if (signal.aborted) return undefined;
        const pick = options.pick ?? 'file';
        if (options.mode === 'save' && pick === 'file-or-folder') throw new Error('chooseFile: a place to save is a file or a folder, not either.');
        const request = { jobTitle: job.title, mode: options.mode, title: options.title, pick, filters: options.filters, defaultName: options.defaultName, signal };
        const choice = await job.waiting(`${options.title}: choose ${dialogs.where}.`, () => dialogs.chooseFile(request));
        if (!choice || signal.aborted) return undefined;
        const chosen = path.resolve(choice.path);
        job.log('info', `${options.title}: ${chosen}`);
        if (options.mode === 'save') {
          const replaced = (options.replaces?.(chosen) ?? [chosen]).map((file) => path.resolve(file));
          if (!(await replaceAllowed(replaced, choice.replaceConfirmed ? chosen : undefined, 'Replace existing files?'))) return undefined;
        }
        return chosen;
      },
      confirmReplace: (files, title) => replaceAllowed(files.map((file) => path.resolve(file)), undefined, title ?? 'Replace existing files?'),
    };
    // A provider that does not signal begins with its first progress phase, count or item.
    const progressBegins = () => {
      if (!job.provider.signalsBegin) job.beginWork();
    };
    return {
      ui,
      cancellation,
      pause,
      begin: () => job.beginWork(),
      lastChoices: async (key) => this.options.choices?.get(job.provider.id, key).catch(() => undefined),
      keepChoices: (key, values) => {
        void this.options.choices?.keep(job.provider.id, key, values).catch((error: Error) => job.log('warning', `Could not keep the choices for next time: ${error.message}`));
      },
      route: (route) => {
        const text = (value: string | undefined) => (value === undefined ? undefined : redactSecretsInText(value).slice(0, 500));
        job.route = { from: text(route.from) ?? job.route?.from ?? '', to: text(route.to), ...(route.format ? { format: text(route.format) } : {}) };
        job.changed(true);
        void job.saveRecord();
      },
      remember: (parameters) => {
        job.parameters = { ...job.parameters, ...parameters };
        void job.saveRecord();
      },
      progress: {
        setPhases: (phases) => {
          job.tracker.setPhases(phases);
          job.changed();
        },
        phase: (name) => {
          progressBegins();
          job.tracker.setPhase(name);
          job.log('info', `Phase: ${name}`);
          job.changed(true);
        },
        update: (counts) => {
          progressBegins();
          job.stalled = undefined;
          job.tracker.update(counts);
          job.changed();
        },
        item: (item) => {
          progressBegins();
          job.tracker.item(item);
          job.changed();
        },
        warn: (message) => {
          job.tracker.warn(redactSecretsInText(message));
          job.log('warning', message);
          job.changed();
        },
        error: (message) => {
          job.tracker.error(redactSecretsInText(message));
          job.log('error', message);
          job.changed();
        },
        stalled: (reason) => {
          const text = reason ? redactSecretsInText(reason) : undefined;
          if (text === job.stalled) return;
          job.stalled = text;
          if (text) job.log('warning', text);
          job.changed(true);
        },
      },
    };
  }
}

function answerProblem(prompt: Prompt, value: PromptAnswer): string | undefined {
  if (value === undefined) return undefined;
  switch (prompt.kind) {
    case 'pick':
      return typeof value === 'string' && prompt.items.some((item) => item.id === value && !item.disabledReason) ? undefined : 'That answer is not one of the offered items.';
    case 'input':
      return typeof value === 'string' ? undefined : 'An input prompt takes text.';
    case 'confirm':
      return typeof value === 'boolean' ? undefined : 'A confirmation takes true or false.';
    case 'message':
      return undefined;
    case 'report':
      return typeof value === 'string' && prompt.actions.some((action) => action.id === value) ? undefined : 'That answer is not one of the offered actions.';
    case 'mapping':
      return typeof value === 'string' && value.length <= MAX_MAPPING_CHARS ? undefined : `A mapping prompt takes a mapping document (JSON text of at most ${MAX_MAPPING_CHARS.toLocaleString('en-US')} characters).`;
    case 'form': {
      if (typeof value !== 'object') return 'A form takes an object of field values.';
      // Only the fields the form asked: an answer cannot add a preset (a path, confirm=yes) of its own.
      const extra = Object.keys(value).find((id) => !prompt.fields.some((field) => field.id === id));
      if (extra !== undefined) return `This form has no field "${extra}".`;
      for (const field of prompt.fields) {
        const v = value[field.id];
        const expected = field.type === 'number' ? 'number' : field.type === 'checkbox' ? 'boolean' : 'string';
        if (v !== undefined && typeof v !== expected) return `Field "${field.label}" takes a ${expected}.`;
        if (field.type === 'select' && v !== undefined && !field.options.some((o) => o.value === v)) return `Field "${field.label}" has no option ${String(v)}.`;
      }
      return undefined;
    }
  }
}
