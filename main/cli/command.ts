/** One `cutover <command>`: its own argument parsing, usage text and run. */
import { BadRequestError } from '../../providers/api/errors';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CliCommand {
  name: string;
  usage: string;
  /** Returns the exit code: 0 success, 1 failure. Throws UsageError for bad arguments (exit 2). */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: the command line prints the message and the usage, and exits with code 2. */
export class UsageError extends BadRequestError {
  override name = 'UsageError';
}

/** Runs an argument check and turns whatever it throws into a UsageError (exit code 2), message tidied. */
export function asUsage<T>(check: () => T, tidy: (message: string) => string = (message) => message): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(tidy((error as Error).message));
  }
}

/** node:util's parseArgs messages start with what failed: keep only the explanation. */
export const parseArgsMessage = (message: string): string => message.replace(/^.*?: /, '');

/** The presets a command passes to its provider: those given, and not empty. */
export function givenPresets(presets: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(presets).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
