/**
 * One options table per command: node:util's parseArgs reads the arguments from it and the usage text is
 * written from it, so what `--help` lists and what the command accepts cannot drift apart. A table also
 * carries the checks every command made by hand: required options, allowed values, whole numbers.
 */
import { parseArgs } from 'node:util';
import { asUsage, parseArgsMessage, UsageError } from './command';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The value's placeholder in the usage text: `--db NAME`. */
  arg?: string;
  /** The option's line(s) in the usage text; an option without help is accepted but not listed (benchmarks). */
  help?: string;
  /** The values allowed, listed in the usage text (`abort (default) | drop`) and checked. */
  choices?: readonly string[];
  /** The default among `choices`, marked in the usage text (the provider applies it). */
  defaultChoice?: string;
  /** Must be a positive whole number. */
  positive?: boolean;
  /** Missing: "Missing --NAME: <required>." */
  required?: string;
  /** Given without this other option: "--NAME needs --OTHER." */
  needs?: string;
}

export type OptionTable = Record<string, OptionSpec>;

export interface CommandSpec<T extends OptionTable> {
  /** The first line after "Usage: " (e.g. "cutover copy --from URI --to URI [options]"). */
  synopsis: string;
  /** The paragraph(s) after it. */
  description?: string;
  options: T;
  /** Text after the options block. */
  footer?: string;
  /** allow: the command takes them; refuse: `Unexpected argument "x".`; absent: parseArgs refuses them. */
  positionals?: 'allow' | 'refuse';
}

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean'
  ? boolean | undefined
  : O extends { multiple: true }
    ? string[] | undefined
    : O extends { required: string }
      ? string
      : string | undefined;
export type Values<T extends OptionTable> = { [K in keyof T]: ValueOf<T[K]> };

/** The width of the flag column (help starts after it), the same for every command. */
const HELP_COLUMN = 26;

/** The usage text of a command, written from its table. */
export function usageOf(spec: CommandSpec<OptionTable>): string {
  const rows: Array<[flag: string, help: string]> = Object.entries(spec.options)
    .filter(([, option]) => option.help !== undefined || option.choices)
    .map(([name, option]) => [`--${name}${option.arg ? ` ${option.arg}` : ''}`, helpOf(option)]);
  rows.push(['-h, --help', 'this help']);
  const width = Math.max(HELP_COLUMN, ...rows.map(([flag]) => flag.length + 2));
  const lines = rows.map(
    ([flag, help]) => `  ${flag.padEnd(width)}${help.split('\n').join(`\n  ${' '.repeat(width)}`)}`,
  );
  return [
    `Usage: ${spec.synopsis}`,
    ...(spec.description ? ['', spec.description] : []),
    '',
    'Options:',
    ...lines,
    ...(spec.footer ? ['', spec.footer] : []),
  ].join('\n');
}

/** `[--a X] [--b]`: the options of a table as a synopsis shows them, but those left out. */
export function flagsOf(options: OptionTable, leaveOut: string[] = []): string {
  return Object.entries(options)
    .filter(([name]) => !leaveOut.includes(name))
    .map(([name, option]) => `[--${name}${option.arg ? ` ${option.arg}` : ''}]`)
    .join(' ');
}

function helpOf(option: OptionSpec): string {
  const choices = option.choices?.map((c) => (c === option.defaultChoice ? `${c} (default)` : c)).join(' | ');
  return [choices, option.help].filter(Boolean).join(' ');
}

/** Parses and checks `argv` against the table; bad arguments throw a UsageError (exit code 2). */
export function parseOptions<T extends OptionTable>(
  spec: CommandSpec<T>,
  argv: string[],
): { values: Values<T>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, { type, multiple }]) => [name, multiple ? { type, multiple } : { type }]),
  );
  const parsed = asUsage(
    () => parseArgs({ args: argv, strict: true, allowPositionals: spec.positionals !== undefined, options }),
    parseArgsMessage,
  );
  if (spec.positionals === 'refuse' && parsed.positionals.length > 0)
    throw new UsageError(`Unexpected argument "${parsed.positionals[0]}".`);
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const given = (name: string) => values[name] !== undefined && values[name] !== '';
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.required && !given(name)) throw new UsageError(`Missing --${name}: ${option.required}.`);
    if (option.needs && given(name) && !given(option.needs)) throw new UsageError(`--${name} needs --${option.needs}.`);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    const value = values[name];
    if (typeof value !== 'string') continue;
    if (option.choices && !option.choices.includes(value))
      throw new UsageError(`--${name} must be one of ${option.choices.join(', ')}, not "${value}".`);
    if (option.positive && !/^[1-9]\d*$/.test(value))
      throw new UsageError(`--${name} must be a positive whole number, not "${value}".`);
  }
  return { values: values as Values<T>, positionals: parsed.positionals };
}
