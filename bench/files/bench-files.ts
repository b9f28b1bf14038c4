/**
 * Benchmark (not a test) of the files provider's engines:
 *
 *   npm run bench:files -- --docs 1000000 [--json] [--dir /tmp/x]
 *
 *  1. starts the MongoDB test server as a child process (its memory is not ours);
 *  2. seeds N documents of ~200 bytes with mixed types (not timed);
 *  3. for NDJSON, CSV and mongodump: export (worker thread, as the app runs it) to a temp file, then import that
 *     file into a fresh collection (worker thread), timed, while this process's RSS is sampled
 *     (main thread + worker: one process);
 *  4. checks the counts, prints one JSON object on stdout (and a table on stderr without --json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal128, Double, Int32, Long, MongoClient, ObjectId } from 'mongodb';
import { startExportJob, startImportJob } from '../../providers/files/run-job';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DB = 'bench_files';

const USAGE = [
  'usage: npm run bench:files -- [--docs N] [--json] [--dir DIR]',
  '  --docs N   documents to seed, export and import back (default 100000)',
  '  --json     print the figures as JSON',
  '  --dir DIR  where the exported files go (default: a temporary folder, removed at the end)',
].join('\n');

function parse(argv: string[]) {
  const options = { docs: 100_000, json: false, dir: undefined as string | undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--docs') options.docs = Number(argv[++i]);
    else if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--dir') options.dir = argv[++i];
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${argv[i]}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.docs) || options.docs <= 0) {
    process.stderr.write('--docs expects a positive integer\n');
    process.exit(2);
  }
  return options;
}

function startServer(): Promise<{ uri: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', 'testkit/mongo/cli.ts', '--port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (d) => {
      output += d;
      const match = /listening on ([\w.:-]+):(\d+)/.exec(output);
      if (match) resolve({ uri: `mongodb://${match[1]}:${match[2]}/`, child });
    });
    child.on('exit', (code) => reject(new Error(`test server exited (${code}): ${output}`)));
  });
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

async function measure<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
  peakRss = process.memoryUsage.rss();
  const started = performance.now();
  const value = await run();
  const seconds = (performance.now() - started) / 1000;
  return { value, seconds, peakRssMb: Math.round(peakRss / 1048576) };
}

const options = parse(process.argv.slice(2));
const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'cutover-bench-files-')));
const server = await startServer();
const client = await new MongoClient(server.uri).connect();
const signal = new AbortController().signal;
const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
let failed = false;
try {
  const coll = client.db(DB).collection('source');
  for (let i = 0; i < options.docs; i += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, options.docs - i) }, (_, k) => {
      const n = i + k;
      return {
        _id: new ObjectId(),
        n: new Int32(n),
        name: `customer ${n}`,
        email: `c${n}@example.com`,
        score: new Double(n / 7),
        big: Long.fromNumber(n * 1_000_003),
        price: Decimal128.fromString(`${n}.25`),
        active: n % 2 === 0,
        at: new Date(1_700_000_000_000 + n),
        address: { city: 'Oslo', zip: `0${n % 1000}` },
      };
    });
    await coll.insertMany(batch);
  }
  const results: Record<string, unknown> = { docs: options.docs };
  for (const format of ['ndjson', 'csv', 'mongodump'] as const) {
    const out = path.join(dir, `bench.${format}`);
    // mongodump writes <out>/<db>/<coll>.bson: that file is what gets imported (as mongorestore would).
    const file = format === 'mongodump' ? path.join(out, DB, 'source.bson') : out;
    const exported = await measure(
      () =>
        startExportJob(
          { uri: server.uri, db: DB, coll: 'source', format, ejson: 'canonical', gzip: false, out, keepPartial: false },
          { warn },
          signal,
        ).done,
    );
    const size = (await stat(file)).size;
    const imported = await measure(
      () =>
        startImportJob(
          {
            uri: server.uri,
            db: DB,
            sources: [
              {
                file,
                format: format === 'mongodump' ? 'bson' : format,
                gzip: false,
                coll: `imported_${format}`,
                delimiter: ',',
                types:
                  format === 'csv'
                    ? {
                        _id: 'objectId',
                        n: 'int',
                        score: 'double',
                        big: 'long',
                        price: 'decimal',
                        active: 'bool',
                        at: 'date',
                      }
                    : undefined,
              },
            ],
            conflict: 'abort',
            onError: 'stop',
            ignoreEmpty: false,
            maxLineBytes: 8 << 20,
            batchDocs: 1000,
            errorLog: path.join(dir, `errors-${format}.log`),
          },
          { warn },
          signal,
        ).done,
    );
    const count = await client.db(DB).collection(`imported_${format}`).estimatedDocumentCount();
    if (exported.value.docs !== options.docs || count !== options.docs || imported.value.errorCount) {
      failed = true;
      process.stderr.write(
        `check failed for ${format}: exported ${exported.value.docs}, imported ${count}, bad rows ${imported.value.errorCount}\n`,
      );
    }
    const mb = size / 1048576;
    results[format] = {
      file_mb: Number(mb.toFixed(1)),
      export_docs_per_s: Math.round(options.docs / exported.seconds),
      export_mb_per_s: Number((mb / exported.seconds).toFixed(1)),
      export_peak_rss_mb: exported.peakRssMb,
      import_docs_per_s: Math.round(options.docs / imported.seconds),
      import_mb_per_s: Number((mb / imported.seconds).toFixed(1)),
      import_peak_rss_mb: imported.peakRssMb,
    };
    await client.db(DB).collection(`imported_${format}`).drop();
    await rm(out, { force: true, recursive: true });
  }
  results.ok = !failed;
  process.stdout.write(`${JSON.stringify(results, null, options.json ? 0 : 2)}\n`);
} finally {
  clearInterval(sampler);
  await client.close();
  server.child.kill('SIGTERM');
  if (!options.dir) await rm(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
