import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from './server';

describe('browser harness', () => {
  let harness: Harness;
  beforeAll(async () => {
    const webDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-web-'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Cutover</title>');
    harness = await startHarness({ webDir });
  });
  afterAll(() => harness?.stop());

  const origin = () => `http://127.0.0.1:${harness.port}`;

  it('serves the renderer and nothing outside it', async () => {
    const page = await fetch(harness.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Cutover</title>');
    expect((await fetch(`${origin()}/../../package.json`)).status).toBe(404);
    expect((await fetch(`${origin()}/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
  });

  it('refuses WebSocket connections without the token or from another origin', async () => {
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('open', () => resolve(false));
        ws.on('error', () => resolve(true));
      });
    expect(await refused(`ws://127.0.0.1:${harness.port}/ipc`)).toBe(true);
    expect(await refused(`ws://127.0.0.1:${harness.port}/ipc?token=wrong`)).toBe(true);
    expect(
      await refused(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, { origin: 'http://evil.example' }),
    ).toBe(true);
  });

  it('carries calls of the contract to the real core and answers them', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
      headers: { origin: origin() },
    });
    await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
    const call = (id: number, name: string, payload: unknown) =>
      new Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>((resolve) => {
        ws.on('message', function onMessage(data) {
          const message = JSON.parse(String(data));
          if (message.type === 'result' && message.id === id) {
            ws.off('message', onMessage);
            resolve(message.outcome);
          }
        });
        ws.send(JSON.stringify({ type: 'call', id, name, payload }));
      });
    expect(await call(1, 'app.info', {})).toMatchObject({ ok: true, value: { shell: 'browser' } });
    expect(await call(2, 'connections.open', { uri: 12 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    ws.close();
  });
});
