/**
 * Benchmark (not a test): Cutover's command line against MongoDB's own database tools, on the same
 * servers and the same data.
 *
 *   npm run bench:peers -- [--docs 200000] [--runs 1] [--doc-bytes 1024] [--only copy-archive,export-canonical] [--json]
 *
 * The peer binaries (mongodump, mongorestore, mongoimport, mongoexport) come from MONGO_TOOLS_BIN
 * (../shared/tools/build-mongo-tools.sh builds them); without them the bench says so and exits 0.
 *
 *  1. builds the command line (out/cli): Cutover runs as `node out/cli/index.js`, as it ships, not through tsx;
 *  2. starts two test servers (source, target), each a process of its own, and seeds the source (not timed);
 *  3. prepares the input files (not timed): a dump folder, an NDJSON file, a CSV file, all written by the peer;
 *  4. runs each operation's pair alternately (peer first, then Cutover first on the next run…), each run
 *     into a fresh target that is checked (document count) and dropped afterwards, while each process's
 *     CPU time and peak RSS (VmHWM) are sampled from /proc; a pipeline counts all its processes;
 *  5. prints one JSON object per operation (medians over the runs):
 *     op, docs, peer_docs_per_s, cutover_docs_per_s, ratio, peer_rss_mb, cutover_rss_mb, peer_cpu_s, cutover_cpu_s,
 *     and the CPU the two test servers spent during each side's runs (peer_server_cpu_s, cutover_server_cpu_s)
 *     and the 1-minute load average at the end (the machine may be shared: wall-clock ratios vary with it).
 *
 * The machine is shared by client and servers (2 cores here): client CPU is throughput, so the CPU
 * columns matter as much as the rates. Exits 1 when a run fails its check (its JSON is printed anyway).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { build } from 'vite';
import { DocumentFactory } from './lib/documents';
import { killChildrenNow, processCpuSeconds, processPeakRssBytes, startServerProcess, type ServerProcess } from './lib/servers';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO_ROOT, 'out', 'cli', 'index.js');
const SOURCE = { db: 'bench_src', coll: 'docs' } as const;
const CSV_FIELDS = 'seq,name,email,active,score,visits,createdAt,address.city,address.zip,notes';
const SAMPLE_MS = 20;
const PEERS = ['mongodump', 'mongorestore', 'mongoimport', 'mongoexport'] as const;

interface Options {
  docs: number;
  runs: number;
  docBytes: number;
  only?: string[];
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { docs: 200_000, runs: 1, docBytes: 1024, json: false };
  const positive = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) usage(`${flag} expects a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--docs') options.docs = positive(flag, argv[++i]);
    else if (flag === '--runs') options.runs = positive(flag, argv[++i]);
    else if (flag === '--doc-bytes') options.docBytes = positive(flag, argv[++i]);
    else if (flag === '--only') options.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (flag === '--json') options.json = true;
    else usage(`unknown argument ${flag}`);
  }
  return options;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: bench:peers -- [--docs N] [--runs N] [--doc-bytes N] [--only ${OPERATIONS.map((o) => o.op).join(',')}] [--json]\n`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------ measured runs

/** One process of a run: its arguments, and (for a pipeline) whether its stdout feeds the next one. */
type Command = string[];

interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** CPU the two test servers spent meanwhile (they share the machine's cores with the client). */
  serverCpuSeconds: number;
}

/** The test servers' pids, whose CPU is read around each run. */
let serverPids: number[] = [];
const serversCpu = () => serverPids.reduce((sum, pid) => sum + (processCpuSeconds(pid) || 0), 0);

/**
 * Runs commands one after another; a nested array is a pipeline, run by bash (stdout of each into the
 * next through an OS pipe). CPU and peak RSS are sampled from /proc for every process of the tree.
 */
async function measure(steps: Array<Command | Command[]>): Promise<Measured> {
  const started = performance.now();
  const serversBefore = serversCpu();
  let cpuSeconds = 0;
  let peakRssBytes = 0;
  for (const step of steps) {
    const pipeline = Array.isArray(step[0]) ? (step as Command[]) : [step as Command];
    const child =
      pipeline.length === 1
        ? spawn(pipeline[0][0], pipeline[0].slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn('bash', ['-o', 'pipefail', '-c', pipeline.map((command) => command.map(shellQuote).join(' ')).join(' | ')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const last = new Map<number, { cpu: number; rss: number }>();
    const sample = () => {
      for (const pid of processTree(child.pid!)) {
        const cpu = processCpuSeconds(pid);
        const rss = processPeakRssBytes(pid);
        if (!Number.isNaN(cpu)) last.set(pid, { cpu, rss: Number.isNaN(rss) ? (last.get(pid)?.rss ?? 0) : rss });
      }
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    sample();
    const result = await exitOf(child);
    clearInterval(sampler);
    if (result.code !== 0) throw new Error(`${pipeline.map((c) => path.basename(c[0])).join(' | ')} exited ${result.code}: ${result.stderr.slice(-2000)}`);
    for (const { cpu, rss } of last.values()) {
      cpuSeconds += cpu;
      peakRssBytes += rss;
    }
  }
  return { seconds: (performance.now() - started) / 1000, cpuSeconds, peakRssMb: peakRssBytes / 1_048_576, serverCpuSeconds: serversCpu() - serversBefore };
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** A process and its descendants, from /proc/<pid>/task/<tid>/children. */
function processTree(root: number): number[] {
  const pids = [root];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(' ').map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8000)));
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

// -------------------------------------------------------------------------------------- operations

interface Context {
  src: string;
  dst: string;
  bin: (tool: (typeof PEERS)[number]) => string;
  cutover: (...args: string[]) => Command;
  /** Input files written once by the peer (not timed). */
  dumpDir: string;
  ndjson: string;
  csv: string;
  /** A fresh path for an output of this run. */
  scratch: (name: string) => string;
}

/** Where a run's data lands, and how to check it. */
type Check = { db: string; coll: string } | { fileLines: string };

interface Operation {
  op: string;
  peer(ctx: Context, target: string): { steps: Array<Command | Command[]>; check: Check };
  cutover(ctx: Context, target: string): { steps: Array<Command | Command[]>; check: Check };
}

const restoreInto = (ctx: Context, target: string): string[] => ['--nsFrom', `${SOURCE.db}.*`, '--nsTo', `${target}.*`];

const OPERATIONS: Operation[] = [
  {
    op: 'copy-archive',
    peer: (ctx, target) => ({
      steps: [
        [
          [ctx.bin('mongodump'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, '--archive', '--quiet'],
          [ctx.bin('mongorestore'), `--uri=${ctx.dst}`, '--archive', '--quiet', ...restoreInto(ctx, target)],
        ],
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [ctx.cutover('copy', '--from', ctx.src, '--to', ctx.dst, '--db', SOURCE.db, '--target-db', target, '--verify', 'none', '--json')],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
  {
    op: 'copy-folder',
    peer: (ctx, target) => {
      const dir = ctx.scratch('dump');
      return {
        steps: [
          [ctx.bin('mongodump'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, `--out=${dir}`, '--quiet'],
          [ctx.bin('mongorestore'), `--uri=${ctx.dst}`, `--dir=${dir}`, '--quiet', ...restoreInto(ctx, target)],
        ],
        check: { db: target, coll: SOURCE.coll },
      };
    },
    cutover: (ctx, target) => ({
      steps: [ctx.cutover('copy', '--from', ctx.src, '--to', ctx.dst, '--db', SOURCE.db, '--target-db', target, '--json')],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
  {
    op: 'restore',
    peer: (ctx, target) => ({
      steps: [[ctx.bin('mongorestore'), `--uri=${ctx.dst}`, `--dir=${ctx.dumpDir}`, '--quiet', ...restoreInto(ctx, target)]],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [ctx.cutover('import', '--uri', ctx.dst, '--db', target, '--file', path.join(ctx.dumpDir, SOURCE.db), '--format', 'mongodump', '--json')],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
  ...(['canonical', 'relaxed'] as const).map(
    (mode): Operation => ({
      op: `export-${mode}`,
      peer: (ctx) => {
        const out = ctx.scratch('peer.ndjson');
        return {
          steps: [[ctx.bin('mongoexport'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, `--collection=${SOURCE.coll}`, `--jsonFormat=${mode}`, `--out=${out}`, '--quiet']],
          check: { fileLines: out },
        };
      },
      cutover: (ctx) => {
        const out = ctx.scratch('cutover.ndjson');
        return {
          steps: [ctx.cutover('export', '--uri', ctx.src, '--db', SOURCE.db, '--collection', SOURCE.coll, '--out', out, '--format', 'ndjson', '--ejson', mode, '--json')],
          check: { fileLines: out },
        };
      },
    }),
  ),
  ...([1, 4] as const).map(
    (workers): Operation => ({
      op: workers === 1 ? 'import-ndjson' : 'import-ndjson-4w',
      peer: (ctx, target) => ({
        steps: [[ctx.bin('mongoimport'), `--uri=${ctx.dst}`, `--db=${target}`, `--collection=${SOURCE.coll}`, `--file=${ctx.ndjson}`, `--numInsertionWorkers=${workers}`, '--quiet']],
        check: { db: target, coll: SOURCE.coll },
      }),
      cutover: (ctx, target) => ({
        steps: [ctx.cutover('import', '--uri', ctx.dst, '--db', target, '--collection', SOURCE.coll, '--file', ctx.ndjson, '--format', 'ndjson', '--json')],
        check: { db: target, coll: SOURCE.coll },
      }),
    }),
  ),
  {
    op: 'import-csv',
    peer: (ctx, target) => ({
      steps: [[ctx.bin('mongoimport'), `--uri=${ctx.dst}`, `--db=${target}`, `--collection=${SOURCE.coll}`, `--file=${ctx.csv}`, '--type=csv', '--headerline', '--quiet']],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [ctx.cutover('import', '--uri', ctx.dst, '--db', target, '--collection', SOURCE.coll, '--file', ctx.csv, '--format', 'csv', '--json')],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
];

// --------------------------------------------------------------------------------------------- main

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

async function countLines(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '' && line.trim() !== '[' && line.trim() !== ']').length;
}

async function checkRun(check: Check, target: MongoClient, docs: number): Promise<string | undefined> {
  let found: number;
  if ('db' in check) found = await target.db(check.db).collection(check.coll).countDocuments();
  else found = await countLines(check.fileLines);
  return found === docs ? undefined : `expected ${docs} documents, found ${found}`;
}

async function seedSource(uri: string, docs: number, docBytes: number): Promise<void> {
  const client = await new MongoClient(uri).connect();
  try {
    const factory = new DocumentFactory(docBytes);
    const coll = client.db(SOURCE.db).collection(SOURCE.coll);
    for (let done = 0; done < docs; done += 1000) {
      await coll.insertMany(Array.from({ length: Math.min(1000, docs - done) }, (_, k) => factory.make(done + k)));
    }
  } finally {
    await client.close();
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const binDir = process.env.MONGO_TOOLS_BIN ?? (existsSync('/tmp/mongo-tools/bin/mongodump') ? '/tmp/mongo-tools/bin' : undefined);
  const missing = PEERS.filter((tool) => !binDir || !existsSync(path.join(binDir, tool)));
  if (missing.length) {
    process.stderr.write(
      `bench:peers: MongoDB's database tools are not here (${missing.join(', ')} missing${binDir ? ` in ${binDir}` : ''}). ` +
        'Build them with ../shared/tools/build-mongo-tools.sh and set MONGO_TOOLS_BIN to the folder it prints. Nothing measured.\n',
    );
    return 0;
  }
  const operations = OPERATIONS.filter((o) => !options.only || options.only.includes(o.op));
  if (options.only && operations.length !== options.only.length) usage(`--only: unknown operation among ${options.only.join(', ')}`);

  process.stderr.write('building the command line (out/cli)…\n');
  await build({ configFile: path.join(REPO_ROOT, 'main/cli/vite.config.ts'), logLevel: 'warn' });

  const work = await mkdtemp(path.join(os.tmpdir(), 'cutover-bench-peers-'));
  const dataDir = path.join(work, 'data');
  const servers: ServerProcess[] = [];
  let failed = false;
  try {
    servers.push(...(await Promise.all([startServerProcess('source'), startServerProcess('target')])));
    const [source, targetServer] = servers;
    serverPids = servers.map((s) => s.pid);
    process.stderr.write(`seeding ${options.docs.toLocaleString('en-US')} documents of ~${options.docBytes} bytes…\n`);
    await seedSource(source.uri, options.docs, options.docBytes);
    let scratchCount = 0;
    const ctx: Context = {
      src: source.uri,
      dst: targetServer.uri,
      bin: (tool) => path.join(binDir!, tool),
      cutover: (...args) => [process.execPath, CLI, ...args, '--data-dir', dataDir],
      dumpDir: path.join(work, 'input-dump'),
      ndjson: path.join(work, 'input.ndjson'),
      csv: path.join(work, 'input.csv'),
      scratch: (name) => path.join(work, `run-${++scratchCount}-${name}`),
    };
    process.stderr.write('writing the input files with the peer tools…\n');
    await measure([
      [ctx.bin('mongodump'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, `--out=${ctx.dumpDir}`, '--quiet'],
      [ctx.bin('mongoexport'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, `--collection=${SOURCE.coll}`, '--jsonFormat=canonical', `--out=${ctx.ndjson}`, '--quiet'],
      [ctx.bin('mongoexport'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, `--collection=${SOURCE.coll}`, '--type=csv', `--fields=${CSV_FIELDS}`, `--out=${ctx.csv}`, '--quiet'],
    ]);

    const target = await new MongoClient(targetServer.uri).connect();
    try {
      for (const operation of operations) {
        const runs = { peer: [] as Measured[], cutover: [] as Measured[] };
        for (let run = 0; run < options.runs; run++) {
          // A/B then B/A: neither side always runs on a warmer (or more fragmented) server.
          const order = run % 2 === 0 ? (['peer', 'cutover'] as const) : (['cutover', 'peer'] as const);
          for (const side of order) {
            const targetDb = `bench_${side}_${operation.op.replace(/-/g, '_')}_${run}`;
            const { steps, check } = operation[side](ctx, targetDb);
            let measured: Measured;
            try {
              measured = await measure(steps);
              const problem = await checkRun(check, target, options.docs);
              if (problem) throw new Error(problem);
            } catch (error) {
              failed = true;
              process.stderr.write(`${operation.op} (${side}, run ${run + 1}) failed: ${(error as Error).message}\n`);
              measured = { seconds: Number.NaN, cpuSeconds: Number.NaN, peakRssMb: Number.NaN, serverCpuSeconds: Number.NaN };
            }
            runs[side].push(measured);
            await target.db(targetDb).dropDatabase();
            for (const entry of readdirSync(work)) if (entry.startsWith('run-')) await rm(path.join(work, entry), { recursive: true, force: true });
            if (!options.json) process.stderr.write(`  ${operation.op} ${side.padEnd(7)} ${round(options.docs / measured.seconds).toLocaleString('en-US').padStart(8)} docs/s  cpu ${measured.cpuSeconds.toFixed(1)} s  servers ${measured.serverCpuSeconds.toFixed(1)} s  rss ${round(measured.peakRssMb)} MB\n`);
          }
        }
        const peerRate = options.docs / median(runs.peer.map((m) => m.seconds));
        const cutoverRate = options.docs / median(runs.cutover.map((m) => m.seconds));
        const result = {
          op: operation.op,
          docs: options.docs,
          peer_docs_per_s: round(peerRate),
          cutover_docs_per_s: round(cutoverRate),
          ratio: round(cutoverRate / peerRate, 2),
          peer_rss_mb: round(median(runs.peer.map((m) => m.peakRssMb))),
          cutover_rss_mb: round(median(runs.cutover.map((m) => m.peakRssMb))),
          peer_cpu_s: round(median(runs.peer.map((m) => m.cpuSeconds)), 2),
          cutover_cpu_s: round(median(runs.cutover.map((m) => m.cpuSeconds)), 2),
          peer_server_cpu_s: round(median(runs.peer.map((m) => m.serverCpuSeconds)), 2),
          cutover_server_cpu_s: round(median(runs.cutover.map((m) => m.serverCpuSeconds)), 2),
          load_average: round(os.loadavg()[0], 1),
          runs: options.runs,
        };
        process.stdout.write(`${JSON.stringify(result)}\n`);
      }
    } finally {
      await target.close();
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(work, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

process.once('exit', killChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildrenNow();
    process.exit(130);
  });
}
process.exitCode = await main();
