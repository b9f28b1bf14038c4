/**
 * The browser harness's own questions (HostDialogs), asked on the terminal that runs the harness, not
 * in the page: where to save a file (a typed path) and confirmations. A page, even a hostile one,
 * cannot answer them. Questions are asked one at a time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { HostDialogs } from '../core/host-dialogs';

export function terminalDialogs(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, cwd = process.cwd()): HostDialogs {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (question: string): Promise<string> => {
    const next = queue.then(async () => {
      const rl = createInterface({ input, output, terminal: false });
      try {
        return (await rl.question(question)).trim();
      } finally {
        rl.close();
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const yes = (answer: string) => /^(y|yes)$/i.test(answer);
  return {
    async chooseSavePath({ title, suggestedName }) {
      const suggested = path.resolve(cwd, path.basename(suggestedName));
      const answer = await ask(`\n[Cutover] ${title}: the window asks to save a file.\n  Save as (Enter: ${suggested}; a path; "-" to cancel): `);
      if (answer === '-') return undefined;
      const target = answer ? path.resolve(cwd, answer) : suggested;
      if (existsSync(target) && !yes(await ask(`  ${target} exists. Replace it? [y/N] `))) return undefined;
      return target;
    },
    async confirm({ message, detail, confirmLabel }) {
      return yes(await ask(`\n[Cutover] ${message}\n${detail ? `  ${detail}\n` : ''}  ${confirmLabel}? [y/N] `));
    },
  };
}
