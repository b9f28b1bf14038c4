/**
 * Cutover without the window: `npm run cutover -- copy --from URI --to URI …`.
 * The same core, providers and actions as the app. Progress goes to stderr, the summary to stdout
 * (JSON with --json); the exit code is 0 on success, 1 on failure, 2 on bad arguments.
 * Credentials given in URIs are never echoed.
 */
import { createCore } from '../core/app-core';
import { redactSecretsInText } from '../core/connection-string';
import { defaultDataDir } from '../core/data-dir';
import { CUTOVER_VERSION } from '../core/version';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { builtinProviders } from '../../providers/builtin';
import { parseCliArgs, UsageError, USAGE, type CopyArgs } from './args';
import { ProgressLine } from './progress-line';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cutover: ${redactSecretsInText(error.message)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return copy(args);
}

async function copy(args: CopyArgs): Promise<number> {
  const core = createCore({ providers: builtinProviders(), shell: 'browser', version: CUTOVER_VERSION, dataDir: args.dataDir ?? defaultDataDir(), progressThrottleMs: 200 });
  const progress = new ProgressLine(process.stderr);
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
      // Everything is given on the command line; a prompt means something is missing or blocks the copy.
      if (prompt.kind === 'report') blocked.push(...prompt.notes.filter((n) => n.level === 'error').map((n) => n.text));
      else blocked.push(`${prompt.title}${prompt.kind === 'message' ? `: ${prompt.message}` : ' (give it on the command line)'}`);
      void core.dispatch('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId });
    }
  });
  const stop = () => {
    for (const job of core.runner.list()) if (job.state === 'running' || job.state === 'paused') void core.dispatch('jobs.cancel', { jobId: job.jobId });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const opened = await core.dispatch('connections.open', { uri: args.from, name: 'source' });
    if (!opened.ok) return fail(args, `Source: ${opened.error.message}`);
    const connectionId = (opened.value as { id: string }).id;
    const actionId = args.collection ? 'copy-collection' : args.db ? 'copy-database' : 'copy-server';
    const started = await core.dispatch('jobs.start', {
      providerId: 'mongodb-copy',
      actionId,
      context: { connectionId, databaseName: args.db, collectionName: args.collection, extendedProperties: args.presets },
    });
    if (!started.ok) return fail(args, started.error.message);
    const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    progress.end();
    const summary = blocked.length && done.state !== 'succeeded' ? `${done.summary ?? ''} ${blocked.join(' ')}`.trim() : done.summary ?? '';
    report(args, done, summary);
    return done.state === 'succeeded' ? 0 : 1;
  } finally {
    progress.end();
    await core.shutdown();
  }
}

function report(args: CopyArgs, done: JobSnapshot, summary: string): void {
  const clean = (text: string) => redactSecretsInText(text);
  if (args.json) {
    const out = {
      ok: done.state === 'succeeded',
      state: done.state,
      summary: clean(summary),
      jobId: done.jobId,
      docs: done.docs,
      bytes: done.bytes,
      durationMs: (done.endedAt ?? Date.now()) - done.startedAt,
      namespaces: done.items.map((i) => ({ namespace: i.label, status: i.status, docs: i.docs ?? 0, bytes: i.bytes ?? 0 })),
      stats: done.stats ?? [],
      details: done.details ?? [],
      warnings: done.warnings.map(clean),
      errors: done.errors.map(clean),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${clean(summary)}\n`);
  for (const stat of done.stats ?? []) process.stdout.write(`  ${stat.label}: ${clean(stat.value)}\n`);
  for (const section of done.details ?? []) {
    process.stdout.write(`${section.title}\n`);
    for (const item of section.items) process.stdout.write(`  ${item}\n`);
  }
}

function fail(args: CopyArgs, message: string): number {
  const text = redactSecretsInText(message);
  if (args.json) process.stdout.write(`${JSON.stringify({ ok: false, state: 'failed', summary: text }, null, 2)}\n`);
  process.stderr.write(`cutover: ${text}\n`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
