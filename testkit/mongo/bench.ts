/**
 * Benchmark (not a test): `npm run bench:testkit [-- --docs 200000 --size 1024]`
 *
 * Runs the server in a forked child process (so its RSS is measurable on its own), inserts N
 * documents of ~1 KB with insertMany (batches of 1000), then reads them all back with a full
 * cursor read, once with `raw: true` and once with normal decoding. Prints a JSON line.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { BSON, MongoClient, ObjectId } from 'mongodb';
import { startMongoTestServer } from './server.js';

type ChildMsg =
  | { type: 'ready'; port: number }
  | { type: 'rss'; rss: number; heapUsed: number; external: number; arrayBuffers: number }
  | { type: 'cpu'; micros: number };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function serve(): Promise<void> {
  const server = await startMongoTestServer({ port: 0 });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'rss') {
      gc?.();
      gc?.();
      const u = process.memoryUsage();
      process.send?.({
        type: 'rss',
        rss: u.rss,
        heapUsed: u.heapUsed,
        external: u.external,
        arrayBuffers: u.arrayBuffers,
      } satisfies ChildMsg);
    } else if (m.type === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: u.user + u.system } satisfies ChildMsg);
    } else if (m.type === 'stop') {
      void server.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', port: server.port } satisfies ChildMsg);
}

function request(child: ChildProcess, type: string): Promise<ChildMsg> {
  return new Promise((resolve) => {
    const on = (m: ChildMsg): void => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send({ type });
  });
}

async function bench(): Promise<void> {
  const total = arg('--docs', 200_000);
  const docSize = arg('--size', 1024);
  const batch = 1000;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ChildMsg>((resolve) => child.once('message', (m: ChildMsg) => resolve(m)));
  if (ready.type !== 'ready') throw new Error('server did not start');
  const baseline = (await request(child, 'rss')) as Extract<ChildMsg, { type: 'rss' }>;
  const client = new MongoClient(`mongodb://127.0.0.1:${ready.port}/`, { maxPoolSize: 10 });
  await client.connect();
  const coll = client.db('bench').collection('docs');

  // ~docSize bytes per document
  const filler = 'x'.repeat(Math.max(0, docSize - 120));
  const makeDoc = (i: number) => ({
    _id: new ObjectId(),
    i,
    name: `doc-${i}`,
    at: new Date(1700000000000 + i),
    tags: ['a', 'b', 'c'],
    nested: { n: i % 97, ok: true },
    filler,
  });
  const sample = BSON.serialize(makeDoc(0)).length;
  const batches: Array<ReturnType<typeof makeDoc>[]> = [];
  for (let i = 0; i < total; i += batch)
    batches.push(Array.from({ length: Math.min(batch, total - i) }, (_, k) => makeDoc(i + k)));

  const cpu = async (): Promise<{ server: number; client: number }> => {
    const m = (await request(child, 'cpu')) as Extract<ChildMsg, { type: 'cpu' }>;
    const u = process.cpuUsage();
    return { server: m.micros / 1e6, client: (u.user + u.system) / 1e6 };
  };
  const cpuDelta = (a: { server: number; client: number }, b: { server: number; client: number }) => ({
    serverCpuSec: Math.round((b.server - a.server) * 100) / 100,
    clientCpuSec: Math.round((b.client - a.client) * 100) / 100,
  });

  let c0 = await cpu();
  let t = performance.now();
  for (const b of batches) await coll.insertMany(b, { ordered: true });
  const insertSec = (performance.now() - t) / 1000;
  const insertCpu = cpuDelta(c0, await cpu());
  batches.length = 0;

  const afterInsert = (await request(child, 'rss')) as Extract<ChildMsg, { type: 'rss' }>;
  const rawDataBytes = sample * total;

  c0 = await cpu();
  t = performance.now();
  let n = 0;
  for await (const d of coll.find({}, { raw: true })) n += d ? 1 : 0;
  const rawReadSec = (performance.now() - t) / 1000;
  const rawReadCpu = cpuDelta(c0, await cpu());
  if (n !== total) throw new Error(`raw read returned ${n} documents, expected ${total}`);

  c0 = await cpu();
  t = performance.now();
  n = 0;
  for await (const d of coll.find({})) n += d ? 1 : 0;
  const readSec = (performance.now() - t) / 1000;
  const readCpu = cpuDelta(c0, await cpu());
  if (n !== total) throw new Error(`read returned ${n} documents, expected ${total}`);

  const afterRead = (await request(child, 'rss')) as Extract<ChildMsg, { type: 'rss' }>;
  await client.close();
  child.send({ type: 'stop' });
  await new Promise((r) => child.once('exit', r));

  const mb = (x: number): number => Math.round((x / 1048576) * 10) / 10;
  const result = {
    docs: total,
    docBytes: sample,
    rawDataMB: mb(rawDataBytes),
    insertDocsPerSec: Math.round(total / insertSec),
    readRawDocsPerSec: Math.round(total / rawReadSec),
    readDecodedDocsPerSec: Math.round(total / readSec),
    serverBaselineRssMB: mb(baseline.rss),
    serverRssAfterInsertMB: mb(afterInsert.rss),
    serverRssAfterReadMB: mb(afterRead.rss),
    rssToRawRatio: Math.round((afterInsert.rss / rawDataBytes) * 100) / 100,
    rssGrowthToRawRatio: Math.round(((afterInsert.rss - baseline.rss) / rawDataBytes) * 100) / 100,
    serverArrayBuffersMB: mb(afterInsert.arrayBuffers),
    cpu: { insert: insertCpu, readRaw: rawReadCpu, readDecoded: readCpu },
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
  process.stdout.write(
    `insert: ${result.insertDocsPerSec} docs/s, read raw: ${result.readRawDocsPerSec} docs/s, read decoded: ${result.readDecodedDocsPerSec} docs/s, ` +
      `server RSS ${result.serverRssAfterInsertMB} MB for ${result.rawDataMB} MB raw (${result.rssToRawRatio}x)\n`,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv.includes('--serve')) void serve();
else
  bench().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
