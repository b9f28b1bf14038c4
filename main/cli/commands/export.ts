/** `cutover export --uri URI --db NAME --collection NAME --out PATH …`: the files provider's export without the window. */
import { redactSecretsInText } from '../../core/connection-string';
import type { JobSnapshot } from '../../../preload/contract';
import { printJobSummary, runHeadlessJob } from '../headless-job';
import type { CliCommand, CliIo } from '../command';
import { EXPORT_USAGE, parseExportArgs } from './export-args';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: EXPORT_USAGE,
  async run(argv, io) {
    const args = parseExportArgs(argv);
    const result = await runHeadlessJob(io, {
      dataDir: args.dataDir,
      sourceUri: args.uri,
      providerId: 'files',
      actionId: 'export',
      context: { databaseName: args.db, collectionName: args.collection, extendedProperties: args.presets },
      files: { save: args.presets.out, overwrite: args.overwrite },
    });
    printFilesSummary(io, args.json, result.snapshot, result.summary);
    return result.ok ? 0 : 1;
  },
};

/** The summary of an import or export: its figures as one object keyed by label. */
export function printFilesSummary(
  io: Pick<CliIo, 'stdout'>,
  json: boolean,
  done: JobSnapshot | undefined,
  summary: string,
): void {
  printJobSummary(io, json, done, summary, (d) => ({
    stats: Object.fromEntries((d.stats ?? []).map((s) => [s.label, redactSecretsInText(s.value)])),
  }));
}
