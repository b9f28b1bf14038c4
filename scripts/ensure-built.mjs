/**
 * Tests that exercise the built app (out/) call ensureBuilt() first: it runs `electron-vite build` once,
 * under a lock folder so two test files starting together do not build into out/ at the same time.
 * `npm test` builds before the unit tests and sets CUTOVER_BUILT=1, which skips this.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function ensureBuilt() {
  if (process.env.CUTOVER_BUILT === '1') return;
  const lock = path.join(root, '.build-lock');
  const stamp = path.join(root, 'out', '.built-at');
  const asked = Date.now();
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (waited > 180_000) throw new Error(`${lock} has been held for 3 minutes: remove it if no build is running.`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    // Another test built while this one waited: that build is as fresh as the sources.
    try {
      if (statSync(stamp).mtimeMs >= asked) return;
    } catch {
      // No stamp yet: nothing was built, so build.
    }
    const built = spawnSync(
      process.platform === 'win32' ? 'npx.cmd' : 'npx',
      ['electron-vite', 'build', '--logLevel', 'warn'],
      { cwd: root, encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}${built.stderr}`);
    mkdirSync(path.dirname(stamp), { recursive: true });
    spawnSync('touch', [stamp]);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
