/**
 * Cutover without the window: `npm run cutover -- <command> …`. The same core, providers and actions
 * as the app. Exit code 0 on success, 1 on failure, 2 on bad arguments. Credentials are never echoed.
 * Each command lives in ./commands/ and is listed here.
 */
import { UsageError, type CliCommand, type CliIo } from './command';

/** Loaded on the error paths only (the connection-string parser is not needed to print the usage). */
const redact = async (text: string): Promise<string> =>
  (await import('../core/connection-string')).redactSecretsInText(text);

/**
 * The commands, each loaded only when it runs: `cutover --help` then loads neither the driver nor a
 * provider (it starts in a few tens of milliseconds from the built bundle).
 */
interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load(): Promise<CliCommand>;
}

const COMMANDS: CommandEntry[] = [
  {
    name: 'copy',
    summary: 'copy a collection, a database or a whole server to another MongoDB-compatible server',
    load: async () => (await import('./commands/copy')).copyCommand,
  },
  {
    name: 'connections',
    summary: 'import, list and export saved connections',
    load: async () => (await import('./commands/connections')).connectionsCommand,
  },
  {
    name: 'import',
    summary: 'import a JSON, JSON Lines, CSV/TSV, BSON file or a mongodump folder into a collection',
    load: async () => (await import('./commands/import')).importCommand,
  },
  {
    name: 'export',
    summary: 'export a collection or a query to JSON, JSON Lines, CSV/TSV or a mongodump folder',
    load: async () => (await import('./commands/export')).exportCommand,
  },
  {
    name: 'history',
    summary: 'list the recorded jobs (interrupted ones can be resumed)',
    load: async () => (await import('./commands/history')).historyCommand,
  },
  {
    name: 'versia-check',
    summary: 'check whether a Versia account can be moved to another instance',
    load: async () => (await import('./commands/versia')).versiaCheckCommand,
  },
  {
    name: 'relational',
    summary: 'migrate PostgreSQL or MySQL/MariaDB tables into MongoDB documents',
    load: async () => (await import('./commands/relational')).relationalCommand,
  },
  {
    name: 'providers',
    summary: 'install, list, remove and run third-party migration providers',
    load: async () => (await import('./commands/providers')).providersCommand,
  },
];

const usage = () =>
  `Usage: cutover <command> [options]\n\nCommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(14)}${c.summary}`).join('\n')}\n\n"cutover <command> --help" shows a command's options.`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`cutover: unknown command "${await redact(name)}".\n\n${usage()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`cutover ${command.name}: ${await redact(error.message)}\n\n${command.usage}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
