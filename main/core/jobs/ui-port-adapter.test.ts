/**
 * The UI port a provider gets, answered through the job's open prompts as the window answers them: inputs
 * and forms asked again with the provider's error (secrets not sent back), a picked connection resolved
 * here so its string never goes to the window, only http(s) links opened, and paths and "replace?" asked
 * of the host (the command line's real dialogs here), never of the window.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationProvider } from '../../../providers/api/index';
import { CONNECTION_CHOICE, type JobSnapshot, type Prompt } from '../../../preload/contract';
import { cliDialogs } from '../../cli/cli-dialogs';
import type { PromptAnswer } from './answer-check';
import { Job } from './job-state';
import type { JobRunnerOptions } from './runner-options';
import { uiPortFor } from './ui-port-adapter';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-ui-port-'));
  dirs.push(dir);
  return dir;
};

const provider: MigrationProvider = {
  id: 'p',
  label: 'P',
  description: 'test',
  appliesTo: ['mongodb'],
  getAvailableActions: async () => [],
  executeAction: async () => ({ outcome: 'succeeded', summary: '' }),
};

/** A job whose prompts are answered, in order, with `answers` (as the window would answer them); then left open. */
function setup(answers: PromptAnswer[], options: Partial<JobRunnerOptions> = {}) {
  const asked: Prompt[] = [];
  const snapshots: JobSnapshot[] = [];
  const opened: string[] = [];
  const events = {
    updated: (s: JobSnapshot) => snapshots.push(s),
    prompt: (p: Prompt) => {
      asked.push(p);
      if (!answers.length) return; // left open: the test answers it
      const answer = answers.shift();
      setTimeout(() => job.prompts.answer(p.promptId, answer));
    },
    promptClosed: () => {},
  };
  const all: JobRunnerOptions = {
    events,
    throttleMs: 0,
    openExternal: async (url) => void opened.push(url),
    ...options,
  };
  const job = new Job(provider, undefined, 'Export orders', all, { authenticated: false, extendedProperties: {} });
  return { ui: uiPortFor(job, all), job, asked, snapshots, opened };
}

describe('UI port', () => {
  it('asks an input again with the error until it validates, never sending a password back', async () => {
    const { ui, asked } = setup(['short', 'long enough']);
    const value = await ui.input({
      title: 'Name',
      validate: (v) => (v.length < 6 ? 'At least 6 characters.' : undefined),
    });
    expect(value).toBe('long enough');
    expect(asked[1]).toMatchObject({ kind: 'input', value: 'short', error: 'At least 6 characters.' });

    const secret = setup(['wrong', 'right']);
    expect(
      await secret.ui.input({
        title: 'Password',
        password: true,
        validate: (v) => (v === 'right' ? undefined : 'Rejected.'),
      }),
    ).toBe('right');
    expect(secret.asked[1]).toMatchObject({ value: '', error: 'Rejected.' });
    expect(await setup([undefined]).ui.input({ title: 'Name' })).toBeUndefined();
  });

  it('offers connections without their strings and resolves a picked one here', async () => {
    const uri = 'mongodb://alice:s3cret@db.example:27017/';
    const connectionChoices = async () => [
      { ref: 'saved:1', label: 'Prod', detail: 'db.example', group: 'saved' as const, uri },
    ];
    const validated: string[] = [];
    const { ui, asked } = setup([`${CONNECTION_CHOICE}saved:9`, `${CONNECTION_CHOICE}saved:1`], { connectionChoices });
    const value = await ui.input({
      title: 'Target',
      connections: ['mongodb'],
      validate: (v) => void validated.push(v),
    });
    expect(value).toBe(uri);
    expect(validated).toEqual([uri]);
    expect(JSON.stringify(asked)).not.toContain('s3cret');
    expect(asked[0]).toMatchObject({
      choices: [{ ref: 'saved:1', label: 'Prod', detail: 'db.example', group: 'saved' }],
    });
    expect(asked[1]).toMatchObject({ error: 'That connection is no longer offered: choose another one.' });
  });

  it('asks a form again with its values, but not its secret ones', async () => {
    const { ui, asked } = setup([
      { user: 'bob', pass: 'x' },
      { user: 'bob', pass: 'y' },
    ]);
    const fields = [
      { id: 'user', type: 'text' as const, label: 'User' },
      { id: 'pass', type: 'text' as const, label: 'Password', secret: true },
    ];
    const values = await ui.form({
      title: 'Sign in',
      fields,
      validate: (v) => (v.pass === 'y' ? undefined : 'Rejected.'),
    });
    expect(values).toEqual({ user: 'bob', pass: 'y' });
    expect(asked[1]).toMatchObject({
      kind: 'form',
      error: 'Rejected.',
      fields: [{ id: 'user', value: 'bob' }, { id: 'pass' }],
    });
    expect((asked[1] as Extract<Prompt, { kind: 'form' }>).fields[1]).not.toHaveProperty('value');
  });

  it('returns the picked item, true only for a yes, and the chosen report action', async () => {
    const items = [
      { id: 'a', label: 'A' },
      { id: 'b', label: 'B' },
    ];
    expect(await setup(['b']).ui.pick(items, { title: 'Which?' })).toEqual(items[1]);
    expect(await setup([undefined]).ui.pick(items, { title: 'Which?' })).toBeUndefined();
    expect(await setup([true]).ui.confirm({ title: 'Go?', message: 'Go?' })).toBe(true);
    expect(await setup([undefined]).ui.confirm({ title: 'Go?', message: 'Go?' })).toBe(false);
    const report = { title: 'Plan', columns: [], rows: [], notes: [], actions: [{ id: 'start', label: 'Start' }] };
    expect(await setup(['start']).ui.report(report)).toBe('start');
  });

  it('asks a mapping again under the same prompt id with the error, and serves its previews', async () => {
    const { ui, asked, job } = setup([]);
    const answers = ['bad', 'good'];
    const previews: string[] = [];
    const result = ui.mapping!({
      title: 'Map',
      source: { dialect: 'postgres', tables: [], types: [], cycles: [] },
      mapping: '{}',
      preview: async (text) => {
        previews.push(text);
        return { collections: [], documents: [text], errors: [] };
      },
      validate: (text) => (text === 'bad' ? 'That mapping is bad.' : undefined),
    });
    for (let i = 0; i < 2; i++) {
      for (let n = 0; n < 200 && asked.length <= i; n++) await new Promise((r) => setTimeout(r, 5));
      if (i === 0)
        expect(await job.prompts.preview(asked[0].promptId, 'draft')).toMatchObject({ documents: ['draft'] });
      job.prompts.answer(asked[i].promptId, answers[i]);
    }
    expect(await result).toBe('good');
    expect(previews).toEqual(['draft']);
    expect(asked[1]).toMatchObject({
      kind: 'mapping',
      promptId: asked[0].promptId,
      mapping: 'bad',
      error: 'That mapping is bad.',
    });
  });

  it('opens http and https links only', async () => {
    const { ui, opened } = setup([]);
    await ui.openExternal('https://cutover.app/help');
    await expect(ui.openExternal('file:///etc/passwd')).rejects.toThrow(
      'Refusing to open file:///etc/passwd: only http and https links open outside Cutover.',
    );
    await expect(ui.openExternal('javascript:alert(1)')).rejects.toThrow('only http and https links');
    expect(opened).toEqual(['https://cutover.app/help']);
  });

  it('asks the host for paths and replacing, never the window, and refuses what it must not replace', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.json');
    writeFileSync(out, '{}');
    const refusing = setup([], { dialogs: cliDialogs({ save: out }) });
    await expect(refusing.ui.chooseFile({ mode: 'save', title: 'Export to' })).rejects.toThrow(
      `${out} exists already: cutover does not replace it without --overwrite.`,
    );

    const allowed = setup([], { dialogs: cliDialogs({ save: path.relative(process.cwd(), out), overwrite: true }) });
    expect(await allowed.ui.chooseFile({ mode: 'save', title: 'Export to' })).toBe(out);
    expect(allowed.snapshots.some((s) => s.waitingFor === 'Export to: choose on the command line.')).toBe(true);
    expect(allowed.snapshots.at(-1)?.waitingFor).toBeUndefined();
    expect(allowed.asked).toEqual([]);

    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    await expect(allowed.ui.confirmReplace([folder])).rejects.toThrow(
      `${folder} is a folder: Cutover only replaces files.`,
    );
    chmodSync(out, 0o400);
    await expect(allowed.ui.confirmReplace([out])).rejects.toThrow(`${out} is read-only: Cutover never replaces it.`);
    expect(await allowed.ui.confirmReplace([path.join(dir, 'new.json')])).toBe(true);

    await expect(setup([]).ui.chooseFile({ mode: 'open', title: 'Import from' })).rejects.toThrow(
      'Import from: this Cutover has no file chooser',
    );
    await expect(allowed.ui.chooseFile({ mode: 'save', title: 'Export to', pick: 'file-or-folder' })).rejects.toThrow(
      'chooseFile: a place to save is a file or a folder, not either.',
    );
    allowed.job.abort.abort();
    expect(await allowed.ui.chooseFile({ mode: 'save', title: 'Export to' })).toBeUndefined();
  });
});
