/**
 * The command line as a built bundle: `npm run build:cli` writes out/cli/index.js and the worker
 * entries beside it (workers.config.ts), so `node out/cli/index.js …` runs without tsx,
 * as a shipped app would (DESIGN.md, "The installed app's command line"). Dependencies are bundled too
 * (ssr.noExternal): loading the driver from one module instead of some 300 files in node_modules is
 * most of the start-up of a short job, in the main thread and again in each worker (issue 14). Optional
 * dependencies that are not installed (kerberos, snappy, pg-native…) become modules that throw when
 * loaded, which is how their packages find out they are absent.
 */
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { WORKER_ENTRIES } from '../../workers.config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lazySaslprep = resolve(root, 'main/cli/saslprep-lazy.cjs');
/**
 * The driver requires bson's CommonJS build; an `import … from 'bson'` would get its ES build, a second
 * copy of the same library in every thread (its code, its Long WebAssembly module). Ours take the driver's.
 */
const bsonCjs = createRequire(import.meta.url).resolve('bson');
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig({
  root,
  logLevel: 'warn',
  ssr: { noExternal: true },
  resolve: { alias: [{ find: /^bson$/, replacement: bsonCjs }] },
  plugins: [
    {
      // The driver's saslprep is loaded on its first use (./saslprep-lazy.cjs), not with the driver.
      name: 'cutover-lazy-saslprep',
      enforce: 'pre',
      resolveId: (source, importer) =>
        source === '@mongodb-js/saslprep' && importer !== lazySaslprep ? lazySaslprep : null,
    },
  ],
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
