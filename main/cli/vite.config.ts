/**
 * The command line as a built bundle: `npm run build:cli` writes out/cli/index.js and the worker
 * entries beside it (workers.config.ts), so `node out/cli/index.js …` runs without tsx,
 * as a shipped app would (DESIGN.md, "The installed app's command line"). Dependencies stay external:
 * they are loaded from node_modules at run time.
 */
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { WORKER_ENTRIES } from '../../workers.config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node20',
    outDir: resolve(root, 'out', 'cli'),
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    rollupOptions: {
      input: {
        index: resolve(root, 'main/cli/index.ts'),
        // Worker threads are found beside the module that starts them (providers/shared/worker.ts).
        ...Object.fromEntries(Object.entries(WORKER_ENTRIES).map(([name, file]) => [name, resolve(root, file)])),
      },
      external,
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
