/**
 * Command-line arguments of `cutover`, parsed with node:util's parseArgs and checked, with a clear
 * message for anything wrong.
 */
import { parseArgs } from 'node:util';
import { asUsage, givenPresets, parseArgsMessage, UsageError } from '../command';

export const COPY_USAGE = `Usage: cutover copy --from URI --to URI [options]

Copies a collection (--db and --collection), a database (--db) or every database of the server.

Options:
  --db NAME                 copy this database (with --collection: one collection of it)
  --collection NAME         copy this collection (needs --db)
  --target-db NAME          target database (default: the same name)
  --target-collection NAME  target collection (default: the same name)
  --include PATTERN         only namespaces matching db.coll (* wildcard); repeatable
  --exclude PATTERN         leave out namespaces matching db.coll; repeatable
  --rename FROM->TO         e.g. sales.orders->archive.orders or sales.*->sales2.*; repeatable
  --conflict POLICY         abort (default) | drop | skip | overwrite
  --verify MODE             sample (default) | full | none
  --sample-size N           documents checked per collection by --verify sample (default 1000)
  --load LEVEL              low | normal (default) | high
  --indexes WHEN            after (default) | before the data
  --json                    print a JSON summary on stdout
  --data-dir DIR            where job records and logs go (default: Cutover's app data folder)
  -h, --help                this help`;


export interface CopyArgs {
  from: string;
  to: string;
  db?: string;
  collection?: string;
  presets: Record<string, string>;
  json: boolean;
  dataDir?: string;
}


const ENUMS: Record<string, string[]> = {
  conflict: ['abort', 'drop', 'skip', 'overwrite'],
  verify: ['none', 'sample', 'full'],
  load: ['low', 'normal', 'high'],
  indexes: ['after', 'before'],
};

export function parseCopyArgs(argv: string[]): CopyArgs {
  const parsed = asUsage(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          from: { type: 'string' },
          to: { type: 'string' },
          db: { type: 'string' },
          collection: { type: 'string' },
          'target-db': { type: 'string' },
          'target-collection': { type: 'string' },
          include: { type: 'string', multiple: true },
          exclude: { type: 'string', multiple: true },
          rename: { type: 'string', multiple: true },
          conflict: { type: 'string' },
          verify: { type: 'string' },
          'sample-size': { type: 'string' },
          load: { type: 'string' },
          indexes: { type: 'string' },
          'batch-docs': { type: 'string' },
          'partition-docs': { type: 'string' },
          json: { type: 'boolean', default: false },
          'data-dir': { type: 'string' },
        },
      }),
    parseArgsMessage,
  );
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  if (!values.from) throw new UsageError('Missing --from: the connection string of the source.');
  if (!values.to) throw new UsageError('Missing --to: the connection string of the target.');
  if (values.collection && !values.db) throw new UsageError('--collection needs --db.');
  for (const [name, allowed] of Object.entries(ENUMS)) {
    const value = values[name as keyof typeof values];
    if (typeof value === 'string' && !allowed.includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${value}".`);
  }
  for (const name of ['sample-size', 'batch-docs', 'partition-docs'] as const) {
    const value = values[name];
    if (value !== undefined && !/^[1-9]\d*$/.test(value)) throw new UsageError(`--${name} must be a positive whole number, not "${value}".`);
  }
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
