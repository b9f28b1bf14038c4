/** `cutover export --uri URI --db NAME --collection NAME --out PATH …`: the files provider's export without the window. */
import { redactSecretsInText } from '../../core/connection-string';
import type { JobSnapshot } from '../../../preload/contract';
import { runHeadlessJob } from '../headless-job';
import type { CliCommand, CliIo } from '../command';
import { EXPORT_USAGE, parseExportArgs } from './export-args';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'export a collection or a query to JSON, JSON Lines, CSV/TSV or a mongodump folder',
  usage: EXPORT_USAGE,
  async run(argv, io) {
    const args = parseExportArgs(argv);
    const result = await runHeadlessJob(io, {
      dataDir: args.dataDir,
      sourceUri: args.uri,
      providerId: 'files',
      actionId: 'export',
      context: { databaseName: args.db, collectionName: args.collection, extendedProperties: args.presets },
    });
    printFilesSummary(io, args.json, result.snapshot, result.summary);
    return result.ok ? 0 : 1;
  },
};

/** The summary of an import or export: JSON with --json, else readable lines. */
export function printFilesSummary(io: Pick<CliIo, 'stdout'>, json: boolean, done: JobSnapshot | undefined, summary: string): void {
  const clean = (text: string) => redactSecretsInText(text);
  if (json) {
    const out = done
      ? {
          ok: done.state === 'succeeded',
          state: done.state,
          summary: clean(summary),
          jobId: done.jobId,
          docs: done.docs,
          bytes: done.bytes,
          durationMs: (done.endedAt ?? Date.now()) - done.startedAt,
          stats: Object.fromEntries((done.stats ?? []).map((s) => [s.label, clean(s.value)])),
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
