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
const YOUNG_GENERATION_MB = 6;

/**
 * How a job's heap is used. `short-lived`: what it allocates dies within a batch or two (parsed text,
 * documents on their way to a file or another server). V8 lets an old generation grow to about four
 * times what survived its last full collection when the heap's limit is large, so such a job's old
 * generation was mostly garbage (40 MB beside 13 MB live in a 200k-row CSV import); a limit of 1 GB makes
 * V8 collect it as it goes (issue 14, peak RSS: CSV import 152 -> 131 MB, export 155 -> 118) at little
 * CPU. `default`: V8's own limits, for jobs where collecting sooner cost more than it saved: a restore of
 * .bson files (+0.5 s of 1.3 s CPU, no memory saved) and a copy (160 -> 133 MB but +0.8-1.4 s of 1.8 s).
 * A job that needs more than 1 GB of live heap is not one of these.
 */
export type HeapUse = 'default' | 'short-lived';
const SHORT_LIVED_OLD_GENERATION_MB = 1024;

export function spawnWorker(moduleUrl: URL, workerData: unknown, heap: HeapUse = 'default'): Worker {
  const resourceLimits = {
    maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    ...(heap === 'short-lived' ? { maxOldGenerationSizeMb: SHORT_LIVED_OLD_GENERATION_MB } : {}),
  };
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData, resourceLimits });
  // A data: module cannot resolve a package name itself: resolve tsx's public entry here (its exports map).
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(moduleUrl.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, resourceLimits });
}
