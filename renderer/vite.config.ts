/**
 * Browser-harness build of the renderer: `vite build --config renderer/vite.config.ts`.
 * Output goes to <repo>/out/web, which the harness server serves next to its /ipc WebSocket.
 * (Electron's build uses the root electron.vite.config.ts with the same root and index.html.)
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { devCsp, harnessCsp } from './dev-csp';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), devCsp(), harnessCsp()],
  build: {
    outDir: resolve(here, '..', 'out', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // No inline data: scripts or modulepreload polyfill injected into the HTML: the CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
