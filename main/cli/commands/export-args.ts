/** Arguments of `cutover export`, parsed with node:util's parseArgs into the files provider's presets. */
import { parseArgs } from 'node:util';
import { asUsage, givenPresets, parseArgsMessage, UsageError } from '../command';

export const EXPORT_USAGE = `Usage: cutover export --uri URI --db NAME --collection NAME --out PATH [options]

Exports a collection (or the documents matching a query) to JSON, JSON Lines, Extended JSON, CSV/TSV or
a mongodump folder. The file is written as PATH.partial and renamed when complete.

Options:
  --uri URI                 connection string of the MongoDB-compatible server
  --db NAME                 database
  --collection NAME         collection
  --out PATH                the file (or, for mongodump, the folder: PATH/<db>/<collection>.bson)
  --format FORMAT           json | ndjson | csv | tsv | mongodump (default: from the extension; none: mongodump)
  --ejson MODE              canonical (default, every type exact) | relaxed
  --query JSON              Extended JSON filter, e.g. '{"status": "active"}'
  --fields A,B.C            CSV columns (default: from a sample of 1,000 documents); a projection otherwise
  --gzip                    compress (also implied by an --out ending in .gz)
  --keep-partial            on cancel or failure keep PATH.partial instead of removing it
  --overwrite               replace PATH if it exists (without it, an existing file is refused; a
                            read-only file, or another user's, is never replaced)
  --json                    print a JSON summary on stdout
  --data-dir DIR            where job records go (default: Cutover's app data folder)
  -h, --help                this help`;

export interface ExportArgs {
  uri: string;
  db: string;
  collection: string;
  presets: Record<string, string>;
  json: boolean;
  dataDir?: string;
  overwrite: boolean;
}

export function parseExportArgs(argv: string[]): ExportArgs {
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
          out: { type: 'string' },
          format: { type: 'string' },
          ejson: { type: 'string' },
          query: { type: 'string' },
          fields: { type: 'string' },
          gzip: { type: 'boolean', default: false },
          'keep-partial': { type: 'boolean', default: false },
          overwrite: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          'data-dir': { type: 'string' },
        },
      }),
    parseArgsMessage,
  );
  const v = parsed.values;
  if (!v.uri) throw new UsageError('Missing --uri: the connection string of the server to export from.');
  if (!v.db) throw new UsageError('Missing --db: the database of the collection.');
  if (!v.collection) throw new UsageError('Missing --collection: the collection to export.');
  if (!v.out) throw new UsageError('Missing --out: the file (or folder for mongodump) to write.');
  const presets: Record<string, string | undefined> = {
    out: v.out,
    format: v.format,
    ejson: v.ejson,
    query: v.query,
    fields: v.fields,
    gzip: v.gzip ? 'yes' : undefined,
    keepPartial: v['keep-partial'] ? 'yes' : undefined,
    confirm: 'yes',
  };
  return { uri: v.uri, db: v.db, collection: v.collection, presets: givenPresets(presets), json: v.json ?? false, dataDir: v['data-dir'], overwrite: v.overwrite ?? false };
}
