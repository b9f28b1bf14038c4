/**
 * `npm run package:check` end to end: the Linux package built with the stand-in Electron and the recording
 * fpm passes every check; the same checks fail on an app.asar with a planted dev dependency, test file
 * and source map, and on a .desktop entry that lists its MIME type twice (the old configuration).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { checkPackage } from './packaging/checks.mjs';
// @ts-expect-error plain JavaScript module without types
import { ensureBuilt } from './ensure-built.mjs';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  extractAll(archive: string, dest: string): void;
  createPackage(src: string, dest: string): Promise<unknown>;
};
const yaml = require('js-yaml') as { load(text: string): unknown };

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'release', `package-check-test-${process.pid}`);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'cutover-package-check-'));
let run: { status: number | null; output: string };

type Result = { passed: string[]; failed: string[]; warnings: string[] };
const checkWith = (overrides: { asarPath?: string; recordDir?: string }): Result =>
  checkPackage({
    projectDir: root,
    releaseDir: path.join(out, 'release'),
    recordDir: overrides.recordDir ?? path.join(out, 'fpm-record'),
    config: yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')),
    asarPath: overrides.asarPath,
  });

beforeAll(async () => {
  // `npm test` builds once before the unit tests; alone, this test builds what it packages.
  await ensureBuilt();
  const args = ['scripts/package-check.mjs', '--out', path.relative(root, out), '--skip-build'];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  run = { status: result.status, output: `${result.stdout}${result.stderr}` };
}, 240_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm run package:check', () => {
  it('builds the Linux package with the stand-in Electron and every check passes', () => {
    expect(run.output).toContain('stand-in Electron 45.4.1, recording fpm, no fuse flipping');
    expect(run.output).toMatch(/ok +app\.asar holds no package outside the production dependency tree/);
    expect(run.output).toMatch(/ok +cutover\.desktop passes desktop-file-validate/);
    expect(run.output).toMatch(/ok +latest-linux\.yml: cutover_[\d.]+_amd64\.deb has the right sha512/);
    expect(run.output).not.toContain('FAIL');
    expect(run.status, run.output.slice(-3000)).toBe(0);
  });

  it('fails on a dev dependency, a test file and a source map planted in app.asar', async () => {
    const original = path.join(out, 'release', 'linux-unpacked', 'resources', 'app.asar');
    expect(checkWith({ asarPath: original }).failed).toEqual([]);

    const tree = path.join(scratch, 'app');
    asar.extractAll(original, tree);
    mkdirSync(path.join(tree, 'node_modules', 'vitest'), { recursive: true });
    writeFileSync(
      path.join(tree, 'node_modules', 'vitest', 'package.json'),
      JSON.stringify({ name: 'vitest', version: '4.1.12' }),
    );
    writeFileSync(path.join(tree, 'out', 'main', 'index.test.js'), 'export {};\n');
    writeFileSync(path.join(tree, 'out', 'main', 'index.js.map'), '{}');
    const planted = path.join(scratch, 'planted.asar');
    await asar.createPackage(tree, planted);

    const { failed } = checkWith({ asarPath: planted });
    expect(failed.some((line) => /dev dependencies packaged: vitest/.test(line))).toBe(true);
    expect(failed.some((line) => /devDependencies of package\.json: vitest/.test(line))).toBe(true);
    expect(failed.some((line) => /no test files: 1 found, e\.g\. \/out\/main\/index\.test\.js/.test(line))).toBe(true);
    expect(failed.some((line) => /no source maps: 1 found/.test(line))).toBe(true);
  });

  it('fails on a .desktop entry with the MIME type listed twice', () => {
    const record = path.join(scratch, 'record');
    cpSync(path.join(out, 'fpm-record'), record, { recursive: true });
    const desktop = path.join(record, 'files', 'usr', 'share', 'applications', 'cutover.desktop');
    writeFileSync(
      desktop,
      readFileSync(desktop, 'utf8').replace(
        'MimeType=application/x-cutover;',
        'MimeType=application/x-cutover;application/x-cutover;',
      ),
    );
    const { failed } = checkWith({ recordDir: record });
    expect(failed.some((line) => line.includes('single line MimeType=application/x-cutover;'))).toBe(true);
  });
});
