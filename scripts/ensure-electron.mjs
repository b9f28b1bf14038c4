#!/usr/bin/env node
/**
 * `npm start`'s prestart: makes sure Electron's binary is there before electron-vite looks for it.
 *
 * Electron 45 no longer downloads its binary when it is installed (no postinstall); electron-vite reads
 * `node_modules/electron/path.txt` without fetching it, so a fresh clone ends with "Electron uninstall".
 * This runs Electron's own installer (`node_modules/electron/install.js`, which downloads, checks the
 * checksum and unpacks) under a time limit, since an offline download can hang. When the binary cannot be
 * had, it says so in one sentence and points to the browser harness, instead of a stack trace.
 *
 * Environment: CUTOVER_ELECTRON_DOWNLOAD_TIMEOUT (seconds, default 300); Electron's own variables
 * (ELECTRON_MIRROR, electron_config_cache, ELECTRON_OVERRIDE_DIST_PATH…) pass through to its installer.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const FALLBACK = 'run `npm run dev:web` to use Cutover in your browser instead';

/** The folder of the installed `electron` package, or undefined. */
function electronPackageDir() {
  try {
    return path.dirname(createRequire(path.join(process.cwd(), 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** Whether the binary of this package's version is unpacked where `require('electron')` will look. */
export function isElectronInstalled(dir) {
  try {
    const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    const executable = readFileSync(path.join(dir, 'path.txt'), 'utf8');
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH)
      return existsSync(path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable));
    if (
      readFileSync(path.join(dir, 'dist', 'version'), 'utf8')
        .replace(/^v/, '')
        .trim() !== version
    )
      return false;
    return existsSync(path.join(dir, 'dist', executable));
  } catch {
    return false;
  }
}

/** The most telling line of the installer's error output (its first error line, without the stack). */
export function reasonFrom(output) {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  const cause = lines.find((line) =>
    /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET|certificate|checksum|HTTPError|status code/i.test(line),
  );
  const line = cause ?? lines.find((l) => /error/i.test(l)) ?? lines[0];
  if (!line) return undefined;
  const text = line.replace(/^(Type)?Error:\s*/, '').slice(0, 200);
  return text === 'fetch failed' ? 'the download server could not be reached' : text;
}

function nodeTooOld() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major < 22 || (major === 22 && minor < 12);
}

function fail(reason) {
  const why = [
    reason,
    nodeTooOld()
      ? `Electron's downloader expects Node 22.12 or later, this is Node ${process.versions.node}`
      : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  console.error(
    `Cutover's window needs Electron's binary, which could not be downloaded${why ? ` (${why})` : ''}: ${FALLBACK}.`,
  );
  process.exit(1);
}

async function main() {
  const dir = electronPackageDir();
  if (!dir) fail('the electron package is not installed; run `npm ci` first');
  if (isElectronInstalled(dir)) return;
  const installer = path.join(dir, 'install.js');
  if (!existsSync(installer)) fail(`${installer} is missing`);

  const limitSeconds = Number(process.env.CUTOVER_ELECTRON_DOWNLOAD_TIMEOUT ?? 300);
  const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  console.log(`Downloading Electron ${version} for Cutover's window (once; at most ${limitSeconds} s)…`);
  const child = spawn(process.execPath, [installer], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: process.env,
  });
  let errors = '';
  child.stderr.on('data', (chunk) => {
    if (errors.length < 64_000) errors += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, limitSeconds * 1000);
  const code = await new Promise((resolve) => child.on('close', (status) => resolve(status)));
  clearTimeout(timer);
  if (timedOut) fail(`no download finished within ${limitSeconds} s`);
  if (code !== 0 || !isElectronInstalled(dir)) fail(reasonFrom(errors) ?? `its installer exited with code ${code}`);
}

await main();
