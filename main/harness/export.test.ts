/**
 * Exporting saved connections through the window's real IPC contract (the harness over a WebSocket):
 * the window never receives the file's content, the host asks where to save and whether to export
 * secrets, and the file is written owner-only where the host said.
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConfirmRequest, FileChoiceRequest, HostDialogs } from '../core/host-dialogs';
import { readCutoverFile } from '../core/connection-files/cutover-file';
import { startHarness, type Harness } from './server';

const PASSWORD = 'hunter2-s3cret';

/** A host that answers from a script and records what it was asked. */
function scriptedHost(answers: { confirm?: boolean; savePath?: string }) {
  const asked: Array<FileChoiceRequest | ConfirmRequest> = [];
  const dialogs: HostDialogs = {
    where: 'in the test',
    async chooseFile(request) {
      asked.push(request);
      // A Save dialog asks about replacing itself.
      return answers.savePath ? { path: answers.savePath, replaceConfirmed: true } : undefined;
    },
    async confirmReplace() {
      return false;
    },
    async confirm(request) {
      asked.push(request);
      return answers.confirm ?? false;
    },
  };
  return { dialogs, asked };
}

async function open(harness: Harness) {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
    headers: { origin: `http://127.0.0.1:${harness.port}` },
  });
  const received: string[] = [];
  ws.on('message', (data) => received.push(String(data)));
  await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
  let next = 1;
  const call = (name: string, payload: unknown) =>
    new Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } }>(
      (resolve) => {
        const id = next++;
        ws.on('message', function onMessage(data) {
          const message = JSON.parse(String(data));
          if (message.type === 'result' && message.id === id) {
            ws.off('message', onMessage);
            resolve(message.outcome);
          }
        });
        ws.send(JSON.stringify({ type: 'call', id, name, payload }));
      },
    );
  return { ws, call, received };
}

describe('exporting saved connections from the window', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function setUp(host?: HostDialogs) {
    const webDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-web-'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Cutover</title>');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-export-'));
    harness = await startHarness({ webDir, coreOptions: { dataDir, hostDialogs: host } });
    const client = await open(harness);
    const added = await client.call('connections.saved.add', {
      uri: `postgres://bob:${PASSWORD}@pg.example/reports?sslpassword=key-pass-42`,
      name: 'Reports',
    });
    expect(added.ok).toBe(true);
    return { ...client, id: added.value!.id as string, dataDir };
  }

  it('writes the file where the host chose, after the host confirmed the secrets; the window gets the name only', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'cutover-out-')), 'team.cutover');
    const host = scriptedHost({ confirm: true, savePath: out });
    const { call, received, id, ws } = await setUp(host.dialogs);
    const outcome = await call('connections.saved.export', { ids: [id], passphrase: 'window-chosen-passphrase' });
    expect(outcome).toEqual({ ok: true, value: { fileName: 'team.cutover' } });
    // Nothing the window received holds the secrets or the sealed box.
    const everything = received.join('\n');
    for (const secret of [PASSWORD, 'key-pass-42', '"encryption"', '"ciphertext"', '"data"'])
      expect(everything).not.toContain(secret);
    expect(host.asked.map((q) => ('confirmLabel' in q ? 'confirm' : 'save'))).toEqual(['confirm', 'save']);
    expect((host.asked[0] as ConfirmRequest).message).toMatch(/with its passwords/);
    expect((host.asked[1] as FileChoiceRequest).defaultName).toBe('Reports.cutover');
    // The file is the owner's only, and opens with the passphrase.
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const parsed = await readCutoverFile(await readFile(out, 'utf8'), 'window-chosen-passphrase');
    expect(parsed.entries[0].uri).toContain(PASSWORD);
    ws.close();
  });

  it('writes nothing when the host declines exporting secrets or cancels the Save dialog', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'cutover-out-')), 'team.cutover');
    const declined = scriptedHost({ confirm: false, savePath: out });
    const { call, id, ws } = await setUp(declined.dialogs);
    expect(await call('connections.saved.export', { ids: [id], passphrase: 'window-chosen-passphrase' })).toEqual({
      ok: true,
      value: {},
    });
    expect(declined.asked).toHaveLength(1); // no Save dialog after a "no"
    expect(existsSync(out)).toBe(false);
    ws.close();
    await harness!.stop();

    const cancelled = scriptedHost({ savePath: undefined });
    const second = await setUp(cancelled.dialogs);
    // Without a passphrase no secret leaves: only the Save dialog is asked.
    expect(await second.call('connections.saved.export', { ids: [second.id] })).toEqual({ ok: true, value: {} });
    expect(cancelled.asked.map((q) => ('confirmLabel' in q ? 'confirm' : 'save'))).toEqual(['save']);
    second.ws.close();
  });

  it('refuses to export when the host has no way to ask', async () => {
    const { call, id, received, ws } = await setUp(undefined);
    const outcome = await call('connections.saved.export', { ids: [id], passphrase: 'window-chosen-passphrase' });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/Save dialog on the host side/) },
    });
    expect(received.join('\n')).not.toContain(PASSWORD);
    ws.close();
  });
});
