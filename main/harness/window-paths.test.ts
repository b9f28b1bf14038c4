/**
 * The window names no file that is read or written, and cannot skip the question before a file is
 * replaced: played as a compromised window would, over the harness's real WebSocket (the IPC contract),
 * with the real core, the files provider, a MongoDB test server, and the harness's own chooser page
 * answered over HTTP as a person (or Playwright) answers it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { useMongo, type UsedMongo } from '../../testkit/mongo/index';
import { startHarness, type Harness } from './server';

let mongo: UsedMongo;
let harness: Harness;
let dir: string;
const db = `window_paths_${Date.now().toString(36)}`;

beforeAll(async () => {
  mongo = await useMongo();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-window-paths-'));
  const webDir = path.join(dir, 'web');
  mkdirSync(webDir);
  await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Cutover</title>');
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  harness = await startHarness({ webDir, coreOptions: { dataDir, progressThrottleMs: 0 }, chooserDir: dir });
  const client = await new MongoClient(mongo.uri).connect();
  await client
    .db(db)
    .collection<{ _id: number; name: string }>('people')
    .insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, name: `p${i}` })));
  await client.close();
});

afterAll(async () => {
  await harness?.stop();
  await mongo?.stop();
});

/** The window's side of the contract: calls, events, prompts. */
/** The fields of a call's result the tests read (each call answers with some of them; absent ones are undefined). */
type CallValue = { id: string; jobId: string; dataFile: { dropId: string; format: string }; errors: string[] };

async function windowClient() {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
    headers: { origin: `http://127.0.0.1:${harness.port}` },
  });
  await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
  let id = 0;
  const prompts: Prompt[] = [];
  const jobs = new Map<string, JobSnapshot>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'event' && message.name === 'job.prompt') prompts.push(message.payload);
    if (message.type === 'event' && message.name === 'job.updated') jobs.set(message.payload.jobId, message.payload);
  });
  const call = (name: string, payload: unknown) =>
    new Promise<{ ok: boolean; value: CallValue; error?: { code: string; message: string } }>((resolve) => {
      const mine = ++id;
      ws.on('message', function onMessage(data) {
        const message = JSON.parse(String(data));
        if (message.type === 'result' && message.id === mine) {
          ws.off('message', onMessage);
          resolve(message.outcome);
        }
      });
      ws.send(JSON.stringify({ type: 'call', id: mine, name, payload }));
    });
  const connectionId = (await call('connections.open', { uri: mongo.uri })).value.id as string;
  return { ws, call, prompts, jobs, connectionId };
}

async function until<T>(get: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The chooser page, read and answered over HTTP as its own page does (same origin, its key). */
const chooser = {
  async page(): Promise<string> {
    return (await fetch(harness.chooserUrl)).text();
  },
  async answer(fields: Record<string, string>, origin = new URL(harness.chooserUrl).origin): Promise<number> {
    const html = await chooser.page();
    const id = /name="id" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const key = new URL(harness.chooserUrl).searchParams.get('key') ?? '';
    const res = await fetch(`${new URL(harness.chooserUrl).origin}/answer`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key, id, ...fields }).toString(),
    });
    return res.status;
  },
  async waitFor(text: string): Promise<string> {
    const end = Date.now() + 20_000;
    for (;;) {
      const html = await chooser.page();
      if (html.includes(text)) return html;
      if (Date.now() > end) throw new Error(`the chooser never showed "${text}": ${html}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  },
};

describe('the window names no path and skips no confirmation', () => {
  it('refuses presets from the window: a file to read (the old ~/.ssh/id_rsa preview) or to overwrite without asking', async () => {
    const secret = path.join(dir, 'id_rsa');
    await writeFile(
      secret,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    const bashrc = path.join(dir, 'bashrc');
    await writeFile(bashrc, 'alias ll="ls -l"\n');
    const w = await windowClient();
    const read = await w.call('jobs.start', {
      providerId: 'files',
      actionId: 'import',
      context: { connectionId: w.connectionId, databaseName: db, extendedProperties: { file: secret, format: 'csv' } },
    });
    expect(read).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('never by the window') },
    });
    const write = await w.call('jobs.start', {
      providerId: 'files',
      actionId: 'export',
      context: {
        connectionId: w.connectionId,
        databaseName: db,
        collectionName: 'people',
        extendedProperties: { out: bashrc, format: 'ndjson', confirm: 'yes' },
      },
    });
    expect(write).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await readFile(bashrc, 'utf8')).toBe('alias ll="ls -l"\n');
    expect(w.prompts.some((p) => JSON.stringify(p).includes('OPENSSH'))).toBe(false);
    w.ws.close();
  });

  it('an import asks no path of the window: the host’s chooser gives it', async () => {
    const file = path.join(dir, 'chosen.ndjson');
    await writeFile(file, '{"_id": 1, "n": 1}\n{"_id": 2, "n": 2}\n');
    const w = await windowClient();
    const started = await w.call('jobs.start', {
      providerId: 'files',
      actionId: 'import',
      context: { connectionId: w.connectionId, databaseName: db, extendedProperties: {} },
    });
    expect(started.ok).toBe(true);
    const jobId = started.value.jobId as string;
    // The window is told the job waits for the host's chooser; it gets no prompt with a path field.
    await until(() => w.jobs.get(jobId)?.waitingFor?.includes('file chooser'), 'the waiting note');
    expect(w.prompts.filter((p) => p.jobId === jobId)).toEqual([]);
    await chooser.waitFor('choose a file or a mongodump folder');
    expect(await chooser.answer({ path: 'chosen.ndjson', action: 'choose' })).toBe(303);
    const settings = await until(
      () => w.prompts.find((p) => p.jobId === jobId && p.kind === 'form'),
      'the settings form',
    );
    expect(
      settings.kind === 'form' && settings.fields.some((f) => f.type === 'text' && /file|path|out/i.test(f.id)),
    ).toBe(false);
    // An answer cannot carry a field the form did not ask (a path, confirm=yes).
    expect(
      await w.call('prompts.answer', {
        jobId,
        promptId: settings.promptId,
        value: { coll: 'chosen', file: '/etc/shadow', confirm: 'yes' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request', message: 'This form has no field "file".' } });
    expect(
      await w.call('prompts.answer', {
        jobId,
        promptId: settings.promptId,
        value: { coll: 'chosen', conflict: 'abort', onError: 'stop', format: 'auto' },
      }),
    ).toMatchObject({ ok: true });
    const preview = await until(() => w.prompts.find((p) => p.jobId === jobId && p.kind === 'report'), 'the preview');
    await w.call('prompts.answer', { jobId, promptId: preview.promptId, value: 'start' });
    await until(() => w.jobs.get(jobId)?.state === 'succeeded', 'the import to end');
    w.ws.close();
  });

  it('an export writes where the chooser says; replacing asks on the chooser page; History’s Run again asks again', async () => {
    const out = path.join(dir, 'people.jsonl');
    await writeFile(out, 'old content\n');
    const w = await windowClient();
    const started = await w.call('jobs.start', {
      providerId: 'files',
      actionId: 'export',
      context: { connectionId: w.connectionId, databaseName: db, collectionName: 'people', extendedProperties: {} },
    });
    const jobId = started.value.jobId as string;
    const form = await until(() => w.prompts.find((p) => p.jobId === jobId && p.kind === 'form'), 'the export form');
    expect(form.kind === 'form' && form.fields.map((f) => f.id)).not.toContain('out');
    await w.call('prompts.answer', {
      jobId,
      promptId: form.promptId,
      value: { format: 'ndjson', ejson: 'relaxed', query: '', fields: '', gzip: false, keepPartial: false },
    });
    // The page offers the name; the person types the existing file's path; the chooser itself asks.
    expect(await chooser.waitFor('people.jsonl')).toContain('where to save the file');
    // The app page's origin cannot answer the chooser, even knowing the question.
    expect(await chooser.answer({ path: out, action: 'choose' }, `http://127.0.0.1:${harness.port}`)).toBe(403);
    await chooser.answer({ path: out, action: 'choose' });
    await chooser.waitFor('Replace the file?');
    // The window has no way to say yes: its only prompt was the form; the job waits on the host.
    expect(w.prompts.filter((p) => p.jobId === jobId).map((p) => p.kind)).toEqual(['form']);
    await chooser.answer({ path: out, action: 'replace' });
    await until(() => w.jobs.get(jobId)?.state === 'succeeded', 'the export to end');
    expect((await readFile(out, 'utf8')).split('\n').filter(Boolean)).toHaveLength(20);

    // Run again from History: the record gives the path; the host asks again before replacing it.
    await writeFile(out, 'kept\n');
    const again = await w.call('history.rerun', { jobId });
    expect(again.ok).toBe(true);
    const rerunId = again.value.jobId as string;
    const rerunForm = await until(
      () => w.prompts.find((p) => p.jobId === rerunId && p.kind === 'form'),
      'the re-run’s settings',
    );
    await w.call('prompts.answer', {
      jobId: rerunId,
      promptId: rerunForm.promptId,
      value: { format: 'ndjson', ejson: 'relaxed', query: '', fields: '', gzip: false, keepPartial: false },
    });
    expect(await chooser.waitFor('exists already')).toContain(out);
    await chooser.answer({ action: 'keep' });
    await until(() => w.jobs.get(rerunId)?.state === 'cancelled', 'the re-run to stop');
    expect(await readFile(out, 'utf8')).toBe('kept\n');
    w.ws.close();
  });

  it('never replaces a read-only file, even when the person says Replace', async () => {
    const out = path.join(dir, 'readonly.jsonl');
    await writeFile(out, 'precious\n');
    await chmod(out, 0o444);
    const w = await windowClient();
    const started = await w.call('jobs.start', {
      providerId: 'files',
      actionId: 'export',
      context: { connectionId: w.connectionId, databaseName: db, collectionName: 'people', extendedProperties: {} },
    });
    const jobId = started.value.jobId as string;
    const form = await until(() => w.prompts.find((p) => p.jobId === jobId && p.kind === 'form'), 'the export form');
    await w.call('prompts.answer', {
      jobId,
      promptId: form.promptId,
      value: { format: 'ndjson', ejson: 'relaxed', query: '', fields: '', gzip: false, keepPartial: false },
    });
    await chooser.waitFor('where to save the file');
    await chooser.answer({ path: out, action: 'choose' });
    await chooser.waitFor('Replace the file?');
    await chooser.answer({ path: out, action: 'replace' });
    const done = await until(
      () => (['failed', 'succeeded'].includes(w.jobs.get(jobId)?.state ?? '') ? w.jobs.get(jobId) : undefined),
      'the export to end',
    );
    expect(done.state).toBe('failed');
    expect(done.summary).toContain('is read-only: Cutover never replaces it');
    expect(await readFile(out, 'utf8')).toBe('precious\n');
    w.ws.close();
  });

  it('intake.path is no file-existence oracle: missing, unreadable, a folder, a FIFO and a file of another kind get one answer', async () => {
    const w = await windowClient();
    const places = ['missing', 'other', 'folder', 'fifo'].map((p) => path.join(dir, 'oracle', p));
    for (const p of places) mkdirSync(p, { recursive: true });
    await writeFile(path.join(places[1], 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n');
    mkdirSync(path.join(places[2], 'id_rsa'));
    execFileSync('mkfifo', [path.join(places[3], 'id_rsa')]);
    const answers = await Promise.all(places.map((p) => w.call('intake.path', { path: path.join(p, 'id_rsa') })));
    const texts = answers.map((a) => JSON.stringify(a));
    expect(new Set(texts).size).toBe(1);
    expect(answers[0]).toMatchObject({
      ok: true,
      value: { errors: [expect.stringContaining('id_rsa: Cutover cannot use this file')] },
    });
    w.ws.close();
  });

  it('a dropped data file is imported through the drop the core checked: its path never reaches the window, for reading only', async () => {
    const file = path.join(dir, 'dropped.ndjson');
    await writeFile(file, '{"_id": "a"}\n{"_id": "b"}\n{"_id": "c"}\n');
    const w = await windowClient();
    const dropped = await w.call('intake.path', { path: file });
    expect(dropped.value.dataFile).toEqual({ dropId: expect.any(String), format: 'ndjson' });
    expect(JSON.stringify(dropped)).not.toContain(dir);
    const context = {
      connectionId: w.connectionId,
      databaseName: db,
      collectionName: 'people',
      dropId: dropped.value.dataFile.dropId,
      extendedProperties: {},
    };
    // Not for writing: a drop only starts an import.
    expect(await w.call('jobs.start', { providerId: 'files', actionId: 'export', context })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const started = await w.call('jobs.start', {
      providerId: 'files',
      actionId: 'import',
      context: { ...context, collectionName: undefined },
    });
    expect(started.ok).toBe(true);
    const jobId = started.value.jobId as string;
    const settings = await until(
      () => w.prompts.find((p) => p.jobId === jobId && p.kind === 'form'),
      'the settings form',
    );
    expect(settings.kind === 'form' && settings.description).toContain('dropped.ndjson');
    await w.call('jobs.cancel', { jobId });
    // Used once: the same drop id does not start a second job.
    expect(
      await w.call('jobs.start', {
        providerId: 'files',
        actionId: 'import',
        context: { ...context, collectionName: undefined },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    w.ws.close();
  });
});
