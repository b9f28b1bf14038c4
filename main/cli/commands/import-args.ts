/** Arguments of `cutover import`, parsed with node:util's parseArgs into the files provider's presets. */
import { parseArgs } from 'node:util';
import { asUsage, givenPresets, parseArgsMessage, UsageError } from '../command';

export const IMPORT_USAGE = `Usage: cutover import --uri URI --db NAME --file PATH [options]

Imports a JSON, JSON Lines / NDJSON, Extended JSON, CSV, TSV or BSON file (gzip or not), or a mongodump
folder, into a collection. Running the same command again after an interruption resumes it.

Options:
  --uri URI                 connection string of the MongoDB-compatible server to import into
  --db NAME                 target database
  --collection NAME         target collection (default: from the file name; mongodump: each collection's own)
  --file PATH               the file or mongodump folder
  --format FORMAT           auto (default) | json | ndjson | csv | tsv | bson | mongodump
  --delimiter CHAR          CSV delimiter (default: detected): , ; | tab
  --types COL:TYPE,...      CSV column types, e.g. age:int,born:date (int long double decimal bool date objectId uuid null string)
  --ignore-empty            CSV: leave out empty cells
  --on-error WHAT           stop (default) | continue (bad rows go to the error log)
  --conflict POLICY         abort (default) | drop | skip | overwrite
  --max-line-mb N           longest line / CSV row accepted (default 8)
  --json                    print a JSON summary on stdout
  --data-dir DIR            where job records and error logs go (default: Cutover's app data folder)
  -h, --help                this help`;

export interface ImportArgs {
  uri: string;
  db: string;
  presets: Record<string, string>;
  json: boolean;
  dataDir?: string;
}

export function parseImportArgs(argv: string[]): ImportArgs {
  const parsed = asUsage(
    () =>
      parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          uri: { type: 'string' },
          db: { type: 'string' },
          collection: { type: 'string' },
          file: { type: 'string' },
          format: { type: 'string' },
          delimiter: { type: 'string' },
          types: { type: 'string' },
          'ignore-empty': { type: 'boolean', default: false },
          'on-error': { type: 'string' },
          conflict: { type: 'string' },
          'max-line-mb': { type: 'string' },
          'batch-docs': { type: 'string' },
          json: { type: 'boolean', default: false },
          'data-dir': { type: 'string' },
        },
      }),
    parseArgsMessage,
  );
  const v = parsed.values;
  if (!v.uri) throw new UsageError('Missing --uri: the connection string of the server to import into.');
  if (!v.db) throw new UsageError('Missing --db: the database to import into.');
  if (!v.file) throw new UsageError('Missing --file: the file or mongodump folder to import.');
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
