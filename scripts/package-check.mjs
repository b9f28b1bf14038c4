#!/usr/bin/env node
/**
 * `npm run package:check`: builds Cutover's Linux package as far as this machine can without Electron's
 * binary, then checks what it holds (scripts/packaging/checks.mjs).
 *
 * electron-builder runs with electron-builder.yml plus three changes: a stand-in `electronDist` (a folder
 * with a placeholder `electron` executable, the real Electron version string and no .asar), fuse flipping
 * off (the stand-in has no fuse wire; the fuse settings are checked as data), and the output folder. The
 * deb target runs with CUSTOM_FPM_PATH set to a recording fpm, so the `--dir` output (linux-unpacked),
 * the deb metadata (.desktop entry, MIME XML, scripts) and latest-linux.yml are all produced and checked.
 *
 * Where node_modules is a symlink to a shared install (as on the build machines), npm reads every package
 * as a link and electron-builder's dependency collector then misses the transitive dependencies; the
 * build then runs in a staged copy of the project (its files, out/ and a hard-linked node_modules), laid
 * out as a fresh clone is.
 *
 * Options: --out DIR (default release/package-check), --skip-build (use the existing out/).
 * Exit code 0 when every check passes, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage } from './packaging/checks.mjs';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const outDir = path.resolve(projectDir, option('--out') ?? 'release/package-check');
const releaseDir = path.join(outDir, 'release');
const recordDir = path.join(outDir, 'fpm-record');
const standIn = path.join(outDir, 'electron-stand-in');

if (!argv.includes('--skip-build')) {
  console.log('== npm run build');
  const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], {
    cwd: projectDir,
    stdio: 'inherit',
  });
  if (built.status !== 0) {
    console.error('package:check: npm run build failed');
    process.exit(1);
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(path.join(standIn, 'resources'), { recursive: true });
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
// The stand-in Electron: what electron-builder copies and renames, with no binary behind it.
writeFileSync(
  path.join(standIn, 'electron'),
  '#!/bin/sh\necho "stand-in for Electron: this package was built by npm run package:check and cannot run" >&2\nexit 1\n',
);
chmodSync(path.join(standIn, 'electron'), 0o755);
writeFileSync(path.join(standIn, 'version'), electronVersion);
writeFileSync(path.join(standIn, 'LICENSE'), 'Stand-in for Electron in npm run package:check.\n');

const fpm = path.join(projectDir, 'scripts', 'packaging', 'recording-fpm.mjs');
chmodSync(fpm, 0o755);
process.env.CUSTOM_FPM_PATH = fpm;
process.env.CUTOVER_FPM_RECORD = recordDir;

/** The folder electron-builder packages: the project itself, or a staged copy when node_modules is a link. */
function buildDir() {
  const modules = path.join(projectDir, 'node_modules');
  if (!lstatSync(modules).isSymbolicLink()) return projectDir;
  const stage = path.join(outDir, 'project');
  mkdirSync(stage, { recursive: true });
  for (const item of ['package.json', 'package-lock.json', 'electron-builder.yml', 'build', 'out']) {
    if (existsSync(path.join(projectDir, item)))
      cpSync(path.join(projectDir, item), path.join(stage, item), { recursive: true });
  }
  const linked = spawnSync('cp', ['-al', realpathSync(modules), path.join(stage, 'node_modules')], {
    stdio: 'inherit',
  });
  if (linked.status !== 0) cpSync(realpathSync(modules), path.join(stage, 'node_modules'), { recursive: true });
  console.log(
    `== node_modules is a link to a shared install: packaging a staged copy in ${path.relative(projectDir, stage)}`,
  );
  return stage;
}
const packagedDir = buildDir();

const builder = require('electron-builder');
const yaml = require('js-yaml');
const config = yaml.load(readFileSync(path.join(projectDir, 'electron-builder.yml'), 'utf8'));
console.log(`== electron-builder --linux deb (stand-in Electron ${electronVersion}, recording fpm, no fuse flipping)`);
try {
  await builder.build({
    projectDir: packagedDir,
    targets: builder.Platform.LINUX.createTarget(['deb'], builder.Arch.x64),
    publish: 'never',
    config: {
      electronDist: standIn,
      electronVersion,
      electronFuses: null,
      directories: { output: releaseDir },
    },
  });
} catch (error) {
  console.error(`package:check: electron-builder failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const { passed, failed, warnings } = checkPackage({ projectDir, releaseDir, recordDir, config });
console.log('\n== package:check');
passed.forEach((line) => console.log(`  ok    ${line}`));
warnings.forEach((line) => console.log(`  note  ${line}`));
failed.forEach((line) => console.log(`  FAIL  ${line}`));
console.log(`\n${passed.length} passed, ${failed.length} failed (output in ${path.relative(projectDir, outDir)})`);
process.exit(failed.length ? 1 : 0);
