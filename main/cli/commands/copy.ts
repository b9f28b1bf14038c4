/**
 * `cutover copy --from URI --to URI …`: the MongoDB copy provider without the window.
 */
import { redactSecretsInText } from '../../core/connection-string';
import type { JobSnapshot } from '../../../preload/contract';
import { runHeadlessJob } from '../headless-job';
import { parseCopyArgs, COPY_USAGE, type CopyArgs } from './copy-args';
import type { CliCommand } from '../command';

export const copyCommand: CliCommand = {
  name: 'copy',
  summary: 'copy a collection, a database or a whole server to another MongoDB-compatible server',
  usage: COPY_USAGE,
  async run(argv, io) {
    const args = parseCopyArgs(argv);
    const actionId = args.collection ? 'copy-collection' : args.db ? 'copy-database' : 'copy-server';
    const result = await runHeadlessJob(io, {
      dataDir: args.dataDir,
      sourceUri: args.from,
      providerId: 'mongodb-copy',
      actionId,
      context: { databaseName: args.db, collectionName: args.collection, extendedProperties: args.presets },
    });
    report(io, args, result.snapshot, result.summary);
    return result.ok ? 0 : 1;
  },
};

function report(io: { stdout: NodeJS.WritableStream }, args: CopyArgs, done: JobSnapshot | undefined, summary: string): void {
  const clean = (text: string) => redactSecretsInText(text);
  if (args.json) {
    const out = done
      ? {
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
        }
      : { ok: false, state: 'failed', summary: clean(summary) };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  io.stdout.write(`${clean(summary)}\n`);
  for (const stat of done?.stats ?? []) io.stdout.write(`  ${stat.label}: ${clean(stat.value)}\n`);
  for (const section of done?.details ?? []) {
    io.stdout.write(`${section.title}\n`);
    for (const item of section.items) io.stdout.write(`  ${item}\n`);
  }
}
