/**
 * The harness over real sockets against clients that misbehave (what any web page or local process
 * can send to 127.0.0.1): every bad frame or request closes that one socket, the process survives, and
 * other clients go on being served. Names that are not the harness's (DNS rebinding) are refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from './server';

let harness: Harness;
beforeAll(async () => {
  const webDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-web-'));
  await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Cutover</title>');
  harness = await startHarness({ webDir });
});
afterAll(() => harness?.stop());

/** A raw request; resolves to the status code, or 0 when the server closed without answering. */
function rawRequest(requestPath: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: harness.port, path: requestPath, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** A WebSocket opened by hand (handshake over a raw TCP socket), so any bytes can follow. */
async function rawWebSocket(): Promise<net.Socket> {
  const socket = net.connect(harness.port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    [
      `GET /ipc?token=${harness.token} HTTP/1.1`,
      `Host: 127.0.0.1:${harness.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Origin: http://127.0.0.1:${harness.port}`,
      '',
      '',
    ].join('\r\n'),
  );
  const reply = await new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', function onData(chunk) {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text);
      }
    });
  });
  expect(reply).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

/** A client frame: FIN + opcode, masked unless told otherwise. */
function frame(opcode: number, payload: Buffer, options: { mask?: boolean; declaredLength?: number } = {}): Buffer {
  const mask = options.mask ?? true;
  const length = options.declaredLength ?? payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | 126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | 127]),
            (() => {
              const b = Buffer.alloc(8);
              b.writeBigUInt64BE(BigInt(length));
              return b;
            })(),
          ]);
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]));
  return Buffer.concat([header, key, body]);
}

const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** A well-behaved client still gets an answer. */
async function stillServes(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
    headers: { origin: `http://127.0.0.1:${harness.port}` },
  });
  await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
  const answer = new Promise<{ outcome: { ok: boolean } }>((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(String(data)))),
  );
  ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: {} }));
  expect((await answer).outcome.ok).toBe(true);
  ws.close();
  expect(await rawRequest('/', { host: `127.0.0.1:${harness.port}` })).toBe(200);
}

describe('the harness survives hostile clients', () => {
  it.each([
    ['an unmasked frame', () => frame(1, Buffer.from('{}'), { mask: false })],
    ['a reserved opcode', () => frame(3, Buffer.from('{}'))],
    ['invalid UTF-8 in a text frame', () => frame(1, Buffer.from([0xc3, 0x28, 0xff, 0xfe]))],
    ['a frame over the 16 MiB limit', () => frame(1, Buffer.alloc(0), { declaredLength: 17 * 1024 * 1024 })],
  ])('%s closes that socket only', async (_what, bytes) => {
    const socket = await rawWebSocket();
    socket.on('error', () => undefined);
    socket.write(bytes());
    await closed(socket);
    await stillServes();
  });

  it.each([['null'], ['[]'], ['"call"'], ['42'], ['{"type":"call","id":"x","name":"app.info"}'], ['not json']])(
    'the message %s closes that socket only',
    async (text) => {
      const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
        headers: { origin: `http://127.0.0.1:${harness.port}` },
      });
      await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
      const code = new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      ws.send(text);
      expect([1003, 1007, 1008]).toContain(await code);
      await stillServes();
    },
  );

  it('answers a malformed path (GET /%) with 400, without a token', async () => {
    expect(await rawRequest('/%', { host: `127.0.0.1:${harness.port}` })).toBe(400);
    expect(await rawRequest('/%E0%A4%A', { host: `127.0.0.1:${harness.port}` })).toBe(400);
    await stillServes();
  });

  it('refuses requests and WebSockets that name another host (DNS rebinding)', async () => {
    expect(await rawRequest('/', { host: `attacker.example:${harness.port}` })).toBe(421);
    expect(await rawRequest('/', { host: `127.0.0.1:${harness.port + 1}` })).toBe(421);
    const refused = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
        headers: { host: `attacker.example:${harness.port}`, origin: `http://attacker.example:${harness.port}` },
      });
      ws.on('open', () => resolve(false));
      ws.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    // Even with the page's own origin, a foreign Host is refused.
    const refusedHost = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ipc?token=${harness.token}`, {
        headers: { host: `attacker.example:${harness.port}`, origin: `http://127.0.0.1:${harness.port}` },
      });
      ws.on('open', () => resolve(false));
      ws.on('error', () => resolve(true));
    });
    expect(refusedHost).toBe(true);
    await stillServes();
  });
});
