/**
 * Benchmark (not a test) of the relational → MongoDB engine:
 *
 *   npm run bench:relational -- --rows 1000000 [--json] [--children 5] [--baseline-rows N] [--fetch-rows N] [--batch-docs N]
 *
 *  1. starts a MongoDB test server as a child process (its memory is not ours) and creates a scratch
 *     schema on PostgreSQL (PG_URL) with a parent table of --rows rows and a child table of about
 *     --children rows per parent (indexed foreign key), seeded by the server (not timed);
 *  2. engine: the job in its worker thread, children embedded as an array in each parent's document,
 *     timed while this process's event-loop delay and RSS (main thread + worker) are sampled;
 *  3. baseline, in the same run: the naive approach, in this process: for each parent row, query its
 *     children, build the document, insertMany in batches of 1,000. It runs on the first
 *     --baseline-rows parents (default: all of them up to 200,000; its rate does not depend on the
 *     table's size) into another database;
 *  4. checks both targets (counts, children per document), drops the scratch schema, stops the server;
 *  5. prints `rows, child_rows, docs, rows_per_s, baseline_rows_per_s, ratio, peak_rss_mb,
 *     event_loop_p99_ms` (rows = parent rows; rows_per_s counts every source row read, parents and
 *     children, per second of wall-clock time). Without --json also a readable table on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg, userInfo } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { MongoClient, type Document } from 'mongodb';
import { startRelationalJob } from '../../providers/relational/run-job';
import { MAPPING_FORMAT } from '../../providers/relational/mapping';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BATCH = 1_000;

function withUser(uri: string): string {
  const url = new URL(uri);
  if (!url.username) url.username = process.env.PGUSER || process.env.USER || userInfo().username;
  return url.toString();
}
const PG_URL = withUser(process.env.PG_URL ?? 'postgres://127.0.0.1:5432/test');

interface Options {
  rows: number;
  children: number;
  baselineRows?: number;
  fetchRows?: number;
  batchDocs?: number;
  json: boolean;
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: bench:relational -- --rows N [--json] [--children 5] [--baseline-rows N] [--fetch-rows N] [--batch-docs N]\n`,
  );
  process.exit(2);
}

function parse(argv: string[]): Options {
  const options: Options = { rows: 100_000, children: 5, json: false };
  const int = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) usage(`${flag} expects a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--rows') options.rows = int(flag, argv[++i]);
    else if (flag === '--children') options.children = int(flag, argv[++i]);
    else if (flag === '--baseline-rows') options.baselineRows = int(flag, argv[++i]);
    else if (flag === '--fetch-rows') options.fetchRows = int(flag, argv[++i]);
    else if (flag === '--batch-docs') options.batchDocs = int(flag, argv[++i]);
    else if (flag === '--json') options.json = true;
    else if (flag !== '--') usage(`unknown argument ${flag}`);
  }
  return options;
}

const children = new Set<ChildProcess>();

function startServer(): Promise<{ uri: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'testkit/mongo/cli.ts', '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('the MongoDB test server did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the MongoDB test server exited (code ${code}): ${output}`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', function onData(chunk: string) {
      output += chunk;
      const m = /listening on ([\w.:-]+):(\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        uri: `mongodb://${m[1]}:${m[2]}/`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    });
  });
}

async function seed(client: pg.Client, schema: string, rows: number, perParent: number): Promise<number> {
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(
    `CREATE TABLE "${schema}".parent (id int PRIMARY KEY, name text NOT NULL, email text, score double precision, created timestamptz)`,
  );
  await client.query(
    `CREATE TABLE "${schema}".child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES "${schema}".parent (id), sku text, qty int, price numeric(10,2))`,
  );
  await client.query(
    `INSERT INTO "${schema}".parent SELECT g, 'name ' || g, 'user' || g || '@example.org', g * 0.25, timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, ${rows}) g`,
  );
  const childRows = rows * perParent;
  await client.query(
    `INSERT INTO "${schema}".child SELECT g, (g - 1) / ${perParent} + 1, 'sku-' || (g % 997), g % 9 + 1, (g % 10000) / 100.0 FROM generate_series(1, ${childRows}) g`,
  );
  await client.query(`CREATE INDEX ON "${schema}".child (parent_id)`);
  await client.query(`ANALYZE "${schema}".parent, "${schema}".child`);
  return childRows;
}

/** The naive way: parents in pages, one query per parent for its children, insertMany of 1,000. */
async function naive(
  schema: string,
  target: MongoClient,
  limit: number,
): Promise<{ seconds: number; rows: number; docs: number }> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const coll = target.db('bench_naive').collection('parent');
  const started = performance.now();
  let rows = 0;
  let docs = 0;
  let last = 0;
  let batch: Document[] = [];
  try {
    while (docs < limit) {
      const parents = await client.query(
        `SELECT * FROM "${schema}".parent WHERE id > $1 ORDER BY id LIMIT ${Math.min(BATCH, limit - docs)}`,
        [last],
      );
      if (parents.rows.length === 0) break;
      for (const p of parents.rows) {
        const kids = await client.query(`SELECT * FROM "${schema}".child WHERE parent_id = $1 ORDER BY id`, [p.id]);
        rows += 1 + kids.rows.length;
        batch.push({
          _id: p.id,
          name: p.name,
          email: p.email,
          score: p.score,
          created: p.created,
          children: kids.rows,
        });
        docs++;
        last = p.id;
        if (batch.length === BATCH) {
          await coll.insertMany(batch, { ordered: true });
          batch = [];
        }
      }
    }
    if (batch.length) await coll.insertMany(batch, { ordered: true });
  } finally {
    await client.end();
  }
  return { seconds: (performance.now() - started) / 1000, rows, docs };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const server = await startServer();
  const schema = `bench_rel_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const target = await new MongoClient(server.uri).connect();
  let failed = false;
  try {
    const log = (text: string) => !options.json && process.stderr.write(`${text}\n`);
    log(`seeding ${options.rows} parents and ${options.rows * options.children} children in ${schema}…`);
    const childRows = await seed(admin, schema, options.rows, options.children);

    // Control: this process's event-loop delay while idle, on a machine other processes may keep busy.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    idle.disable();
    // The event loop is measured from the copy phase on (the whole run too): starting the worker under tsx
    // compiles its modules, which the loader hooks make the main thread wait for.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const whole = monitorEventLoopDelay({ resolution: 10 });
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
    whole.enable();
    const started = performance.now();
    const outcome = await startRelationalJob(
      {
        jobKey: `bench-${schema}`,
        dialect: 'postgres',
        sourceUri: PG_URL,
        schemas: [schema],
        targetUri: server.uri,
        targetDb: 'bench_engine',
        mapping: {
          format: MAPPING_FORMAT,
          version: 1,
          tables: { [`${schema}.child`]: { include: false } },
          relations: { [`${schema}.child:child_parent_id_fkey`]: { kind: 'children', field: 'children' } },
        },
        snapshot: 'parallel',
        conflict: 'drop',
        verify: 'none',
        sampleSize: 0,
        fetchRows: options.fetchRows,
        batchDocs: options.batchDocs,
      },
      {
        phase: (name) => {
          log(`engine: ${name}`);
          if (name === 'copy') loop.enable();
        },
        collection: () => undefined,
        warn: (message) => log(`warning: ${message}`),
      },
      new AbortController().signal,
    ).done;
    const engineSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    loop.disable();
    whole.disable();
    const engineRows = outcome.collections[0].rows;
    log(`engine: ${engineRows} rows in ${engineSeconds.toFixed(1)} s`);

    const baselineLimit = options.baselineRows ?? Math.min(options.rows, 200_000);
    log(`baseline on ${baselineLimit} parents…`);
    const baseline = await naive(schema, target, baselineLimit);
    log(`baseline: ${baseline.rows} rows in ${baseline.seconds.toFixed(1)} s`);

    const engineDocs = await target.db('bench_engine').collection('parent').countDocuments();
    const sample = await target
      .db('bench_engine')
      .collection('parent')
      .findOne({ _id: Math.ceil(options.rows / 2) } as never);
    const checks = [
      { what: 'engine documents', ok: engineDocs === options.rows, detail: `${engineDocs} of ${options.rows}` },
      {
        what: 'engine rows read',
        ok: engineRows === options.rows + childRows,
        detail: `${engineRows} of ${options.rows + childRows}`,
      },
      {
        what: 'children per document',
        ok: sample?.children?.length === options.children,
        detail: String(sample?.children?.length),
      },
      {
        what: 'baseline documents',
        ok: (await target.db('bench_naive').collection('parent').countDocuments()) === baseline.docs,
        detail: String(baseline.docs),
      },
    ];
    failed = checks.some((c) => !c.ok);
    const rowsPerS = engineRows / engineSeconds;
    const baselinePerS = baseline.rows / baseline.seconds;
    const result = {
      rows: options.rows,
      child_rows: childRows,
      docs: engineDocs,
      rows_per_s: Math.round(rowsPerS),
      baseline_rows_per_s: Math.round(baselinePerS),
      baseline_parent_rows: baseline.docs,
      ratio: Number((rowsPerS / baselinePerS).toFixed(2)),
      engine_seconds: Number(engineSeconds.toFixed(1)),
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      event_loop_p99_ms: Number((loop.percentile(99) / 1e6).toFixed(1)),
      event_loop_p99_with_start_ms: Number((whole.percentile(99) / 1e6).toFixed(1)),
      idle_event_loop_p99_ms: Number((idle.percentile(99) / 1e6).toFixed(1)),
      load_average: Number(loadavg()[0].toFixed(1)),
      checks_ok: !failed,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!options.json) for (const c of checks) log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail}`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await target.close().catch(() => undefined);
    await server.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
await main();
