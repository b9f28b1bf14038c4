/** The harness's terminal questions: typed answers, the default path, cancel and "replace?". */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalDialogs } from './terminal-dialogs';

function terminal(cwd: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => (printed += String(chunk)));
  const dialogs = terminalDialogs(input, output, cwd);
  /** Types a line once the question has been printed. */
  const answer = async (line: string) => {
    const before = printed.length;
    while (printed.length === before) await new Promise((r) => setTimeout(r, 5));
    input.write(`${line}\n`);
  };
  return { dialogs, answer, printed: () => printed };
}

describe('harness terminal dialogs', () => {
  it('saves to the default, a typed path, or nothing; asks before replacing', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'cutover-term-'));
    const t = terminal(cwd);
    const request = { title: 'Export connections', suggestedName: '../../evil/Reports.cutover' };
    let pending = t.dialogs.chooseSavePath(request);
    await t.answer('');
    expect(await pending).toBe(path.join(cwd, 'Reports.cutover'));
    pending = t.dialogs.chooseSavePath(request);
    await t.answer('-');
    expect(await pending).toBeUndefined();
    await writeFile(path.join(cwd, 'taken.cutover'), 'x');
    pending = t.dialogs.chooseSavePath(request);
    await t.answer('taken.cutover');
    await t.answer('n');
    expect(await pending).toBeUndefined();
    expect(t.printed()).toMatch(/taken\.cutover exists\. Replace it\?/);
    pending = t.dialogs.chooseSavePath(request);
    await t.answer('taken.cutover');
    await t.answer('y');
    expect(await pending).toBe(path.join(cwd, 'taken.cutover'));
  });

  it('confirms only on yes', async () => {
    const t = terminal(os.tmpdir());
    let pending = t.dialogs.confirm({ message: 'Export with passwords?', detail: 'Details.', confirmLabel: 'Export with passwords' });
    await t.answer('yes');
    expect(await pending).toBe(true);
    pending = t.dialogs.confirm({ message: 'Again?', confirmLabel: 'Go' });
    await t.answer('');
    expect(await pending).toBe(false);
    expect(t.printed()).toContain('Export with passwords? [y/N]');
  });
});
