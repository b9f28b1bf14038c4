/** Arguments of `cutover export`, parsed with node:util's parseArgs into the files provider's presets. */
import { givenPresets } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';

/**
 * The options of `cutover export`: parsed and listed in its usage text from here. Their values are the
 * files provider's presets, which it checks itself (the same messages as in the window).
 */
const EXPORT = {
  synopsis: 'cutover export --uri URI --db NAME --collection NAME --out PATH [options]',
  description: `Exports a collection (or the documents matching a query) to JSON, JSON Lines, Extended JSON, CSV/TSV or
a mongodump folder. The file is written as PATH.partial and renamed when complete.`,
  options: {
    uri: {
      type: 'string',
      arg: 'URI',
      help: 'connection string of the MongoDB-compatible server',
      required: 'the connection string of the server to export from',
    },
    db: { type: 'string', arg: 'NAME', help: 'database', required: 'the database of the collection' },
    collection: { type: 'string', arg: 'NAME', help: 'collection', required: 'the collection to export' },
    out: {
      type: 'string',
      arg: 'PATH',
      help: 'the file (or, for mongodump, the folder: PATH/<db>/<collection>.bson)',
      required: 'the file (or folder for mongodump) to write',
    },
    format: {
      type: 'string',
      arg: 'FORMAT',
      help: 'json | ndjson | csv | tsv | mongodump (default: from the extension; none: mongodump)',
    },
    ejson: { type: 'string', arg: 'MODE', help: 'canonical (default, every type exact) | relaxed' },
    query: { type: 'string', arg: 'JSON', help: `Extended JSON filter, e.g. '{"status": "active"}'` },
    fields: {
      type: 'string',
      arg: 'A,B.C',
      help: 'CSV columns (default: from a sample of 1,000 documents); a projection otherwise',
    },
    gzip: { type: 'boolean', help: 'compress (also implied by an --out ending in .gz)' },
    'keep-partial': { type: 'boolean', help: 'on cancel or failure keep PATH.partial instead of removing it' },
    overwrite: {
      type: 'boolean',
      help: `replace PATH if it exists (without it, an existing file is refused; a
read-only file, or another user's, is never replaced)`,
    },
    json: { type: 'boolean', help: 'print a JSON summary on stdout' },
    'data-dir': { type: 'string', arg: 'DIR', help: "where job records go (default: Cutover's app data folder)" },
  },
} satisfies CommandSpec<OptionTable>;

export const EXPORT_USAGE = usageOf(EXPORT);

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
  const { values: v } = parseOptions(EXPORT, argv);
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
  return {
    uri: v.uri,
    db: v.db,
    collection: v.collection,
    presets: givenPresets(presets),
    json: v.json ?? false,
    dataDir: v['data-dir'],
    overwrite: v.overwrite ?? false,
  };
}
