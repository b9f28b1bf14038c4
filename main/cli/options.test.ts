/**
 * The options tables: the usage text lists what the parser accepts (and only that), and the checks the
 * commands made by hand (required, allowed values, whole numbers) keep their messages.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from './command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from './options';
import { COPY_USAGE, parseCopyArgs } from './commands/copy-args';
import { IMPORT_USAGE, parseImportArgs } from './commands/import-args';
import { EXPORT_USAGE, parseExportArgs } from './commands/export-args';

const SPEC = {
  synopsis: 'cutover demo --from URI [options]',
  description: 'Does a demo.',
  positionals: 'refuse',
  options: {
    from: { type: 'string', arg: 'URI', help: 'the source', required: 'the source' },
    db: { type: 'string', arg: 'NAME', help: 'a database' },
    collection: { type: 'string', arg: 'NAME', help: 'a collection', needs: 'db' },
    mode: { type: 'string', arg: 'MODE', choices: ['fast', 'slow'], defaultChoice: 'slow' },
    size: { type: 'string', arg: 'N', help: 'how many', positive: true },
    tag: { type: 'string', multiple: true, arg: 'T', help: 'repeatable' },
    secret: { type: 'string' },
    json: { type: 'boolean', help: 'print JSON' },
  },
} satisfies CommandSpec<OptionTable>;

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no refusal');
};

describe('an options table', () => {
  it('writes the usage text: listed options with their placeholders, choices and the default, help last', () => {
    expect(usageOf(SPEC)).toBe(`Usage: cutover demo --from URI [options]

Does a demo.

Options:
  --from URI                the source
  --db NAME                 a database
  --collection NAME         a collection
  --mode MODE               fast | slow (default)
  --size N                  how many
  --tag T                   repeatable
  --json                    print JSON
  -h, --help                this help`);
  });

  it('parses what it lists, and an unlisted option only when it is in the table', () => {
    const { values } = parseOptions(SPEC, [
      '--from',
      'x',
      '--tag',
      'a',
      '--tag',
      'b',
      '--json',
      '--mode',
      'fast',
      '--size',
      '12',
      '--secret',
      's',
    ]);
    expect(values).toMatchObject({ from: 'x', tag: ['a', 'b'], json: true, mode: 'fast', size: '12', secret: 's' });
    expect(refusal(() => parseOptions(SPEC, ['--from', 'x', '--nope']))).toMatch(/Unknown option '--nope'/);
  });

  it('checks in order: positionals, required, needs, then values', () => {
    expect(refusal(() => parseOptions(SPEC, ['stray']))).toBe('Unexpected argument "stray".');
    expect(refusal(() => parseOptions(SPEC, ['--mode', 'odd']))).toBe('Missing --from: the source.');
    expect(refusal(() => parseOptions(SPEC, ['--from', 'x', '--collection', 'c', '--mode', 'odd']))).toBe(
      '--collection needs --db.',
    );
    expect(refusal(() => parseOptions(SPEC, ['--from', 'x', '--mode', 'odd']))).toBe(
      '--mode must be one of fast, slow, not "odd".',
    );
    expect(refusal(() => parseOptions(SPEC, ['--from', 'x', '--size', '1.5']))).toBe(
      '--size must be a positive whole number, not "1.5".',
    );
  });
});

describe("the commands' usage and parsing agree", () => {
  const listed = (usage: string) =>
    [...usage.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]).filter((name) => name !== 'help');

  it.each([
    [
      'copy',
      COPY_USAGE,
      (argv: string[]) => parseCopyArgs(['--from', 'mongodb://a', '--to', 'mongodb://b', '--db', 'd', ...argv]),
    ],
    [
      'import',
      IMPORT_USAGE,
      (argv: string[]) => parseImportArgs(['--uri', 'mongodb://a', '--db', 'd', '--file', 'f', ...argv]),
    ],
    [
      'export',
      EXPORT_USAGE,
      (argv: string[]) =>
        parseExportArgs(['--uri', 'mongodb://a', '--db', 'd', '--collection', 'c', '--out', 'o', ...argv]),
    ],
  ])('%s accepts every option its usage lists', (_name, usage, parse) => {
    const names = listed(usage);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const valued = new RegExp(`^ {2}--${name} [A-Z]`, 'm').test(usage);
      const value =
        name === 'conflict'
          ? 'abort'
          : name === 'verify'
            ? 'none'
            : name === 'load'
              ? 'low'
              : name === 'indexes'
                ? 'after'
                : name === 'sample-size'
                  ? '5'
                  : 'v';
      expect(() => parse(valued ? [`--${name}`, value] : [`--${name}`]), `--${name}`).not.toThrow();
    }
  });

  it('keeps the messages of the checks the copy command made by hand', () => {
    expect(refusal(() => parseCopyArgs(['--from', 'a']))).toBe('Missing --to: the connection string of the target.');
    expect(refusal(() => parseCopyArgs(['--from', 'a', '--to', 'b', '--conflict', 'merge']))).toBe(
      '--conflict must be one of abort, drop, skip, overwrite, not "merge".',
    );
    expect(refusal(() => parseCopyArgs(['--from', 'a', '--to', 'b', '--partition-docs', '0']))).toBe(
      '--partition-docs must be a positive whole number, not "0".',
    );
    expect(refusal(() => parseImportArgs(['--uri', 'a', '--db', 'd']))).toBe(
      'Missing --file: the file or mongodump folder to import.',
    );
  });
});
