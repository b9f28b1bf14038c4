/**
 * The browser harness: serves the built renderer and carries the IPC contract over a WebSocket on
 * 127.0.0.1 to the real core, so the whole app can be used and tested in a plain browser where
 * Electron's binary is unavailable. Only pages that present the run's token may connect.
 *
 * Any web page the person visits can reach 127.0.0.1, so the harness trusts nothing it receives: the
 * Host header must name the harness (DNS rebinding), a bad request or WebSocket frame closes that one
 * socket, and nothing a client sends can stop the process.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createCore, type CoreOptions, type CutoverCore } from '../core/app-core';
import { CUTOVER_VERSION } from '../core/version';
import { builtinProviders } from '../../providers/builtin';
import { startChooser, type Chooser } from './chooser';

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../out/web', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface HarnessOptions {
  port?: number;
  webDir?: string;
  core?: CutoverCore;
  coreOptions?: Partial<CoreOptions>;
  /** Where relative paths typed in the file chooser start (default: the working folder). */
  chooserDir?: string;
}

export interface Harness {
  /** The page to open, token included. */
  url: string;
  port: number;
  token: string;
  /** The harness's own file chooser page (another port, its own key): the host's questions are answered there. */
  chooserUrl: string;
  core: CutoverCore;
  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const webDir = options.webDir ?? DEFAULT_WEB_DIR;
  if (!existsSync(path.join(webDir, 'index.html')))
    throw new Error(`The renderer is not built (${webDir}/index.html is missing): run "npm run build:web" first.`);
  // Paths and "replace this file?" are answered on the chooser's page, never by the app page.
  const chooser: Chooser = await startChooser({ baseDir: options.chooserDir });
  const core =
    options.core ??
    createCore({
      providers: builtinProviders({ dataDir: options.coreOptions?.dataDir }),
      shell: 'browser',
      version: CUTOVER_VERSION,
      hostDialogs: chooser.dialogs,
      ...options.coreOptions,
    });
  const token = randomBytes(24).toString('hex');

  let port = 0;
  /** The names this server answers to: a page served from any other (a rebound DNS name) is refused. */
  const hostAllowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const originAllowed = (origin: string | undefined) =>
    !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const server = http.createServer((req, res) => {
    try {
      if (!hostAllowed(req.headers.host)) {
        res.writeHead(421, { 'content-type': 'text/plain', connection: 'close' }).end('Misdirected request');
        return;
      }
      serveStatic(webDir, req, res);
    } catch {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' });
      res.end('Bad request');
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  wss.on('error', () => undefined);

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let ok = false;
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const given = Buffer.from(url.searchParams.get('token') ?? '');
      ok =
        hostAllowed(req.headers.host) &&
        url.pathname === '/ipc' &&
        given.length === Buffer.byteLength(token) &&
        timingSafeEqual(given, Buffer.from(token)) &&
        originAllowed(req.headers.origin);
    } catch {
      ok = false;
    }
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    chooserUrl: chooser.url,
    core,
    async stop() {
      await chooser.stop();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.core) await core.shutdown();
    },
  };
}

/** Carries calls and events over one WebSocket. A protocol error or a message that is not a call closes this socket only. */
function attach(ws: WebSocket, core: CutoverCore): void {
  const unsubscribe = core.onEvent((name, payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', name, payload }));
  });
  ws.on('close', unsubscribe);
  // Frames over the limit, invalid UTF-8, unmasked frames, reserved opcodes: ws closes the socket; nothing is thrown.
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    void handle(ws, core, data, isBinary).catch(() => ws.terminate());
  });
}

async function handle(ws: WebSocket, core: CutoverCore, data: RawData, isBinary: boolean): Promise<void> {
  if (isBinary) return ws.close(1003, 'Text only');
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    return ws.close(1007, 'Not JSON');
  }
  const call = message as { type?: unknown; id?: unknown; name?: unknown; payload?: unknown } | null;
  if (
    !call ||
    typeof call !== 'object' ||
    Array.isArray(call) ||
    call.type !== 'call' ||
    typeof call.id !== 'number' ||
    typeof call.name !== 'string'
  ) {
    return ws.close(1008, 'Not a call');
  }
  const outcome = await core.dispatchFromWindow(call.name, call.payload);
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: call.id, outcome }));
}

function serveStatic(webDir: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
    return;
  }
  const file = path.join(webDir, pathname === '/' ? 'index.html' : pathname);
  if (!file.startsWith(webDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
