/**
 * Crash and resume: the relational worker is killed mid-job (as a crash or a killed app would), the same
 * job runs again and carries on from the checkpoints on the target; every document ends up present exactly
 * once with all its embedded children. Also pause / resume and cancel between batches.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { startLatencyProxy, type LatencyProxy } from '../../testkit/latency-proxy';
import type { CollectionResult, RelationalEvents, RelationalRequest } from './engine';
import { MAPPING_FORMAT } from './mapping';
import { startRelationalJob } from './run-job';
import { pgScratch, type PgScratch } from './test-helpers';

let mongo: { uri: string; stop(): Promise<void> };
let client: MongoClient;
let slow: LatencyProxy;
let pgdb: PgScratch;
const dbs: string[] = [];
const PARENTS = 20_000;

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri).connect();
  slow = await startLatencyProxy(mongo.uri, { delayMs: 20 });
  pgdb = await pgScratch();
  await pgdb.exec(`CREATE TABLE parent (id int PRIMARY KEY, name text)`);
  await pgdb.exec(`CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), v int)`);
  await pgdb.exec(`INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, ${PARENTS}) g`);
  await pgdb.exec(`INSERT INTO child SELECT g, (g - 1) / 3 + 1, g FROM generate_series(1, ${PARENTS * 3}) g`);
}, 60_000);
afterAll(async () => {
  for (const db of dbs)
    await client
      ?.db(db)
      .dropDatabase()
      .catch(() => undefined);
  await client?.close();
  await slow?.stop();
  await mongo?.stop();
  await pgdb?.drop();
});

function request(targetUri: string, targetDb: string, overrides: Partial<RelationalRequest> = {}): RelationalRequest {
  const s = pgdb.schema;
  return {
    jobKey: `relational-test-${targetDb}`,
    dialect: 'postgres',
    sourceUri: pgdb.uri,
    schemas: [s],
    targetUri,
    targetDb,
    mapping: {
      format: MAPPING_FORMAT,
      version: 1,
      tables: { [`${s}.child`]: { include: false } },
      relations: { [`${s}.child:child_parent_id_fkey`]: { kind: 'children', field: 'children' } },
    },
    snapshot: 'parallel',
    conflict: 'abort',
    verify: 'sample',
    sampleSize: 500,
    batchDocs: 200,
    ...overrides,
  };
}

function recorder() {
  const rows: CollectionResult[] = [];
  const events: RelationalEvents = { phase: () => undefined, collection: (r) => rows.push(r), warn: () => undefined };
  return { rows, events };
}

const until = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });

describe('relational job: crash, resume, pause, cancel', () => {
  it('resumes after the worker is killed: every document exactly once, with all its children', async () => {
    const db = `rel_resume_${randomBytes(4).toString('hex')}`;
    dbs.push(db);
    const first = recorder();
    const handle = startRelationalJob(request(slow.uri, db), first.events, new AbortController().signal);
    await until(() => (first.rows.at(-1)?.docs ?? 0) >= 4_000);
    await handle.kill();
    await handle.done.catch(() => undefined);
    const written = await client.db(db).collection('parent').countDocuments();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(PARENTS);

    const second = recorder();
    const outcome = await startRelationalJob(request(mongo.uri, db), second.events, new AbortController().signal).done;
    expect(outcome.resumed).toBe(true);
    // It carried on from the checkpoint: its first report already counts the earlier documents.
    expect(second.rows.find((r) => r.status === 'running')!.docs).toBeGreaterThanOrEqual(written - 2 * 200);
    expect(outcome.collections[0]).toMatchObject({ key: 'parent', status: 'done', docs: PARENTS });
    const docs = await client
      .db(db)
      .collection('parent')
      .find({}, { projection: { children: 1 } })
      .toArray();
    expect(docs.length).toBe(PARENTS);
    expect(new Set(docs.map((d) => d._id)).size).toBe(PARENTS);
    expect(
      docs.every(
        (d) =>
          d.children.length === 3 &&
          d.children.every((c: { parent_id: number }) => c.parent_id === (d._id as unknown as number)),
      ),
    ).toBe(true);
    expect(outcome.verification?.[0]).toMatchObject({
      sourceRows: PARENTS,
      targetDocs: PARENTS,
      checked: 500,
      missing: [],
      different: [],
    });
  }, 120_000);

  it('pauses between batches, resumes, and cancels leaving a resumable job', async () => {
    const db = `rel_pause_${randomBytes(4).toString('hex')}`;
    dbs.push(db);
    const { rows, events } = recorder();
    const abort = new AbortController();
    const handle = startRelationalJob(request(slow.uri, db, { verify: 'none' }), events, abort.signal);
    await until(() => (rows.at(-1)?.docs ?? 0) > 0);
    handle.pause();
    await new Promise((r) => setTimeout(r, 300));
    const atPause = rows.at(-1)!.docs;
    await new Promise((r) => setTimeout(r, 500));
    expect(rows.at(-1)!.docs - atPause).toBeLessThanOrEqual(2 * 200); // at most the batches already in flight
    handle.resume();
    await until(() => (rows.at(-1)?.docs ?? 0) > atPause + 400);
    abort.abort();
    const outcome = await handle.done;
    expect(outcome.cancelled).toBe(true);
    expect(outcome.collections[0].docs).toBeLessThan(PARENTS);
    const resumed = await startRelationalJob(request(mongo.uri, db), recorder().events, new AbortController().signal)
      .done;
    expect(resumed).toMatchObject({ resumed: true, cancelled: false });
    expect(await client.db(db).collection('parent').countDocuments()).toBe(PARENTS);
  }, 120_000);
});
