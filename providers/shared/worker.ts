/**
 * Starts a provider's worker thread. Heavy work (BSON, parsing, driver I/O) runs there so the main
 * event loop stays responsive. Works from TypeScript sources (tests, CLI, harness: loaded through tsx's
 * public API, `tsx/esm/api`) and from the bundled app (electron-vite emits `<name>.js` beside the main
 * bundle), which needs no tsx at all.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Finds `<name>.js` (bundled) or `<name>.ts` (sources) next to the calling module, or one folder up
 * (bundled code may live in a chunks/ folder beside the entries).
 */
export function resolveWorkerModule(callerUrl: string, name: string): URL {
  const dir = path.dirname(fileURLToPath(callerUrl));
  for (const folder of [dir, path.dirname(dir)]) {
    for (const candidate of [`${name}.js`, `${name}.mjs`, `${name}.ts`]) {
      const file = path.join(folder, candidate);
      if (existsSync(file)) return pathToFileURL(file);
    }
  }
  throw new Error(`Worker module ${name} not found beside ${dir}.`);
}

/**
 * A worker's young generation is capped (V8 lets it grow to tens of MB): jobs stream batch by batch, so
 * little of what they allocate lives long. Issue 14, peak RSS of 200k-document jobs: a 12 MB cap kept
 * an import 15-30 MB lower than V8's default; once the jobs stopped making a buffer per document read or
 * encoded (bson-file.ts, bson-arenas.ts), 6 MB took another 10-20 MB off (restore 138 -> 121 MB,
 * CSV import 177 -> 154 MB) at the same CPU.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 6 };

export function spawnWorker(moduleUrl: URL, workerData: unknown): Worker {
  const resourceLimits = WORKER_LIMITS;
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData, resourceLimits });
  // A data: module cannot resolve a package name itself: resolve tsx's public entry here (its exports map).
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(moduleUrl.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, resourceLimits });
}
