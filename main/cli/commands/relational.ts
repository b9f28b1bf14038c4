/**
 * `cutover relational --from postgres://… --to mongodb://… [--mapping m.json]`: the relational provider
 * without the window. Without --mapping the default mapping applies (a collection per table, every
 * foreign key a reference); `--print-mapping` prints that default mapping to start a mapping file from.
 */
import { readFile } from 'node:fs/promises';
import { printJobSummary, runHeadlessJob } from '../headless-job';
import { givenPresets, UsageError, type CliCommand } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';

/** The options of `cutover relational`: parsed and listed in its usage text from here; the provider checks their values. */
const RELATIONAL = {
  synopsis: 'cutover relational --from URI --to URI [options]',
  description: `Migrates PostgreSQL or MySQL/MariaDB tables into MongoDB documents, following a mapping document.
Running the same command again after an interruption resumes it.`,
  options: {
    from: { type: 'string', arg: 'URI', help: 'postgres://… or mysql://… (MySQL: the URL names the database)' },
    to: { type: 'string', arg: 'URI', help: 'mongodb://… target' },
    mapping: {
      type: 'string',
      arg: 'FILE',
      help: 'mapping document (JSON; see README); default: a collection per table, no embedding',
    },
    'print-mapping': { type: 'boolean', help: 'print the default mapping of the source as JSON and exit' },
    'target-db': {
      type: 'string',
      arg: 'NAME',
      help: "target database (default: the --to URI's database, else the source database's name)",
    },
    schemas: { type: 'string', arg: 'A,B', help: 'PostgreSQL schemas to read (default: all but the system ones)' },
    snapshot: {
      type: 'string',
      arg: 'MODE',
      help: 'MySQL/MariaDB: parallel (default; a consistent snapshot per stream) | single (one snapshot)',
    },
    conflict: { type: 'string', arg: 'POLICY', help: 'abort (default) | drop | overwrite' },
    verify: { type: 'string', arg: 'WHAT', help: 'sample (default) | none' },
    'sample-size': { type: 'string', arg: 'N', help: 'documents rebuilt and compared per collection (default 1000)' },
    'batch-docs': { type: 'string', arg: 'N', help: 'documents per write (default 1000)' },
    json: { type: 'boolean', help: 'print a JSON summary on stdout' },
    'data-dir': { type: 'string', arg: 'DIR', help: "where job records go (default: Cutover's app data folder)" },
  },
} satisfies CommandSpec<OptionTable>;

export const RELATIONAL_USAGE = usageOf(RELATIONAL);

export const relationalCommand: CliCommand = {
  name: 'relational',
  usage: RELATIONAL_USAGE,
  async run(argv, io) {
    const { values } = parseOptions(RELATIONAL, argv);
    if (!values.from) throw new UsageError('--from is required (postgres://… or mysql://…).');
    const dialect = /^postgres(ql)?:\/\//i.test(values.from)
      ? 'postgres'
      : /^(mysql|mariadb):\/\//i.test(values.from)
        ? 'mysql'
        : undefined;
    if (!dialect) throw new UsageError('--from must be a postgres:// or mysql:// connection string.');
    const schemas = values.schemas
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (values['print-mapping']) {
      // The provider reads the tables and returns its default mapping; nothing is written.
      const printed = await runHeadlessJob(io, {
        dataDir: values['data-dir'],
        sourceUri: values.from,
        providerId: 'relational',
        context: {
          extendedProperties: givenPresets({ printMapping: 'yes', schemas: schemas?.join(','), confirm: 'yes' }),
        },
      });
      const mapping = printed.snapshot?.details?.find((d) => d.title === 'Default mapping')?.items[0];
      if (!printed.ok || !mapping) {
        io.stderr.write(`${printed.summary}\n`);
        return 1;
      }
      io.stdout.write(`${mapping}\n`);
      return 0;
    }
    if (!values.to) throw new UsageError('--to is required (mongodb://…).');
    let mapping: string | undefined;
    if (values.mapping) {
      let text: string;
      try {
        text = await readFile(values.mapping, 'utf8');
      } catch (error) {
        throw new UsageError(
          `--mapping ${values.mapping}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
        );
      }
      // Checked by the provider before anything runs (a bad mapping is exit code 2, naming the file).
      mapping = text;
    }
    const result = await runHeadlessJob(io, {
      dataDir: values['data-dir'],
      sourceUri: values.from,
      providerId: 'relational',
      context: {
        extendedProperties: givenPresets({
          targetUri: values.to,
          targetDb: values['target-db'],
          mapping,
          mappingSource: mapping ? values.mapping : undefined,
          schemas: schemas?.join(','),
          snapshot: values.snapshot,
          conflict: values.conflict,
          verify: values.verify,
          sampleSize: values['sample-size'],
          batchDocs: values['batch-docs'],
          confirm: 'yes',
        }),
      },
    });
    printJobSummary(io, values.json ?? false, result.snapshot, result.summary, (done) => ({
      collections: done.items.map((i) => ({ collection: i.label, status: i.status, docs: i.docs ?? 0 })),
    }));
    return result.ok ? 0 : 1;
  },
};
