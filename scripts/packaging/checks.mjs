/**
 * The checks `npm run package:check` makes on a Linux build (the `linux-unpacked` folder, the channel
 * file and what the recording fpm was given): what app.asar holds and must not hold, what is unpacked,
 * the auto-update files, the .desktop entry and the MIME XML, and the fuse and signing settings as data.
 * Each check returns a line; `checkPackage` gathers them so every problem is named at once.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const yaml = require('js-yaml');

/** Names of the installed packages production code can reach: dependencies, recursively (optional ones too). */
export function productionPackages(projectDir) {
  const names = new Set();
  const seen = new Set();
  const visit = (fromDir, pkg) => {
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies };
    for (const name of Object.keys(deps)) {
      // Node's resolution: the nearest node_modules/<name> going up from the requiring package.
      let dir = fromDir;
      let found;
      for (;;) {
        const candidate = path.join(dir, 'node_modules', name);
        if (existsSync(path.join(candidate, 'package.json'))) {
          found = candidate;
          break;
        }
        if (dir === projectDir || path.dirname(dir) === dir) break;
        dir = path.dirname(dir);
      }
      if (!found) continue;
      names.add(name);
      if (seen.has(found)) continue;
      seen.add(found);
      visit(found, JSON.parse(readFileSync(path.join(found, 'package.json'), 'utf8')));
    }
  };
  visit(projectDir, JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')));
  return names;
}

/** The package names found in an asar listing (`/node_modules/a`, `/node_modules/@s/b`, nested too). */
export function packagesInListing(entries) {
  const found = new Set();
  for (const entry of entries) {
    const match = entry.replaceAll('\\', '/').match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/);
    if (match) found.add(match[1]);
  }
  return found;
}

/** What the project's own source and test files look like (none of them belongs in the app). */
const FORBIDDEN = [
  { what: 'source maps', test: (e) => /\.map$/.test(e) },
  { what: 'test files', test: (e) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(e) || /\/(__tests__|e2e)\//.test(e) },
  { what: 'test kit', test: (e) => /^\/(testkit|out\/testkit)(\/|$)/.test(e) || /^\/out\/.*testkit/.test(e) },
  {
    what: 'TypeScript sources',
    test: (e) =>
      /^\/(main|preload|renderer|providers|scripts)\//.test(e) ||
      (/\.tsx?$/.test(e) && !/\.d\.[cm]?ts$/.test(e) && !e.includes('/node_modules/')),
  },
  { what: 'browser-harness renderer build', test: (e) => /^\/out\/web\//.test(e) },
];

const sha512 = (file) => createHash('sha512').update(readFileSync(file)).digest('base64');

/**
 * @param {{ projectDir: string, releaseDir: string, recordDir: string, config: any, asarPath?: string }} options
 * @returns {{ passed: string[], failed: string[], warnings: string[] }}
 */
export function checkPackage({ projectDir, releaseDir, recordDir, config, asarPath }) {
  const passed = [];
  const failed = [];
  const warnings = [];
  const check = (ok, message, detail) =>
    ok ? passed.push(message) : failed.push(detail ? `${message}: ${detail}` : message);
  const pkg = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8'));
  const unpackedDir = path.join(releaseDir, 'linux-unpacked');
  const resources = path.join(unpackedDir, 'resources');
  const archive = asarPath ?? path.join(resources, 'app.asar');

  // --- app.asar
  if (!existsSync(archive)) {
    failed.push(`app.asar: missing (${archive})`);
    return { passed, failed, warnings };
  }
  const entries = asar.listPackage(archive, { isPack: false }).map((e) => e.replaceAll('\\', '/'));
  const has = (entry) => entries.includes(entry);
  const main = `/${pkg.main}`;
  check(has(main), `app.asar holds package.json's main (${pkg.main})`, 'missing');
  check(has('/package.json'), 'app.asar holds package.json', 'missing');
  for (const worker of ['out/main/copy-worker.js', 'out/main/files-worker.js']) {
    check(has(`/${worker}`), `app.asar holds the worker ${worker} (workers load from inside the asar)`, 'missing');
  }
  const production = productionPackages(projectDir);
  const inAsar = packagesInListing(entries);
  const missingDeps = Object.keys(pkg.dependencies ?? {}).filter((name) => !inAsar.has(name));
  check(
    missingDeps.length === 0,
    `app.asar holds the ${Object.keys(pkg.dependencies ?? {}).length} production dependencies`,
    `missing ${missingDeps.join(', ')}`,
  );
  const unshipped = [...production].filter((name) => !inAsar.has(name)).sort();
  check(
    unshipped.length === 0,
    `app.asar holds all ${production.size} packages the production dependencies need`,
    `missing ${unshipped.join(', ')}`,
  );
  const devOnly = [...inAsar].filter((name) => !production.has(name)).sort();
  check(
    devOnly.length === 0,
    'app.asar holds no package outside the production dependency tree',
    `dev dependencies packaged: ${devOnly.join(', ')}`,
  );
  const devDirect = Object.keys(pkg.devDependencies ?? {}).filter((name) => inAsar.has(name) && !production.has(name));
  if (devDirect.length) failed.push(`app.asar holds devDependencies of package.json: ${devDirect.join(', ')}`);
  for (const { what, test } of FORBIDDEN) {
    const bad = entries.filter((e) => test(e));
    check(bad.length === 0, `app.asar holds no ${what}`, `${bad.length} found, e.g. ${bad.slice(0, 3).join(', ')}`);
  }

  // --- unpacked files: only what must be (nothing today: no native modules; workers run from the asar)
  const unpacked = path.join(resources, 'app.asar.unpacked');
  const unpackedFiles = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else unpackedFiles.push(path.relative(unpacked, path.join(dir, entry.name)));
    }
  };
  if (existsSync(unpacked)) walk(unpacked);
  const allowedUnpacked = (file) => /\.node$/.test(file);
  const needless = unpackedFiles.filter((f) => !allowedUnpacked(f));
  check(
    needless.length === 0,
    'nothing is unpacked beside app.asar but native modules',
    `${needless.length} unpacked: ${needless.slice(0, 5).join(', ')}`,
  );

  // --- auto-update: app-update.yml inside, the channel file beside the package
  const publish = [].concat(config.publish ?? [])[0];
  const appUpdatePath = path.join(resources, 'app-update.yml');
  if (!existsSync(appUpdatePath)) failed.push('resources/app-update.yml: missing (is publish configured?)');
  else {
    const appUpdate = yaml.load(readFileSync(appUpdatePath, 'utf8'));
    check(
      appUpdate.provider === 'generic' && appUpdate.url === publish?.url,
      `app-update.yml names the generic server ${publish?.url}`,
      JSON.stringify(appUpdate),
    );
    check(
      typeof appUpdate.updaterCacheDirName === 'string' && appUpdate.updaterCacheDirName.length > 0,
      'app-update.yml has an updater cache folder name',
      JSON.stringify(appUpdate),
    );
  }
  const packageType = path.join(resources, 'package-type');
  check(
    existsSync(packageType) && readFileSync(packageType, 'utf8').trim() === 'deb',
    'resources/package-type says deb (the updater tells a .deb install apart)',
    existsSync(packageType) ? readFileSync(packageType, 'utf8') : 'missing',
  );

  const channelFile = path.join(releaseDir, 'latest-linux.yml');
  if (!existsSync(channelFile)) failed.push('latest-linux.yml: missing');
  else {
    const channel = yaml.load(readFileSync(channelFile, 'utf8'));
    check(channel.version === pkg.version, `latest-linux.yml has version ${pkg.version}`, `it says ${channel.version}`);
    const files = Array.isArray(channel.files) ? channel.files : [];
    check(files.length > 0, 'latest-linux.yml lists files', 'none');
    for (const file of files) {
      const artefact = path.join(releaseDir, file.url ?? '');
      if (!file.url || !existsSync(artefact)) {
        failed.push(`latest-linux.yml: ${file.url} does not exist beside it`);
        continue;
      }
      check(
        file.sha512 === sha512(artefact),
        `latest-linux.yml: ${file.url} has the right sha512`,
        `${file.sha512} is not the file's`,
      );
      check(
        file.size === statSync(artefact).size,
        `latest-linux.yml: ${file.url} has the right size`,
        `${file.size} is not ${statSync(artefact).size}`,
      );
    }
  }

  // --- the .desktop entry and the MIME XML the package installs
  const shared = path.join(recordDir, 'files', 'usr', 'share');
  const desktopDir = path.join(shared, 'applications');
  const desktopFiles = existsSync(desktopDir) ? readdirSync(desktopDir).filter((f) => f.endsWith('.desktop')) : [];
  if (desktopFiles.length !== 1) failed.push(`the package installs ${desktopFiles.length} .desktop files, not one`);
  else {
    const desktop = path.join(desktopDir, desktopFiles[0]);
    const text = readFileSync(desktop, 'utf8');
    const validate = spawnSync('desktop-file-validate', [desktop], { encoding: 'utf8' });
    if (validate.error)
      failed.push(
        `desktop-file-validate could not run (${validate.error.message}): install the Debian package desktop-file-utils`,
      );
    else
      check(
        validate.status === 0 && !validate.stdout.trim(),
        `${desktopFiles[0]} passes desktop-file-validate`,
        (validate.stdout + validate.stderr).trim(),
      );
    const mimeLines = text.split('\n').filter((line) => line.startsWith('MimeType='));
    check(
      mimeLines.length === 1 && mimeLines[0] === 'MimeType=application/x-cutover;',
      `${desktopFiles[0]} has the single line MimeType=application/x-cutover;`,
      mimeLines.join(' | ') || 'no MimeType line',
    );
    check(/^Exec=.* %U$/m.test(text), `${desktopFiles[0]} passes %U to Cutover`, text.match(/^Exec=.*$/m)?.[0]);
  }
  const mimeDir = path.join(shared, 'mime', 'packages');
  const mimeFiles = existsSync(mimeDir) ? readdirSync(mimeDir).filter((f) => f.endsWith('.xml')) : [];
  if (mimeFiles.length !== 1) failed.push(`the package installs ${mimeFiles.length} MIME XML files, not one`);
  else {
    const xml = readFileSync(path.join(mimeDir, mimeFiles[0]), 'utf8');
    const type = xml.match(/<mime-type\s+type="application\/x-cutover"\s*>([\s\S]*?)<\/mime-type>/);
    check(
      !!type && /<glob\s+pattern="\*\.cutover"\s*\/>/.test(type[1]),
      `${mimeFiles[0]} declares application/x-cutover with the glob *.cutover`,
      xml.trim(),
    );
  }

  // --- fuses and signing, as data (the stand-in Electron has no fuse wire to flip)
  const fuses = config.electronFuses;
  if (!fuses)
    warnings.push(
      "electronFuses is not configured in electron-builder.yml: the installed app keeps Electron's default fuses",
    );
  else {
    const wanted = {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    };
    const wrong = Object.entries(wanted)
      .filter(([key, value]) => fuses[key] !== value)
      .map(([key, value]) => `${key} should be ${value} (is ${fuses[key]})`);
    check(
      wrong.length === 0,
      'electronFuses: RunAsNode, NODE_OPTIONS and --inspect off; app only from an integrity-checked asar; cookies encrypted',
      wrong.join('; '),
    );
  }
  const mac = config.mac ?? {};
  const entitlements = mac.entitlements ? path.join(projectDir, mac.entitlements) : undefined;
  check(
    mac.hardenedRuntime === true && !!entitlements && existsSync(entitlements),
    'mac: hardened runtime with an entitlements file (signed where an identity exists)',
    `hardenedRuntime ${mac.hardenedRuntime}, entitlements ${mac.entitlements ?? 'none'}`,
  );
  const hashes = config.win?.signtoolOptions?.signingHashAlgorithms;
  check(
    Array.isArray(hashes) && hashes.length === 1 && hashes[0] === 'sha256',
    'win: signed with SHA-256 only (where a certificate is given)',
    JSON.stringify(hashes),
  );

  return { passed, failed, warnings };
}
