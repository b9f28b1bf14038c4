/**
 * Runs one provider action to its end without the window: the same core, with every choice given
 * up front in extendedProperties. Progress goes to stderr; a prompt means something is missing or
 * blocks the job, and is reported as such.
 */
import { createCore, type CutoverCore } from '../core/app-core';
import { redactSecretsInText } from '../core/connection-string';
import { defaultDataDir } from '../core/data-dir';
import { CUTOVER_VERSION } from '../core/version';
import type { ContextRef, JobSnapshot, Prompt } from '../../preload/contract';
import type { MigrationProvider } from '../../providers/api/index';
import { loadBuiltinProvider, loadBuiltinProviders } from '../../providers/builtin-loaders';
import { UsageError, type CliIo } from './command';
import { ProgressLine } from './progress-line';
import type { InstalledProvidersOptions } from '../core/providers/core-calls';
import { cancelOnSignals } from './signals';
import { cliDialogs, type CliDialogOptions } from './cli-dialogs';

export interface HeadlessJob {
  dataDir?: string;
  /** The connection the action runs on, if any. */
  sourceUri?: string;
  providerId: string;
  actionId?: string;
  context: Omit<ContextRef, 'connectionId'>;
  /** The files its arguments name and whether --overwrite was given: the host's answers. */
  files?: CliDialogOptions;
  /** Installed providers: allowed for this run (--allow-provider), and how consent is asked otherwise. */
  installedProviders?: InstalledProvidersOptions;
}

export interface HeadlessResult {
  ok: boolean;
  snapshot?: JobSnapshot;
  summary: string;
}

/** A core for CLI commands, with Cutover's data folder and the given built-in providers (providers/builtin-loaders.ts). */
export function headlessCore(
  dataDir: string | undefined,
  providers: MigrationProvider[],
  files: CliDialogOptions = {},
  installedProviders?: InstalledProvidersOptions,
): CutoverCore {
  return createCore({
    providers,
    shell: 'browser',
    version: CUTOVER_VERSION,
    dataDir: dataDir ?? defaultDataDir(),
    progressThrottleMs: 200,
    hostDialogs: cliDialogs(files),
    installedProviders,
  });
}

export async function runHeadlessJob(io: CliIo, job: HeadlessJob): Promise<HeadlessResult> {
  // A built-in job loads its own provider only: the others' modules (and drivers) would be start-up cost only.
  // Its job runs in this thread: the command line has no window to keep responsive (providers/builtin-loaders.ts).
  const loading = { dataDir: job.dataDir, jobs: 'this-thread' } as const;
  const own = await loadBuiltinProvider(job.providerId, loading);
  // Bad arguments are refused before anything runs (exit code 2), by the provider that reads them.
  const presets = Object.fromEntries(
    Object.entries(job.context.extendedProperties ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const problem = own?.checkPresets?.(job.actionId, presets);
  if (problem) throw new UsageError(problem);
  const core = headlessCore(
    job.dataDir,
    own ? [own] : await loadBuiltinProviders(loading),
    job.files,
    job.installedProviders,
  );
  const progress = new ProgressLine(io.stderr);
  const say = (text: string) => progress.message(redactSecretsInText(text));
  const blocked: string[] = [];
  let seenWarnings = 0;
  core.onEvent((name, payload) => {
    if (name === 'job.updated') {
      const snapshot = payload as JobSnapshot;
      snapshot.warnings.slice(seenWarnings).forEach((w) => say(`warning: ${w}`));
      seenWarnings = snapshot.warnings.length;
      progress.update(snapshot);
    }
    if (name === 'job.prompt') {
      const prompt = payload as Prompt;
      if (prompt.kind === 'report') blocked.push(...prompt.notes.filter((n) => n.level === 'error').map((n) => n.text));
      else
        blocked.push(
          `${prompt.title}${prompt.kind === 'message' ? `: ${prompt.message}` : ' (give it on the command line)'}`,
        );
      void core.dispatch('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId });
    }
  });
  // Ctrl-C / SIGTERM cancel the job cleanly (copies of one signal count once: ./signals.ts).
  let stopRequested = false;
  const stop = () => {
    stopRequested = true;
    for (const running of core.runner.list())
      if (running.state === 'running' || running.state === 'paused')
        void core.dispatch('jobs.cancel', { jobId: running.jobId });
  };
  const releaseSignals = cancelOnSignals(stop, io.stderr);
  const failed = (message: string): HeadlessResult => {
    io.stderr.write(`cutover: ${redactSecretsInText(message)}\n`);
    return { ok: false, summary: redactSecretsInText(message) };
  };
  try {
    let connectionId: string | undefined;
    if (job.sourceUri) {
      const opened = await core.dispatch('connections.open', { uri: job.sourceUri, name: 'source' });
      if (!opened.ok) return failed(`Source: ${opened.error.message}`);
      connectionId = (opened.value as { id: string }).id;
    }
    const started = await core.dispatch('jobs.start', {
      providerId: job.providerId,
      actionId: job.actionId,
      context: { ...job.context, connectionId },
    });
    if (!started.ok) return failed(started.error.message);
    if (stopRequested) stop(); // the signal came while connecting
    const snapshot = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    progress.end();
    const summary =
      blocked.length && snapshot.state !== 'succeeded'
        ? `${snapshot.summary ?? ''} ${blocked.join(' ')}`.trim()
        : (snapshot.summary ?? '');
    // A succeeded job whose answer needs attention ("Not ready") is not ok: the command exits non-zero.
    return {
      ok: snapshot.state === 'succeeded' && !snapshot.attention,
      snapshot,
      summary: redactSecretsInText(summary),
    };
  } finally {
    progress.end();
    releaseSignals();
    await core.shutdown();
  }
}

/**
 * The summary of a headless job: with --json one JSON object (`extra` adds or replaces fields per
 * command), else the summary, its figures and its details as readable lines. Secrets are redacted.
 */
export function printJobSummary(
  io: Pick<CliIo, 'stdout'>,
  json: boolean,
  done: JobSnapshot | undefined,
  summary: string,
  extra: (done: JobSnapshot) => Record<string, unknown> = () => ({}),
): void {
  const clean = (text: string) => redactSecretsInText(text);
  if (json) {
    const out = done
      ? {
          ok: done.state === 'succeeded' && !done.attention,
          state: done.state,
          ...(done.attention ? { attention: done.attention } : {}),
          summary: clean(summary),
          jobId: done.jobId,
          docs: done.docs,
          bytes: done.bytes,
          durationMs: (done.endedAt ?? Date.now()) - done.startedAt,
          stats: (done.stats ?? []).map((s) => ({ label: s.label, value: clean(s.value) })),
          details: done.details ?? [],
          warnings: done.warnings.map(clean),
          errors: done.errors.map(clean),
          ...extra(done),
        }
      : { ok: false, state: 'failed', summary: clean(summary) };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const attention = done?.state === 'succeeded' ? done.attention : undefined;
  io.stdout.write(
    attention && !summary.startsWith(attention) ? `${attention}: ${clean(summary)}\n` : `${clean(summary)}\n`,
  );
  for (const stat of done?.stats ?? []) io.stdout.write(`  ${stat.label}: ${clean(stat.value)}\n`);
  for (const section of done?.details ?? []) {
    io.stdout.write(`${section.title}\n`);
    for (const item of section.items) io.stdout.write(`  ${item}\n`);
  }
}
