/**
 * Command-line arguments of `cutover`, parsed with node:util's parseArgs and checked, with a clear
 * message for anything wrong.
 */
import { givenPresets } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';

/** The options of `cutover copy`: parsed, checked and listed in its usage text from here. */
const COPY = {
  synopsis: 'cutover copy --from URI --to URI [options]',
  description: 'Copies a collection (--db and --collection), a database (--db) or every database of the server.',
  positionals: 'refuse',
  options: {
    from: {
      type: 'string',
      arg: 'URI',
      help: 'connection string of the source',
      required: 'the connection string of the source',
    },
    to: {
      type: 'string',
      arg: 'URI',
      help: 'connection string of the target',
      required: 'the connection string of the target',
    },
    db: { type: 'string', arg: 'NAME', help: 'copy this database (with --collection: one collection of it)' },
    collection: { type: 'string', arg: 'NAME', help: 'copy this collection (needs --db)', needs: 'db' },
    'target-db': { type: 'string', arg: 'NAME', help: 'target database (default: the same name)' },
    'target-collection': { type: 'string', arg: 'NAME', help: 'target collection (default: the same name)' },
    include: {
      type: 'string',
      multiple: true,
      arg: 'PATTERN',
      help: 'only namespaces matching db.coll (* wildcard); repeatable',
    },
    exclude: {
      type: 'string',
      multiple: true,
      arg: 'PATTERN',
      help: 'leave out namespaces matching db.coll; repeatable',
    },
    rename: {
      type: 'string',
      multiple: true,
      arg: 'FROM->TO',
      help: 'e.g. sales.orders->archive.orders or sales.*->sales2.*; repeatable',
    },
    conflict: {
      type: 'string',
      arg: 'POLICY',
      choices: ['abort', 'drop', 'skip', 'overwrite'],
      defaultChoice: 'abort',
    },
    verify: { type: 'string', arg: 'MODE', choices: ['sample', 'full', 'none'], defaultChoice: 'sample' },
    'sample-size': {
      type: 'string',
      arg: 'N',
      help: 'documents checked per collection by --verify sample (default 1000)',
      positive: true,
    },
    load: { type: 'string', arg: 'LEVEL', choices: ['low', 'normal', 'high'], defaultChoice: 'normal' },
    indexes: { type: 'string', arg: 'WHEN', choices: ['after', 'before'], defaultChoice: 'after', help: 'the data' },
    // Benchmarks' knobs: accepted, not listed.
    'batch-docs': { type: 'string', positive: true },
    'partition-docs': { type: 'string', positive: true },
    json: { type: 'boolean', help: 'print a JSON summary on stdout' },
    'data-dir': {
      type: 'string',
      arg: 'DIR',
      help: "where job records and logs go (default: Cutover's app data folder)",
    },
  },
} satisfies CommandSpec<OptionTable>;

export const COPY_USAGE = usageOf(COPY);

export interface CopyArgs {
  from: string;
  to: string;
  db?: string;
  collection?: string;
  presets: Record<string, string>;
  json: boolean;
  dataDir?: string;
}

export function parseCopyArgs(argv: string[]): CopyArgs {
  const { values } = parseOptions(COPY, argv);
  const presets: Record<string, string | undefined> = {
    targetUri: values.to,
    targetDb: values['target-db'],
    targetColl: values['target-collection'],
    include: values.include?.join(','),
    exclude: values.exclude?.join(','),
    rename: values.rename?.join(','),
    conflict: values.conflict,
    verify: values.verify,
    sampleSize: values['sample-size'],
    load: values.load,
    indexes: values.indexes,
    batchDocs: values['batch-docs'],
    partitionDocs: values['partition-docs'],
    confirm: 'yes',
  };
  return {
    from: values.from,
    to: values.to,
    db: values.db,
    collection: values.collection,
    presets: givenPresets(presets),
    json: values.json ?? false,
    dataDir: values['data-dir'],
  };
}
