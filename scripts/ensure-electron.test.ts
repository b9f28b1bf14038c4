/**
 * `npm start` on a fresh clone without Electron's binary: the prestart runs Electron's own installer
 * under a time limit and, when the download fails or hangs, prints one sentence that offers the browser
 * harness, never electron-vite's "Electron uninstall" or a stack trace.
 * Skipped where the binary is installed (there `npm start` opens the window, which needs a display).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = path.join(root, 'node_modules', 'electron');
const installed = (() => {
  try {
    return existsSync(path.join(electronDir, 'dist', readFileSync(path.join(electronDir, 'path.txt'), 'utf8')));
  } catch {
    return false;
  }
})();

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

// An empty download cache, so a zip cached elsewhere on the machine cannot make the download succeed.
const cache = mkdtempSync(path.join(os.tmpdir(), 'cutover-electron-cache-'));
const sentence =
  /Cutover's window needs Electron's binary, which could not be downloaded \(.+\): run `npm run dev:web` to use Cutover in your browser instead\./;

let silent: net.Server | undefined;
afterAll(() => silent?.close());

describe.skipIf(installed)('npm start without Electron binary', () => {
  it('a refused download ends with one sentence offering the browser harness', async () => {
    const { code, output } = await run('npm', ['start'], {
      ELECTRON_MIRROR: 'http://127.0.0.1:1/',
      electron_config_cache: cache,
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(sentence);
    expect(output).toContain('the download server could not be reached');
    expect(output).not.toContain('Electron uninstall');
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('a download that hangs is stopped at the time limit and says so', async () => {
    // A server that accepts connections and never answers: the downloader would wait for ever.
    const sockets: net.Socket[] = [];
    silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as net.AddressInfo;
    const { code, output } = await run(process.execPath, ['scripts/ensure-electron.mjs'], {
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      electron_config_cache: cache,
      CUTOVER_ELECTRON_DOWNLOAD_TIMEOUT: '2',
    });
    sockets.forEach((socket) => socket.destroy());
    expect(code).toBe(1);
    expect(output).toMatch(sentence);
    expect(output).toContain('no download finished within 2 s');
  }, 60_000);
});
