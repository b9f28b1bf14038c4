/**
 * The browser harness: serves the built renderer and carries the IPC contract over a WebSocket on
 * 127.0.0.1 to the real core, so the whole app can be used and tested in a plain browser where
 * Electron's binary is unavailable. Only pages that present the run's token may connect.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
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
  if (!existsSync(path.join(webDir, 'index.html'))) throw new Error(`The renderer is not built (${webDir}/index.html is missing): run "npm run build:web" first.`);
  // Paths and "replace this file?" are answered on the chooser's page, never by the app page.
  const chooser: Chooser = await startChooser({ baseDir: options.chooserDir });
  const core =
    options.core ??
    createCore({ providers: builtinProviders(), shell: 'browser', version: CUTOVER_VERSION, dialogs: chooser.dialogs, ...options.coreOptions });
  const token = randomBytes(24).toString('hex');

  const server = http.createServer((req, res) => serveStatic(webDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  let origin = '';

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const ok = url.pathname === '/ipc' && given.length === token.length && timingSafeEqual(given, Buffer.from(token)) && (!req.headers.origin || req.headers.origin === origin);
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;

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

function attach(ws: WebSocket, core: CutoverCore): void {
  const unsubscribe = core.onEvent((name, payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', name, payload }));
  });
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    let message: { type?: unknown; id?: unknown; name?: unknown; payload?: unknown };
    try {
      message = JSON.parse(String(data));
    } catch {
      return ws.close(1003, 'Not JSON');
    }
    if (message.type !== 'call' || typeof message.id !== 'number' || typeof message.name !== 'string') return ws.close(1003, 'Not a call');
    const outcome = await core.dispatchFromWindow(message.name, message.payload);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: message.id, outcome }));
  });
}

function serveStatic(webDir: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
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
