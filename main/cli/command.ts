/** One `cutover <command>`: its own argument parsing, usage text and run. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  usage: string;
  /** Returns the exit code: 0 success, 1 failure. Throws UsageError for bad arguments (exit 2). */
  run(argv: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}
