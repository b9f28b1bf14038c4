/**
 * Pause and resume of an export through the core (the job's Pause reaches the worker, which holds
 * between batches): progress stops while paused and the file is complete after resuming. The server is
 * behind a slow link so the export is still running when it is paused. And an export onto a full disk.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, symlinkSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLatencyProxy, type LatencyProxy } from '../../testkit/latency-proxy';
import { useMongo, type UsedMongo } from '../../testkit/mongo/index';
import { runFilesAction, startFilesAction, tempDir } from './test-helpers';

let mongo: UsedMongo;
let client: MongoClient;
let slow: LatencyProxy;
let dir: string;
const db = `cutover_files_ex_${randomUUID().slice(0, 8)}`;
const DOCS = 30_000;

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri).connect();
  slow = await startLatencyProxy(mongo.uri, { delayMs: 50 });
  dir = await tempDir('export');
  await client
    .db(db)
    .collection('big')
    .insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: i, v: 'x'.repeat(50) })) as never[]);
});
afterAll(async () => {
  if (mongo?.isReal) await client.db(db).dropDatabase();
  await client?.close();
  await slow?.stop();
  await mongo?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
    await sleep(2);
  }
}

describe('export pause', () => {
  it('Pause stops the export between batches (no progress, the file not finished); Resume finishes it with every document', async () => {
    const out = path.join(dir, 'big.ndjson');
    const job = await startFilesAction({
      uri: slow.uri,
      db,
      coll: 'big',
      action: 'export',
      dataDir: dir,
      presets: { out, format: 'ndjson', confirm: 'yes' },
    });
    await until(() => job.snapshot().docs > 0, 'the export has started');
    const paused = await job.core.dispatch('jobs.pause', { jobId: job.jobId });
    expect(paused.ok).toBe(true);
    expect(job.snapshot().state).toBe('paused');

    await sleep(500); // the batch in hand, and at most the next one, are finished
    const atPause = job.snapshot().docs;
    await sleep(1_000);
    expect(job.snapshot().docs).toBe(atPause);
    expect(atPause % 1_000).toBe(0); // held at a batch boundary
    expect(atPause).toBeLessThan(DOCS);
    expect(existsSync(`${out}.partial`)).toBe(true);
    expect(existsSync(out)).toBe(false);

    expect((await job.core.dispatch('jobs.resume', { jobId: job.jobId })).ok).toBe(true);
    const done = await job.done;
    expect(done.state, done.summary).toBe('succeeded');
    expect(done.docs).toBe(DOCS);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(DOCS);
    expect(lines.map((line) => (JSON.parse(line) as { _id: { $numberInt: string } })._id.$numberInt)).toEqual(
      Array.from({ length: DOCS }, (_, i) => String(i)),
    );
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, 60_000);
});

// /dev/full answers every write with ENOSPC, as a full disk does: the export's .partial file points there.
describe.skipIf(!existsSync('/dev/full'))('export onto a full disk', () => {
  it.each([
    ['JSON Lines', 'ndjson', 'full.ndjson', 'full.ndjson'],
    ['JSON Lines, gzip', 'ndjson', 'full.ndjson.gz', 'full.ndjson.gz'],
    ['mongodump', 'mongodump', 'dump-full', path.join('dump-full', db, 'big.bson')],
  ])(
    '%s: fails promptly, says the disk is full, leaves no partial file',
    async (_label, format, name, written) => {
      const out = path.join(dir, name);
      const file = path.join(dir, written);
      await mkdir(path.dirname(file), { recursive: true });
      symlinkSync('/dev/full', `${file}.partial`);
      const { done } = await runFilesAction({
        uri: mongo.uri,
        db,
        coll: 'big',
        action: 'export',
        dataDir: dir,
        presets: { out, format, confirm: 'yes' },
      });
      expect(done.state).toBe('failed');
      expect(done.summary).toContain(`writing ${file}.partial failed: the disk is full`);
      expect(() => lstatSync(`${file}.partial`)).toThrow(/ENOENT/);
      expect(existsSync(file)).toBe(false);
    },
    30_000,
  );
});
