/**
 * For tests: builds providers as a third party would. The SDK is packed with `npm pack` (its prepack
 * compiles it with tsc); an example is copied out of the repository, given the packed SDK as its
 * `node_modules/@cutover/provider-api` (what `npm install` of the tarball puts there; offline here),
 * compiled with tsc when it has a build script, and packed with `npm pack`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract } from 'tar';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function pack(dir: string, into: string): string {
  mkdirSync(into, { recursive: true });
  const before = new Set(readdirSync(into));
  execFileSync(npm, ['pack', '--pack-destination', into, '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const made = readdirSync(into).find((f) => f.endsWith('.tgz') && !before.has(f));
  if (!made) throw new Error(`npm pack in ${dir} made no tarball`);
  return path.join(into, made);
}

let sdkTarball: string | undefined;
/** The packed SDK (built once per process). */
export function packSdk(): string {
  sdkTarball ??= pack(path.join(repoRoot, 'providers', 'api'), mkdtempSync(path.join(os.tmpdir(), 'cutover-sdk-')));
  return sdkTarball;
}

/** Builds and packs providers/examples/<name> against the packed SDK; returns the tarball. */
export async function packExample(name: string): Promise<string> {
  const work = mkdtempSync(path.join(os.tmpdir(), `cutover-example-${name}-`));
  const source = path.join(repoRoot, 'providers', 'examples', name);
  cpSync(source, work, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
  const modules = path.join(work, 'node_modules');
  const sdk = path.join(modules, '@cutover', 'provider-api');
  mkdirSync(sdk, { recursive: true });
  await extract({ file: packSdk(), cwd: sdk, strip: 1 });
  // What a developer's `npm install -D @types/node mongodb` provides (types only: Cutover provides the driver at run time).
  for (const dep of ['@types', 'mongodb', 'bson', 'mongodb-connection-string-url']) {
    const target = path.join(repoRoot, 'node_modules', dep);
    if (existsSync(target) && !existsSync(path.join(modules, dep))) symlinkSync(target, path.join(modules, dep), 'dir');
  }
  const pkg = JSON.parse(readFileSync(path.join(work, 'package.json'), 'utf8')) as { scripts?: { build?: string } };
  if (pkg.scripts?.build)
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(work, 'tsconfig.json')],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  return pack(work, path.join(work, '..', `${path.basename(work)}-packed`));
}
