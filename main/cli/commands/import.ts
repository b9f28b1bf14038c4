/** `cutover import --uri URI --db NAME --file PATH …`: the files provider's import without the window. */
import { runHeadlessJob } from '../headless-job';
import type { CliCommand } from '../command';
import { IMPORT_USAGE, parseImportArgs } from './import-args';
import { printFilesSummary } from './export';

export const importCommand: CliCommand = {
  name: 'import',
  usage: IMPORT_USAGE,
  async run(argv, io) {
    const args = parseImportArgs(argv);
    const result = await runHeadlessJob(io, {
      dataDir: args.dataDir,
      sourceUri: args.uri,
      providerId: 'files',
      actionId: 'import',
      context: { databaseName: args.db, extendedProperties: args.presets },
      files: { open: args.presets.file },
    });
    printFilesSummary(io, args.json, result.snapshot, result.summary);
    return result.ok ? 0 : 1;
  },
};
