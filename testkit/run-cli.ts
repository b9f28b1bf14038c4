/**
 * Cutover's command line in a real child process, as the tests run it: from the source (tsx), in the
 * repository's root, with its exit code and what it printed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const root = path.resolve(import.meta.dirname, '..');

/** Runs `cutover <args>`; `imports` are modules Node loads first (after tsx), `env` replaces the environment. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; imports?: string[] } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ...(options.imports ?? []), path.join(root, 'main/cli/index.ts'), ...args],
      { cwd: root, env: options.env ?? process.env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
