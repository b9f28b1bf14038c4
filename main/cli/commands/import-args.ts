/** Arguments of `cutover import`, parsed with node:util's parseArgs into the files provider's presets. */
import { givenPresets } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';

/**
 * The options of `cutover import`: parsed and listed in its usage text from here. Their values are the
 * files provider's presets, which it checks itself (the same messages as in the window).
 */
const IMPORT = {
  synopsis: 'cutover import --uri URI --db NAME --file PATH [options]',
  description: `Imports a JSON, JSON Lines / NDJSON, Extended JSON, CSV, TSV or BSON file (gzip or not), or a mongodump
folder, into a collection. Running the same command again after an interruption resumes it.`,
  options: {
    uri: {
      type: 'string',
      arg: 'URI',
      help: 'connection string of the MongoDB-compatible server to import into',
      required: 'the connection string of the server to import into',
    },
    db: { type: 'string', arg: 'NAME', help: 'target database', required: 'the database to import into' },
    collection: {
      type: 'string',
      arg: 'NAME',
      help: "target collection (default: from the file name; mongodump: each collection's own)",
    },
    file: {
      type: 'string',
      arg: 'PATH',
      help: 'the file or mongodump folder',
      required: 'the file or mongodump folder to import',
    },
    format: { type: 'string', arg: 'FORMAT', help: 'auto (default) | json | ndjson | csv | tsv | bson | mongodump' },
    delimiter: { type: 'string', arg: 'CHAR', help: 'CSV delimiter (default: detected): , ; | tab' },
    types: {
      type: 'string',
      arg: 'COL:TYPE,...',
      help: 'CSV column types, e.g. age:int,born:date (int long double decimal bool date objectId uuid null string)',
    },
    'ignore-empty': { type: 'boolean', help: 'CSV: leave out empty cells' },
    'on-error': { type: 'string', arg: 'WHAT', help: 'stop (default) | continue (bad rows go to the error log)' },
    conflict: { type: 'string', arg: 'POLICY', help: 'abort (default) | drop | skip | overwrite' },
    'max-line-mb': { type: 'string', arg: 'N', help: 'longest line / CSV row accepted (default 8)' },
    // A benchmark's knob: accepted, not listed.
    'batch-docs': { type: 'string' },
    json: { type: 'boolean', help: 'print a JSON summary on stdout' },
    'data-dir': {
      type: 'string',
      arg: 'DIR',
      help: "where job records and error logs go (default: Cutover's app data folder)",
    },
  },
} satisfies CommandSpec<OptionTable>;

export const IMPORT_USAGE = usageOf(IMPORT);

export interface ImportArgs {
  uri: string;
  db: string;
  presets: Record<string, string>;
  json: boolean;
  dataDir?: string;
}

export function parseImportArgs(argv: string[]): ImportArgs {
  const { values: v } = parseOptions(IMPORT, argv);
  const presets: Record<string, string | undefined> = {
    file: v.file,
    format: v.format,
    delimiter: v.delimiter,
    coll: v.collection,
    types: v.types,
    ignoreEmpty: v['ignore-empty'] ? 'yes' : undefined,
    onError: v['on-error'],
    conflict: v.conflict,
    maxLineMB: v['max-line-mb'],
    batchDocs: v['batch-docs'],
    confirm: 'yes',
  };
  return { uri: v.uri, db: v.db, presets: givenPresets(presets), json: v.json ?? false, dataDir: v['data-dir'] };
}
