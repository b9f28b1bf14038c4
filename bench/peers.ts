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
 * The operations compared are in ./peers/operations.ts, how a run is measured in ./peers/measure.ts.
 */
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { build } from 'vite';
import { DocumentFactory } from './lib/documents';
import { killChildrenNow, startServerProcess, type ServerProcess } from './lib/servers';
import { measure, watchServers, type Measured } from './peers/measure';
import { CSV_FIELDS, OPERATIONS, PEERS, SOURCE, type Check, type Context } from './peers/operations';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO_ROOT, 'out', 'cli', 'index.js');

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
  process.stderr.write(
    `${message}\nusage: bench:peers -- [--docs N] [--runs N] [--doc-bytes N] [--only ${OPERATIONS.map((o) => o.op).join(',')}] [--json]\n`,
  );
  process.exit(2);
}

// --------------------------------------------------------------------------------------------- main

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Documents in an exported file: its lines but blank ones and a JSON array's brackets (read as a stream: a 1M-document export is over 1 GB). */
async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const trimmed = line.trim();
    if (trimmed !== '' && trimmed !== '[' && trimmed !== ']') count++;
  }
  return count;
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
  const binDir =
    process.env.MONGO_TOOLS_BIN ?? (existsSync('/tmp/mongo-tools/bin/mongodump') ? '/tmp/mongo-tools/bin' : undefined);
  const missing = PEERS.filter((tool) => !binDir || !existsSync(path.join(binDir, tool)));
  if (missing.length) {
    process.stderr.write(
      `bench:peers: MongoDB's database tools are not here (${missing.join(', ')} missing${binDir ? ` in ${binDir}` : ''}). ` +
        'Build them with ../shared/tools/build-mongo-tools.sh and set MONGO_TOOLS_BIN to the folder it prints. Nothing measured.\n',
    );
    return 0;
  }
  const operations = OPERATIONS.filter((o) => !options.only || options.only.includes(o.op));
  if (options.only && operations.length !== options.only.length)
    usage(`--only: unknown operation among ${options.only.join(', ')}`);

  process.stderr.write('building the command line (out/cli)…\n');
  await build({ configFile: path.join(REPO_ROOT, 'main/cli/vite.config.ts'), logLevel: 'warn' });

  const work = await mkdtemp(path.join(os.tmpdir(), 'cutover-bench-peers-'));
  const dataDir = path.join(work, 'data');
  const servers: ServerProcess[] = [];
  let failed = false;
  try {
    servers.push(...(await Promise.all([startServerProcess('source'), startServerProcess('target')])));
    const [source, targetServer] = servers;
    watchServers(servers.map((s) => s.pid));
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
      [
        ctx.bin('mongoexport'),
        `--uri=${ctx.src}`,
        `--db=${SOURCE.db}`,
        `--collection=${SOURCE.coll}`,
        '--jsonFormat=canonical',
        `--out=${ctx.ndjson}`,
        '--quiet',
      ],
      [
        ctx.bin('mongoexport'),
        `--uri=${ctx.src}`,
        `--db=${SOURCE.db}`,
        `--collection=${SOURCE.coll}`,
        '--type=csv',
        `--fields=${CSV_FIELDS}`,
        `--out=${ctx.csv}`,
        '--quiet',
      ],
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
              measured = {
                seconds: Number.NaN,
                cpuSeconds: Number.NaN,
                peakRssMb: Number.NaN,
                serverCpuSeconds: Number.NaN,
              };
            }
            runs[side].push(measured);
            await target.db(targetDb).dropDatabase();
            for (const entry of readdirSync(work))
              if (entry.startsWith('run-')) await rm(path.join(work, entry), { recursive: true, force: true });
            if (!options.json)
              process.stderr.write(
                `  ${operation.op} ${side.padEnd(7)} ${round(options.docs / measured.seconds)
                  .toLocaleString('en-US')
                  .padStart(
                    8,
                  )} docs/s  cpu ${measured.cpuSeconds.toFixed(1)} s  servers ${measured.serverCpuSeconds.toFixed(1)} s  rss ${round(measured.peakRssMb)} MB\n`,
              );
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
