/**
 * Benchmark (not a test) of the MongoDB copy engine:
 *
 *   npm run bench:copy -- --docs 200000 [--json] [--load low|normal|high] [--doc-bytes 1024]
 *                         [--timeout-ms N] [--batch-docs N] [--partition-docs N]
 *                         [--conflict drop|overwrite|skip] [--verify none|sample|full]
 *
 *  1. starts two test servers (source, target) as child processes, so their memory is not ours;
 *  2. seeds the source with N documents of ~doc-bytes of mixed BSON types (not timed);
 *  3. engine: startCopyJob (worker thread) into `bench_engine`, timed, while this process's
 *     event-loop delay and RSS (main thread + worker) are sampled. It runs before the baseline so
 *     that the baseline's garbage is not counted in the engine's peak RSS;
 *  4. baseline: a naive single-stream copy in this process (find cursor -> insertMany of 1000) into
 *     `bench_naive`, timed;
 *  5. checks that both targets hold N documents;
 *  6. prints one JSON object on stdout; without --json also a table on stderr (phases, CPU seconds of
 *     this process and of each server, load average: the machine may be shared).
 *
 * Exits non-zero when a check fails (the JSON is printed anyway). --timeout-ms, --batch-docs and
 * --partition-docs are passed to the engine (CopyRequest.timeoutMs, batchDocs, partitionDocs; its
 * defaults when absent). The table also shows the main event loop's delay while idle just before the
 * engine starts: a control for a machine that other processes keep busy.
 *
 * Its command line is in ./args.ts, what it measures and prints in ./report.ts.
 *
 * Profiling: `BENCH_CPU_PROF=/tmp/prof node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx <this file> --docs N`
 * writes one .cpuprofile per thread (bench main thread, copy worker, both servers).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BSON, MongoClient, type Collection, type Document } from 'mongodb';
import { DocumentFactory } from '../lib/documents';
import { killChildrenNow, startServerProcess, type ServerProcess } from '../lib/servers';
import { startCopyJob } from '../../providers/mongo-copy/run-job';
import type { CopyOutcome, CopyRequest } from '../../providers/mongo-copy/plan';
import { parseArgs, type BenchOptions } from './args';
import { buildResult, cpuNow, cpuSince, printTable, thousands, type EngineRun, type Measurements } from './report';

const BATCH = 1_000;
const RSS_SAMPLE_MS = 50;
const IDLE_CONTROL_MS = 2_000;
const SOURCE = { db: 'bench_source', coll: 'docs' } as const;
const NAIVE_DB = 'bench_naive';
const ENGINE_DB = 'bench_engine';

// --------------------------------------------------------------------------------------- documents

/** Inserts `docs` documents in batches of 1000; returns their total BSON size. */
async function seed(collection: Collection, docs: number, docBytes: number): Promise<number> {
  const factory = new DocumentFactory(docBytes);
  let bytes = 0;
  for (let done = 0; done < docs; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, docs - done) }, (_, k) => factory.make(done + k));
    for (const doc of batch) bytes += BSON.calculateObjectSize(doc);
    await collection.insertMany(batch, { ordered: true });
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------- the runs

/** The naive copy: one cursor, one insertMany of 1000 at a time, in this process. Returns seconds. */
async function naiveCopy(source: Collection, target: Collection): Promise<number> {
  const started = performance.now();
  let batch: Document[] = [];
  for await (const doc of source.find({})) {
    batch.push(doc);
    if (batch.length === BATCH) {
      await target.insertMany(batch, { ordered: false });
      batch = [];
    }
  }
  if (batch.length > 0) await target.insertMany(batch, { ordered: false });
  return (performance.now() - started) / 1000;
}

/** Samples this process's RSS (main thread and worker threads alike) and keeps the peak. */
function sampleRss(): { peak(): number; stop(): void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

/** Times the engine's phases as its events report them. */
function phaseClock(): { enter(name: string): void; end(): Array<[string, number]> } {
  const phases: Array<[string, number]> = [];
  let current = 'start';
  let since = performance.now();
  const close = () => {
    const now = performance.now();
    phases.push([current, (now - since) / 1000]);
    since = now;
  };
  return {
    enter: (name) => {
      close();
      current = name;
    },
    end: () => {
      close();
      return phases;
    },
  };
}

/** The main event loop's p99 delay (ms) while this process does nothing: what the machine alone costs. */
async function idleEventLoopP99(): Promise<number> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  await new Promise((resolve) => setTimeout(resolve, IDLE_CONTROL_MS));
  loop.disable();
  return loop.percentile(99) / 1e6;
}

/** The engine's copy in its worker thread, timed from the worker's start to its outcome. Warnings go to stderr as they come. */
async function engineCopy(request: CopyRequest, signal: AbortSignal): Promise<EngineRun> {
  let warnings = 0;
  const warn = (message: string) => {
    warnings++;
    process.stderr.write(`engine warning: ${message}\n`);
  };
  const phases = phaseClock();
  const rssBeforeBytes = process.memoryUsage.rss();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const rss = sampleRss();
  loop.enable();
  const started = performance.now();
  try {
    const handle = startCopyJob(request, { phase: phases.enter, namespace: () => undefined, warn }, signal);
    const outcome = await handle.done;
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds,
      outcome,
      peakRssBytes: rss.peak(),
      rssBeforeBytes,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      eventLoopMaxMs: loop.max / 1e6,
      phases: phases.end(),
      warnings,
    };
  } finally {
    loop.disable();
    rss.stop();
  }
}

function copyRequest(sourceUri: string, targetUri: string, options: BenchOptions): CopyRequest {
  return {
    jobKey: `bench-copy-${Date.now()}`,
    sourceUri,
    targetUri,
    namespaces: [
      {
        sourceDb: SOURCE.db,
        sourceColl: SOURCE.coll,
        targetDb: ENGINE_DB,
        targetColl: SOURCE.coll,
        kind: 'collection',
      },
    ],
    conflict: options.conflict,
    load: options.load,
    indexes: 'after',
    verify: options.verify,
    ...options.tuning,
  };
}

// ------------------------------------------------------------------------------------------ checks

async function countChecks(target: MongoClient, docs: number, outcome: CopyOutcome): Promise<string[]> {
  const failures: string[] = [];
  for (const db of [NAIVE_DB, ENGINE_DB]) {
    const count = await target.db(db).collection(SOURCE.coll).countDocuments({});
    if (count !== docs) failures.push(`${db}.${SOURCE.coll} holds ${count} documents, expected ${docs}`);
  }
  const reported = outcome.namespaces[0];
  if (outcome.cancelled) failures.push('the engine reports the copy as cancelled');
  if (!reported || reported.status !== 'done' || reported.docs !== docs)
    failures.push(`the engine reports ${JSON.stringify(reported)}, expected ${docs} documents done`);
  return failures;
}

// ------------------------------------------------------------------------------------------- main

async function bench(options: BenchOptions, signal: AbortSignal): Promise<number> {
  const log = (message: string) => {
    if (!options.json) process.stderr.write(`${message}\n`);
  };
  const servers: ServerProcess[] = [];
  const clients: MongoClient[] = [];
  try {
    servers.push(...(await Promise.all([startServerProcess('source'), startServerProcess('target')])));
    const [sourceServer, targetServer] = servers;
    const source = new MongoClient(sourceServer.uri, { maxPoolSize: 4 });
    const target = new MongoClient(targetServer.uri, { maxPoolSize: 4 });
    clients.push(source, target);
    await Promise.all([source.connect(), target.connect()]);
    const sourceColl = source.db(SOURCE.db).collection(SOURCE.coll);
    const cpu = () => cpuNow(sourceServer, targetServer);

    log(`seeding ${thousands(options.docs)} documents of ~${options.docBytes} bytes…`);
    const seedStart = performance.now();
    const bytes = await seedInChild(sourceServer.uri, options.docs, options.docBytes);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const idleEventLoopP99Ms = await idleEventLoopP99();
    log(`engine copy (load ${options.load})…`);
    let cpuStart = cpu();
    const engine = await engineCopy(copyRequest(sourceServer.uri, targetServer.uri, options), signal);
    const engineCpu = cpuSince(cpuStart, cpu());

    log('naive copy…');
    cpuStart = cpu();
    const naiveSeconds = await naiveCopy(sourceColl, target.db(NAIVE_DB).collection(SOURCE.coll));
    const naiveCpu = cpuSince(cpuStart, cpu());

    const failures = await countChecks(target, options.docs, engine.outcome);
    const measurements: Measurements = {
      bytes,
      seedSeconds,
      naiveSeconds,
      naiveCpu,
      engine,
      engineCpu,
      idleEventLoopP99Ms,
      loadAverage: os.loadavg(),
    };
    const result = buildResult(options, measurements);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!options.json) printTable(result, measurements);
    for (const failure of failures) process.stderr.write(`CHECK FAILED: ${failure}\n`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/**
 * Seeding runs in a child process of its own: the memory it churns through is not the engine's and
 * must not count in this process's RSS.
 */
function seedInChild(uri: string, docs: number, docBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--seed-child', uri, String(docs), String(docBytes)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`seeding failed (exit code ${code})`)),
    );
  });
}

async function seedChild([uri, docs, docBytes]: string[]): Promise<void> {
  const client = await new MongoClient(uri).connect();
  try {
    process.stdout.write(
      `${await seed(client.db(SOURCE.db).collection(SOURCE.coll), Number(docs), Number(docBytes))}\n`,
    );
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--seed-child') return seedChild(process.argv.slice(3));
  const options = parseArgs(process.argv.slice(2));
  const abort = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the test servers\n`);
    abort.abort();
    killChildrenNow();
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  process.once('exit', killChildrenNow);
  try {
    process.exitCode = await bench(options, abort.signal);
  } catch (error) {
    process.stderr.write(
      `bench:copy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}

await main();
