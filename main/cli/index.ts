/**
 * Cutover without the window: `npm run cutover -- <command> …`. The same core, providers and actions
 * as the app. Exit code 0 on success, 1 on failure, 2 on bad arguments. Credentials are never echoed.
 * Each command lives in ./commands/ and is listed here.
 */
import { redactSecretsInText } from '../core/connection-string';
import { UsageError, type CliCommand, type CliIo } from './command';
import { copyCommand } from './commands/copy';
import { connectionsCommand } from './commands/connections';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { relationalCommand } from './commands/relational';

const COMMANDS: CliCommand[] = [copyCommand, connectionsCommand, importCommand, exportCommand, relationalCommand];

const usage = () => `Usage: cutover <command> [options]\n\nCommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(14)}${c.summary}`).join('\n')}\n\n"cutover <command> --help" shows a command's options.`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`cutover: unknown command "${redactSecretsInText(name)}".\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`cutover ${command.name}: ${redactSecretsInText(error.message)}\n\n${command.usage}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
