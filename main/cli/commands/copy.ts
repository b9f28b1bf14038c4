/**
 * `cutover copy --from URI --to URI …`: the MongoDB copy provider without the window.
 */
import { printJobSummary, runHeadlessJob } from '../headless-job';
import { parseCopyArgs, COPY_USAGE } from './copy-args';
import type { CliCommand } from '../command';

export const copyCommand: CliCommand = {
  name: 'copy',
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
    printJobSummary(io, args.json, result.snapshot, result.summary, (done) => ({
      namespaces: done.items.map((i) => ({
        namespace: i.label,
        status: i.status,
        docs: i.docs ?? 0,
        bytes: i.bytes ?? 0,
      })),
    }));
    return result.ok ? 0 : 1;
  },
};
