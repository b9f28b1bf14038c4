/**
 * Benchmark (not a test) of the MongoDB copy engine:
 *
 *   npm run bench:copy -- --docs 200000 [--json] [--load low|normal|high] [--doc-bytes 1024]
 *                         [--timeout-ms N] [--batch-docs N] [--partition-docs N]
 *                         [--conflict drop|overwrite|skip] [--verify none|sample|full]
 *
 *  1. starts two test servers (source, target) as child processes, so their memory is not ours;
 *  2. seeds the source with N documents of ~doc-bytes of mixed BSON types (not timed);
 *  3. engine: startCopyInWorker (worker thread) into `bench_engine`, timed, while this process's
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
 * Profiling: `BENCH_CPU_PROF=/tmp/prof node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx <this file> --docs N`
 * writes one .cpuprofile per thread (bench main thread, copy worker, both servers).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BSON, MongoClient, type Collection, type Document } from 'mongodb';
import { DocumentFactory } from '../lib/documents';
import { killChildrenNow, processCpuSeconds, startServerProcess, type ServerProcess } from '../lib/servers';
import { startCopyInWorker } from '../../providers/mongo-copy/run-in-worker';
import { LOAD_LEVELS, type CopyOutcome, type CopyRequest, type LoadLevel } from '../../providers/mongo-copy/plan';

const BATCH = 1_000;
const RSS_SAMPLE_MS = 50;
const IDLE_CONTROL_MS = 2_000;
const SOURCE = { db: 'bench_source', coll: 'docs' } as const;
const NAIVE_DB = 'bench_naive';
const ENGINE_DB = 'bench_engine';

/** What the engine should achieve; reported, not enforced (only correctness checks fail the run). */
const TARGETS = { minRatio: 1.0, maxPeakRssMb: 300, maxEventLoopP99Ms: 30 } as const;

// ---------------------------------------------------------------------------------------------- args

interface BenchOptions {
  docs: number;
  docBytes: number;
  load: LoadLevel;
  json: boolean;
  /** Passed through to the CopyRequest when given. */
  tuning: Pick<CopyRequest, 'timeoutMs' | 'batchDocs' | 'partitionDocs'>;
  /** The engine's conflict policy: drop (default: plain inserts), or overwrite / skip (upserts, or inserts that tolerate duplicates). */
  conflict: CopyRequest['conflict'];
  /** Verification after the copy (default none); its time counts in the engine's, and the table shows the phase. */
  verify: CopyRequest['verify'];
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: bench:copy -- --docs N [--json] [--load ${LOAD_LEVELS.join('|')}] [--doc-bytes 1024] [--timeout-ms N] [--batch-docs N] [--partition-docs N] [--conflict drop|overwrite|skip] [--verify none|sample|full]\n`);
  process.exit(2);
}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) usage(`${flag} expects a positive integer`);
  return n;
}

function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { docs: 200_000, docBytes: 1024, load: 'normal', json: false, tuning: {}, conflict: 'drop', verify: 'none' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--docs') options.docs = positiveInt(flag, argv[++i]);
    else if (flag === '--doc-bytes') options.docBytes = positiveInt(flag, argv[++i]);
    else if (flag === '--timeout-ms') options.tuning.timeoutMs = positiveInt(flag, argv[++i]);
    else if (flag === '--batch-docs') options.tuning.batchDocs = positiveInt(flag, argv[++i]);
    else if (flag === '--partition-docs') options.tuning.partitionDocs = positiveInt(flag, argv[++i]);
    else if (flag === '--json') options.json = true;
    else if (flag === '--verify') {
      const verify = argv[++i];
      if (verify !== 'none' && verify !== 'sample' && verify !== 'full') usage('--verify expects none, sample or full');
      options.verify = verify;
    } else if (flag === '--conflict') {
      const conflict = argv[++i];
      if (conflict !== 'drop' && conflict !== 'overwrite' && conflict !== 'skip') usage('--conflict expects drop, overwrite or skip');
      options.conflict = conflict;
    }
    else if (flag === '--load') {
      const load = argv[++i] as LoadLevel;
      if (!LOAD_LEVELS.includes(load)) usage(`--load expects one of ${LOAD_LEVELS.join(', ')}`);
      options.load = load;
    } else if (flag !== '--') usage(`unknown argument ${flag}`);
  }
  return options;
}

// ------------------------------------------------------------------------------------ test servers


// ------------------------------------------------------------------------------------- CPU meter

interface CpuSeconds {
  self: number;
  source: number;
  target: number;
}


/** CPU seconds so far of this process (all its threads) and of both servers. */
function cpuNow(source: ServerProcess, target: ServerProcess): CpuSeconds {
  const { user, system } = process.cpuUsage();
  return { self: (user + system) / 1e6, source: processCpuSeconds(source.pid), target: processCpuSeconds(target.pid) };
}

const cpuSince = (start: CpuSeconds, end: CpuSeconds): CpuSeconds => ({ self: end.self - start.self, source: end.source - start.source, target: end.target - start.target });

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

interface EngineRun {
  seconds: number;
  outcome: CopyOutcome;
  peakRssBytes: number;
  rssBeforeBytes: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Seconds spent in each engine phase; 'start' is the worker's start-up, until its first phase. */
  phases: Array<[string, number]>;
  warnings: number;
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
    const handle = startCopyInWorker(request, { phase: phases.enter, namespace: () => undefined, warn }, signal);
    const outcome = await handle.done;
    const seconds = (performance.now() - started) / 1000;
    return { seconds, outcome, peakRssBytes: rss.peak(), rssBeforeBytes, eventLoopP99Ms: loop.percentile(99) / 1e6, eventLoopMaxMs: loop.max / 1e6, phases: phases.end(), warnings };
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
    namespaces: [{ sourceDb: SOURCE.db, sourceColl: SOURCE.coll, targetDb: ENGINE_DB, targetColl: SOURCE.coll, kind: 'collection' }],
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
  if (!reported || reported.status !== 'done' || reported.docs !== docs) failures.push(`the engine reports ${JSON.stringify(reported)}, expected ${docs} documents done`);
  return failures;
}

// ----------------------------------------------------------------------------------------- report

interface BenchResult {
  docs: number;
  bytes: number;
  engine_docs_per_s: number;
  baseline_docs_per_s: number;
  ratio: number;
  peak_rss_mb: number;
  event_loop_p99_ms: number;
  load: LoadLevel;
  /** The engine's policy and verification, so a run with other settings says so. */
  conflict: CopyRequest['conflict'];
  verify: CopyRequest['verify'];
}

/** Everything measured, for the readable table. */
interface Measurements {
  bytes: number;
  seedSeconds: number;
  naiveSeconds: number;
  naiveCpu: CpuSeconds;
  engine: EngineRun;
  engineCpu: CpuSeconds;
  idleEventLoopP99Ms: number;
  loadAverage: number[];
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const thousands = (x: number) => x.toLocaleString('en-US');

function buildResult(options: BenchOptions, m: Measurements): BenchResult {
  const engineRate = options.docs / m.engine.seconds;
  const baselineRate = options.docs / m.naiveSeconds;
  return {
    docs: options.docs,
    bytes: m.bytes,
    engine_docs_per_s: Math.round(engineRate),
    baseline_docs_per_s: Math.round(baselineRate),
    ratio: round2(engineRate / baselineRate),
    peak_rss_mb: mb(m.engine.peakRssBytes),
    event_loop_p99_ms: round2(m.engine.eventLoopP99Ms),
    load: options.load,
    conflict: options.conflict,
    verify: options.verify,
  };
}

const showCpu = (cpu: CpuSeconds) => `bench ${cpu.self.toFixed(1)} s, source ${cpu.source.toFixed(1)} s, target ${cpu.target.toFixed(1)} s`;

function printTable(result: BenchResult, m: Measurements): void {
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const rows: Array<[string, string, string]> = [
    ['documents', `${thousands(result.docs)} (${mb(result.bytes)} MB BSON)`, ''],
    ['seeding', `${m.seedSeconds.toFixed(1)} s (not counted)`, ''],
    [`engine (load ${result.load})`, `${thousands(result.engine_docs_per_s)} docs/s in ${m.engine.seconds.toFixed(1)} s`, ''],
    ['  phases', m.engine.phases.map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`).join(', '), ''],
    ['  CPU', showCpu(m.engineCpu), ''],
    ['baseline (naive)', `${thousands(result.baseline_docs_per_s)} docs/s in ${m.naiveSeconds.toFixed(1)} s`, ''],
    ['  CPU', showCpu(m.naiveCpu), ''],
    ['ratio engine/baseline', `${result.ratio}`, `${mark(result.ratio >= TARGETS.minRatio)} (>= ${TARGETS.minRatio})`],
    ['peak RSS during engine', `${result.peak_rss_mb} MB (before: ${mb(m.engine.rssBeforeBytes)} MB)`, `${mark(result.peak_rss_mb < TARGETS.maxPeakRssMb)} (< ${TARGETS.maxPeakRssMb} MB)`],
    ['event loop p99', `${result.event_loop_p99_ms} ms (max ${round2(m.engine.eventLoopMaxMs)} ms)`, `${mark(result.event_loop_p99_ms < TARGETS.maxEventLoopP99Ms)} (< ${TARGETS.maxEventLoopP99Ms} ms)`],
    ['  idle control', `${round2(m.idleEventLoopP99Ms)} ms (p99 with nothing running in this process)`, ''],
    ['engine warnings', String(m.engine.warnings), ''],
    ['load average at end', `${m.loadAverage.map((x) => x.toFixed(1)).join(' ')} (${os.availableParallelism()} CPUs)`, ''],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [label, value, target] of rows) process.stderr.write(`${label.padEnd(width)}  ${value.padEnd(valueWidth)}  ${target}\n`.replace(/ +\n$/, '\n'));
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
    const measurements: Measurements = { bytes, seedSeconds, naiveSeconds, naiveCpu, engine, engineCpu, idleEventLoopP99Ms, loadAverage: os.loadavg() };
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
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--seed-child', uri, String(docs), String(docBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`seeding failed (exit code ${code})`))));
  });
}

async function seedChild([uri, docs, docBytes]: string[]): Promise<void> {
  const client = await new MongoClient(uri).connect();
  try {
    process.stdout.write(`${await seed(client.db(SOURCE.db).collection(SOURCE.coll), Number(docs), Number(docBytes))}\n`);
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
    process.stderr.write(`bench:copy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}

await main();
