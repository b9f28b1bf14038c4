#!/usr/bin/env node
/**
 * A stand-in for fpm (electron-builder's .deb builder, given by CUSTOM_FPM_PATH) that records what it was
 * asked to package instead of packaging it: its arguments, and a copy of every file mapped into the
 * system (`src=/usr/share/...`: the .desktop entry, the MIME XML, icons) and of the install scripts, in
 * $CUTOVER_FPM_RECORD. It writes a small stand-in package where the .deb would go, so electron-builder
 * goes on to hash it into latest-linux.yml.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const record = process.env.CUTOVER_FPM_RECORD;
if (!record) {
  console.error('recording-fpm: CUTOVER_FPM_RECORD is not set');
  process.exit(2);
}
mkdirSync(path.join(record, 'files'), { recursive: true });

const valueOf = (flag) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const packagePath = valueOf('--package');
if (!packagePath) {
  console.error('recording-fpm: no --package given');
  process.exit(2);
}

const mappings = args
  .filter((arg) => /^\/.+=\/.+/.test(arg))
  .map((arg) => {
    const at = arg.indexOf('=');
    return { source: arg.slice(0, at), target: arg.slice(at + 1) };
  });
for (const { source, target } of mappings) {
  if (statSync(source).isFile()) {
    const copy = path.join(record, 'files', target);
    mkdirSync(path.dirname(copy), { recursive: true });
    copyFileSync(source, copy);
  }
}
for (const flag of ['--after-install', '--after-remove']) {
  const script = valueOf(flag);
  if (script) copyFileSync(script, path.join(record, flag.slice(2)));
}

/** Every file of the app folder, relative, with its size: the stand-in package's content. */
const listing = [];
for (const { source, target } of mappings) {
  if (!statSync(source).isDirectory()) continue;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else listing.push(`${path.join(target, path.relative(source, full))} ${statSync(full).size}`);
    }
  };
  walk(source);
}
writeFileSync(path.join(record, 'fpm.json'), JSON.stringify({ args, mappings }, null, 2));
mkdirSync(path.dirname(packagePath), { recursive: true });
writeFileSync(packagePath, `stand-in package recorded by recording-fpm\n${listing.sort().join('\n')}\n`);
