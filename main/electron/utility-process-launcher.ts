/**
 * The Electron side of the provider platform's one host interface (main/core/providers/launcher.ts): each
 * third-party provider runs in an Electron utilityProcess (a Node process Electron manages), with the
 * scrubbed environment, the heap limit and the message channel the core asks for. The core never imports
 * electron: it is handed this launcher.
 */
import type { UtilityProcess } from 'electron';
import type { ProviderProcessLauncher } from '../core/providers/launcher';

type Fork = (
  modulePath: string,
  args: string[],
  options: {
    env: Record<string, string>;
    cwd: string;
    execArgv: string[];
    stdio: Array<'pipe' | 'ignore'>;
    serviceName: string;
  },
) => UtilityProcess;

const TAIL = 8 * 1024;

export function utilityProcessLauncher(utilityProcess: { fork: Fork }): ProviderProcessLauncher {
  return {
    launch(options) {
      const child = utilityProcess.fork(options.script, options.args, {
        env: options.env,
        cwd: options.cwd,
        execArgv: [`--max-old-space-size=${options.memoryMb}`],
        stdio: ['ignore', 'ignore', 'pipe'],
        serviceName: `Cutover provider ${options.env.CUTOVER_PROVIDER_ID ?? ''}`.trim(),
      });
      let tail = '';
      let exited = false;
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-TAIL);
      });
      child.on('exit', () => {
        exited = true;
      });
      return {
        get pid() {
          return child.pid;
        },
        send: (message) => {
          if (!exited) child.postMessage(message);
        },
        onMessage: (listener) => void child.on('message', listener),
        // utilityProcess reports an exit code only; a V8 heap abort shows in stderr.
        onExit: (listener) => void child.on('exit', (code) => listener(code, null)),
        stderrTail: () => tail,
        kill: () => {
          if (!exited) child.kill();
        },
      };
    },
  };
}
