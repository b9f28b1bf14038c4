/**
 * Builds what the specs drive, so they always test the current source:
 * - browser mode: the renderer for the harness (out/web);
 * - Electron mode: expects `npm run build` (electron-vite) to have produced out/main/index.js.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function globalSetup(): Promise<void> {
  mkdirSync(path.join(root, 'e2e', 'screenshots'), { recursive: true });
  if (process.env.CUTOVER_E2E_ELECTRON === '1') {
    if (
      !existsSync(path.join(root, 'out', 'main', 'index.js')) &&
      existsSync(path.join(root, 'node_modules', 'electron', 'dist'))
    ) {
      throw new Error('Electron mode needs the built app: run "npm run build" first (out/main/index.js is missing).');
    }
    return;
  }
  if (process.env.CUTOVER_E2E_SKIP_BUILD === '1' && existsSync(path.join(root, 'out', 'web', 'index.html'))) return;
  await build({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}
