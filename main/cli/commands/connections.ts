/**
 * `cutover connections import|list|export`: the saved connections without the window, in Cutover's
 * data folder (CUTOVER_DATA_DIR overrides it). Secrets are never printed: URIs are redacted.
 */
import { writeFile } from 'node:fs/promises';
import type { IntakeResult, SavedConnection } from '../../../preload/contract';
import { redactSecretsInText } from '../../core/connection-string';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { flagsOf, parseOptions, type OptionTable } from '../options';
import { headlessCore } from '../headless-job';
import { loadBuiltinProviders } from '../../../providers/builtin-loaders';

/** Every subcommand's options, parsed from here and listed in the usage text from here. */
const COMMON = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string', arg: 'DIR' },
} satisfies OptionTable;
const IMPORT_OPTIONS = {
  passphrase: { type: 'string', arg: 'P' },
  'include-duplicates': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  ...COMMON,
} satisfies OptionTable;
const LIST_OPTIONS = COMMON;
const SELECTION = {
  all: { type: 'boolean' },
  id: { type: 'string', multiple: true, arg: 'ID…' },
} satisfies OptionTable;
const EXPORT_OPTIONS = {
  ...SELECTION,
  passphrase: { type: 'string', arg: 'P' },
  out: { type: 'string', arg: 'FILE' },
  ...COMMON,
} satisfies OptionTable;

/** `[--a X] [--b]` for the options of a subcommand, but --data-dir (listed once, below). */
const flags = (table: OptionTable) => flagsOf(table, ['data-dir', ...Object.keys(SELECTION)]);

export const CONNECTIONS_USAGE = `Usage:
  cutover connections import <file> ${flags(IMPORT_OPTIONS)}
      Reads a connection file (.cutover, a Compass export, a list of connection strings, a .env file),
      prints what it holds (secrets redacted) and saves its connections. Entries that duplicate a saved
      connection (same host, port, user and database) are skipped unless --include-duplicates.
      --dry-run only prints. Exit code 1 if the file has errors (nothing is saved then).
  cutover connections list ${flags(LIST_OPTIONS)}
  cutover connections export (--all | --id ID…) ${flags(EXPORT_OPTIONS)}
      Writes a .cutover file (to stdout without --out). Secrets are left out unless --passphrase is
      given (at least 8 characters), which encrypts them.

Options:
  --data-dir DIR   Cutover's data folder (default: CUTOVER_DATA_DIR or the platform's app data folder)`;

export const connectionsCommand: CliCommand = {
  name: 'connections',
  usage: CONNECTIONS_USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'import') return importFile(rest, io);
    if (sub === 'list') return list(rest, io);
    if (sub === 'export') return exportFile(rest, io);
    throw new UsageError(
      sub ? `unknown subcommand "${sub}" (use import, list or export).` : 'give a subcommand: import, list or export.',
    );
  },
};

function parse(argv: string[], options: OptionTable): { values: Values; positionals: string[] } {
  const { values, positionals } = parseOptions(
    { synopsis: 'cutover connections', options, positionals: 'allow' },
    argv,
  );
  return { values: values as Values, positionals };
}

type Values = Record<string, string | boolean | string[] | undefined>;

type Call = <T>(name: string, payload: unknown) => Promise<T>;

async function withCore<T>(
  dataDir: string | undefined,
  run: (call: Call, core: ReturnType<typeof headlessCore>) => Promise<T>,
): Promise<T> {
  const core = headlessCore(dataDir, await loadBuiltinProviders());
  const call: Call = async (name, payload) => {
    const outcome = await core.dispatch(name, payload);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value as never;
  };
  try {
    return await run(call, core);
  } finally {
    await core.shutdown();
  }
}

async function importFile(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, IMPORT_OPTIONS);
  if (positionals.length !== 1) throw new UsageError('give exactly one file to import.');
  return withCore(values['data-dir'] as string | undefined, async (call) => {
    let result = await call<IntakeResult>('intake.path', { path: positionals[0] });
    const passphrase = values.passphrase as string | undefined;
    if (result.preview?.needsPassphrase && passphrase)
      result = await call<IntakeResult>('intake.unlock', { previewId: result.preview.previewId, passphrase });
    const entries = result.preview?.entries ?? [];
    const locked = !!result.preview?.needsPassphrase;
    const chosen = entries.filter((e) => !e.error && (values['include-duplicates'] || !e.duplicateOf));
    const errors = [
      ...result.errors,
      ...(locked && !passphrase ? [`${result.fileName}: its secrets are encrypted: give --passphrase.`] : []),
    ];
    let saved: SavedConnection[] = [];
    if (!values['dry-run'] && !errors.length && chosen.length)
      saved = (
        await call<{ saved: SavedConnection[] }>('intake.commit', {
          previewId: result.preview!.previewId,
          entryIds: chosen.map((e) => e.entryId),
        })
      ).saved;
    const clean = (text: string) => redactSecretsInText(text);
    if (values.json) {
      const out = {
        ok: errors.length === 0,
        file: result.fileName,
        category: result.category,
        format: result.preview?.format,
        needsPassphrase: locked,
        entries: entries.map((e) => ({
          where: e.where,
          name: e.name,
          kind: e.kind,
          host: e.host,
          uri: e.redactedUri,
          duplicateOf: e.duplicateOf?.name,
          error: e.error && clean(e.error),
        })),
        saved: saved.map((s) => ({ id: s.id, name: s.name, kind: s.kind, uri: s.redactedUri })),
        errors: errors.map(clean),
      };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      for (const e of entries)
        io.stdout.write(
          `${e.where}: ${e.error ? `error: ${clean(e.error)}` : `${e.name}  ${e.redactedUri}${e.duplicateOf ? `  (duplicate of "${e.duplicateOf.name}")` : ''}`}\n`,
        );
      for (const error of errors) io.stderr.write(`cutover: ${clean(error)}\n`);
      io.stdout.write(
        values['dry-run']
          ? `${chosen.length} connection(s) would be saved (dry run).\n`
          : `Saved ${saved.length} connection(s).\n`,
      );
    }
    return errors.length ? 1 : 0;
  });
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, LIST_OPTIONS);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  return withCore(values['data-dir'] as string | undefined, async (call) => {
    const saved = await call<SavedConnection[]>('connections.saved.list', {});
    if (values.json) io.stdout.write(`${JSON.stringify(saved, null, 2)}\n`);
    else
      for (const s of saved)
        io.stdout.write(
          `${s.favourite ? '*' : ' '} ${s.id}  ${s.name}  ${s.redactedUri}${s.lastUsed ? `  last used ${new Date(s.lastUsed).toISOString()}` : ''}\n`,
        );
    return 0;
  });
}

async function exportFile(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, EXPORT_OPTIONS);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  const ids = (values.id as string[] | undefined) ?? [];
  if (!values.all === !ids.length) throw new UsageError('give --all or one or more --id.');
  const passphrase = values.passphrase as string | undefined;
  if (passphrase !== undefined && passphrase.length < 8)
    throw new UsageError('the passphrase must have at least 8 characters.');
  return withCore(values['data-dir'] as string | undefined, async (call, core) => {
    const chosen = values.all ? (await call<SavedConnection[]>('connections.saved.list', {})).map((s) => s.id) : ids;
    if (!chosen.length) {
      io.stderr.write('cutover: there are no saved connections to export.\n');
      return 1;
    }
    // The CLI is the host here: its own arguments say where (--out) and whether secrets go (--passphrase).
    const { content } = await core.exportConnections(chosen, passphrase);
    if (values.out) {
      await writeFile(values.out as string, content, { mode: 0o600 });
      if (values.json)
        io.stdout.write(
          `${JSON.stringify({ ok: true, file: values.out, count: chosen.length, secrets: passphrase ? 'encrypted' : 'removed' })}\n`,
        );
      else
        io.stdout.write(
          `Wrote ${chosen.length} connection(s) to ${values.out as string} (secrets ${passphrase ? 'encrypted' : 'removed'}).\n`,
        );
    } else io.stdout.write(content);
    return 0;
  }).catch((error: unknown) => {
    io.stderr.write(`cutover: ${redactSecretsInText((error as Error).message)}\n`);
    return 1;
  });
}
