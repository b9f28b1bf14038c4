/**
 * The one host interface for starting an isolated provider process, and its Node implementation
 * (`child_process.fork`, used by the CLI, the harness and the tests). Electron's utilityProcess adapter
 * (main/electron/utility-process-launcher.ts) implements the same interface.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ProviderProcess {
  readonly pid?: number;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** The last few kilobytes the process wrote to stderr (for crash reports). */
  stderrTail(): string;
  kill(): void;
}

export interface LaunchOptions {
  /** The provider-child script (a .ts file runs with tsx, for development and tests). */
  script: string;
  args: string[];
  /** The scrubbed environment: only this reaches the process. */
  env: Record<string, string>;
  cwd: string;
  /** The V8 heap limit, in megabytes. */
  memoryMb: number;
}

export interface ProviderProcessLauncher {
  launch(options: LaunchOptions): ProviderProcess;
}

const TAIL = 8 * 1024;

/** Node flags that make the script runnable: tsx for a .ts script. */
export function scriptExecArgv(script: string): string[] {
  if (!script.endsWith('.ts')) return [];
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/package.json')
    .replace(/package\.json$/, 'dist/loader.mjs');
  return ['--import', pathToFileURL(tsx).href];
}

/**
 * The provider-child script: in a built bundle, `provider-child.js` beside the bundle's entry (this
 * module may sit in a chunks/ folder below it; workers.config.ts emits it); else the .ts source.
 */
export function defaultChildScript(): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  for (const folder of [dir, path.dirname(dir)]) {
    const built = path.join(folder, 'provider-child.js');
    if (existsSync(built)) return built;
  }
  return fileURLToPath(new URL('./child/provider-child.ts', import.meta.url));
}

export const forkLauncher: ProviderProcessLauncher = {
  launch(options) {
    const child = fork(options.script, options.args, {
      cwd: options.cwd,
      env: options.env,
      execArgv: [...scriptExecArgv(options.script), `--max-old-space-size=${options.memoryMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let tail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-TAIL);
    });
    child.on('error', () => undefined);
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message as object, (error) => void error);
      },
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.on('exit', listener),
      stderrTail: () => tail,
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  },
};
