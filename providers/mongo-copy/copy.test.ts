/**
 * The MongoDB copy provider end to end through the core (dispatch, prompts, worker thread) against
 * real servers: the test kit's wire-protocol servers, or MONGODB_URI when set.
 */
import { randomUUID } from 'node:crypto';
import { BSON, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, useMongo, type MongoTestServer } from '../../testkit/mongo/index';
import { createCore } from '../../main/core/app-core';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { createMongoCopyProvider } from './index';
import { everyTypeDocument } from '../../testkit/bson-samples';

type Doc = { _id: number | string | ObjectId; [key: string]: unknown };

let source: { uri: string; isReal: boolean; stop(): Promise<void> };
let target: { uri: string; isReal: boolean; stop(): Promise<void> };
let faulty: MongoTestServer | undefined;
let sourceClient: MongoClient;
let targetClient: MongoClient;

beforeAll(async () => {
  source = await useMongo();
  target = await useMongo();
  sourceClient = await new MongoClient(source.uri).connect();
  targetClient = await new MongoClient(target.uri).connect();
});
afterAll(async () => {
  await sourceClient?.close();
  await targetClient?.close();
  await faulty?.stop();
  await source?.stop();
  await target?.stop();
});

const dbName = (label: string) => `cutover_copy_${label}_${randomUUID().slice(0, 8)}`;

type Answer = (prompt: Prompt) => unknown;

/** Runs the copy action like the window does: start the job, answer each prompt as it comes. */
async function runCopy(opts: {
  sourceUri?: string;
  db: string;
  coll?: string;
  targetUri: string;
  targetDb: string;
  targetColl?: string;
  conflict?: string;
  onPrompt?: Answer;
  onStart?: (jobId: string, core: ReturnType<typeof createCore>) => void;
}) {
  const core = createCore({
    providers: [createMongoCopyProvider({ connectTimeoutMs: 3_000 })],
    shell: 'browser',
    version: 'test',
    progressThrottleMs: 50,
  });
  const prompts: Prompt[] = [];
  const snapshots: JobSnapshot[] = [];
  core.onEvent((name, payload) => {
    if (name === 'job.updated') snapshots.push(payload as JobSnapshot);
    if (name !== 'job.prompt') return;
    const prompt = payload as Prompt;
    prompts.push(prompt);
    const custom = opts.onPrompt?.(prompt);
    const value =
      custom !== undefined
        ? custom
        : prompt.kind === 'input'
          ? opts.targetUri
          : prompt.kind === 'form'
            ? {
                targetDb: opts.targetDb,
                ...(opts.coll ? { targetColl: opts.targetColl ?? opts.coll } : {}),
                conflict: opts.conflict ?? 'abort',
                verify: 'full',
              }
            : prompt.kind === 'report'
              ? prompt.actions.some((a) => a.id === 'start')
                ? 'start'
                : undefined
              : undefined;
    void core.dispatch('prompts.answer', {
      jobId: prompt.jobId,
      promptId: prompt.promptId,
      value: value === null ? undefined : value,
    });
  });
  const opened = await core.dispatch('connections.open', { uri: opts.sourceUri ?? source.uri });
  if (!opened.ok) throw new Error(opened.error.message);
  const connectionId = (opened.value as { id: string }).id;
  const started = await core.dispatch('jobs.start', {
    providerId: 'mongodb-copy',
    actionId: opts.coll ? 'copy-collection' : 'copy-database',
    context: { connectionId, databaseName: opts.db, collectionName: opts.coll },
  });
  if (!started.ok) throw new Error(started.error.message);
  const jobId = (started.value as { jobId: string }).jobId;
  opts.onStart?.(jobId, core);
  const done = await core.runner.whenDone(jobId);
  await core.shutdown();
  return { done, prompts, snapshots };
}

const exactRaw = { raw: true, sort: { _id: 1 } } as const;

describe('MongoDB copy provider', () => {
  it('copies a collection byte-exactly with its options and indexes, showing progress', async () => {
    const db = dbName('exact');
    const docs = Array.from({ length: 2_500 }, (_, i) => everyTypeDocument(i));
    await sourceClient.db(db).createCollection('things', {
      validator: { $jsonSchema: { bsonType: 'object', required: ['i'] } },
      collation: { locale: 'en', strength: 2 },
    });
    await sourceClient.db(db).collection<Doc>('things').insertMany(docs);
    await sourceClient.db(db).collection<Doc>('things').createIndex({ str: 1 }, { name: 'by_str', unique: true });
    await sourceClient
      .db(db)
      .collection<Doc>('things')
      .createIndex({ date: -1 }, { name: 'by_date', expireAfterSeconds: 3600 });

    const { done, prompts, snapshots } = await runCopy({
      db,
      coll: 'things',
      targetUri: target.uri,
      targetDb: `${db}_t`,
    });
    expect(done.state, done.summary).toBe('succeeded');
    expect(prompts.map((p) => p.kind)).toEqual(['input', 'form', 'report']);
    expect(done.docs).toBe(2_500);
    expect(done.summary).toMatch(/Copied 2,500 documents/);
    expect(snapshots.some((s) => s.phase === 'Copy')).toBe(true);

    const before = (await sourceClient
      .db(db)
      .collection<Doc>('things')
      .find({}, exactRaw)
      .toArray()) as unknown as Buffer[];
    const after = (await targetClient
      .db(`${db}_t`)
      .collection<Doc>('things')
      .find({}, exactRaw)
      .toArray()) as unknown as Buffer[];
    expect(after.length).toBe(before.length);
    for (let i = 0; i < before.length; i++) expect(Buffer.from(after[i]).equals(Buffer.from(before[i]))).toBe(true);

    const [info] = await targetClient.db(`${db}_t`).listCollections({ name: 'things' }).toArray();
    expect((info as { options: BSON.Document }).options).toMatchObject({
      validator: { $jsonSchema: { required: ['i'] } },
      collation: { locale: 'en', strength: 2 },
    });
    const indexes = await targetClient.db(`${db}_t`).collection<Doc>('things').listIndexes().toArray();
    expect(indexes.find((x) => x.name === 'by_str')).toMatchObject({ key: { str: 1 }, unique: true });
    expect(indexes.find((x) => x.name === 'by_date')).toMatchObject({ key: { date: -1 }, expireAfterSeconds: 3600 });
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  });

  it('copies a whole database, views included', async () => {
    const db = dbName('whole');
    await sourceClient
      .db(db)
      .collection<Doc>('a')
      .insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, v: i })));
    await sourceClient
      .db(db)
      .collection<Doc>('b')
      .insertMany([
        { _id: 'x1', x: 1 },
        { _id: 'x2', x: 2 },
      ]);
    await sourceClient.db(db).createCollection('a_view', { viewOn: 'a', pipeline: [{ $match: { v: { $gt: 10 } } }] });
    const { done } = await runCopy({ db, targetUri: target.uri, targetDb: `${db}_t` });
    expect(done.state, done.summary).toBe('succeeded');
    expect(await targetClient.db(`${db}_t`).collection<Doc>('a').countDocuments()).toBe(300);
    expect(await targetClient.db(`${db}_t`).collection<Doc>('b').countDocuments()).toBe(2);
    const [view] = await targetClient.db(`${db}_t`).listCollections({ name: 'a_view' }).toArray();
    expect(view).toMatchObject({ type: 'view', options: { viewOn: 'a', pipeline: [{ $match: { v: { $gt: 10 } } }] } });
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  });

  it('applies the conflict policy: abort writes nothing, skip keeps, overwrite replaces, drop recreates', async () => {
    const db = dbName('conflict');
    const t = `${db}_t`;
    await sourceClient
      .db(db)
      .collection<Doc>('c')
      .insertMany([
        { _id: 1, v: 'new' },
        { _id: 2, v: 'new' },
        { _id: 3, v: 'new' },
      ]);
    const seed = async () => {
      await targetClient
        .db(t)
        .collection<Doc>('c')
        .drop()
        .catch(() => undefined);
      await targetClient
        .db(t)
        .collection<Doc>('c')
        .insertMany([
          { _id: 1, v: 'old' },
          { _id: 9, v: 'old' },
        ]);
    };
    const state = async () =>
      (
        await targetClient
          .db(t)
          .collection<Doc>('c')
          .find({}, { sort: { _id: 1 } })
          .toArray()
      ).map((d) => `${d._id}:${d.v}`);

    await seed();
    const abort = await runCopy({ db, coll: 'c', targetUri: target.uri, targetDb: t, conflict: 'abort' });
    const report = abort.prompts.find((p) => p.kind === 'report');
    expect(report?.kind === 'report' && report.notes.find((n) => n.level === 'error')?.text).toMatch(
      /already holds 2 documents/,
    );
    expect(report?.kind === 'report' && report.actions.map((a) => a.id)).toEqual(['change']);
    expect(abort.done.state).toBe('cancelled');
    expect(await state()).toEqual(['1:old', '9:old']);

    await seed();
    const skip = await runCopy({ db, coll: 'c', targetUri: target.uri, targetDb: t, conflict: 'skip' });
    expect(skip.done.state, skip.done.summary).toBe('succeeded');
    expect(await state()).toEqual(['1:old', '2:new', '3:new', '9:old']);
    expect(skip.done.stats).toContainEqual({ label: 'Already in target (kept)', value: '1' });

    await seed();
    const overwrite = await runCopy({ db, coll: 'c', targetUri: target.uri, targetDb: t, conflict: 'overwrite' });
    expect(overwrite.done.state, overwrite.done.summary).toBe('succeeded');
    expect(await state()).toEqual(['1:new', '2:new', '3:new', '9:old']);

    await seed();
    const drop = await runCopy({ db, coll: 'c', targetUri: target.uri, targetDb: t, conflict: 'drop' });
    expect(drop.done.state, drop.done.summary).toBe('succeeded');
    expect(await state()).toEqual(['1:new', '2:new', '3:new']);
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(t).dropDatabase();
  });

  it('names the _id of a document the target refuses and says how much was copied', async () => {
    const db = dbName('dup');
    await sourceClient
      .db(db)
      .collection<Doc>('users')
      .insertMany(
        Array.from({ length: 50 }, (_, i) => ({
          _id: `u${i}`,
          email: i === 42 ? 'same@x' : i === 7 ? 'same@x' : `u${i}@x`,
        })),
      );
    await targetClient.db(`${db}_t`).createCollection('users');
    await targetClient.db(`${db}_t`).collection<Doc>('users').createIndex({ email: 1 }, { unique: true });
    const { done } = await runCopy({ db, coll: 'users', targetUri: target.uri, targetDb: `${db}_t` });
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(/document _id "u7" was refused by the target \(code 11000\)/);
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  });

  it('asks again, with a clear reason, when the target is unreachable or not MongoDB', async () => {
    const db = dbName('unreach');
    await sourceClient.db(db).collection<Doc>('c').insertOne({ _id: 1, a: 1 });
    const errors: string[] = [];
    let asked = 0;
    const { done } = await runCopy({
      db,
      coll: 'c',
      targetUri: target.uri,
      targetDb: `${db}_t`,
      onPrompt: (prompt) => {
        if (prompt.kind !== 'input') return undefined;
        if (prompt.error) errors.push(prompt.error);
        asked++;
        if (asked === 1) return 'postgres://127.0.0.1/x';
        if (asked === 2) return 'mongodb://127.0.0.1:1/';
        return null; // dismiss
      },
    });
    expect(errors[0]).toMatch(/must be a MongoDB-compatible server/);
    expect(errors[1]).toMatch(/Could not reach 127\.0\.0\.1:1: the connection was refused/);
    expect(done.state).toBe('cancelled');
    await sourceClient.db(db).dropDatabase();
  }, 20_000);
});

describe.skipIf(!!process.env.MONGODB_URI)('MongoDB copy under injected faults (test server only)', () => {
  it('survives throttling (16500) and a dropped connection with nothing lost', async () => {
    faulty = await startMongoTestServer();
    const db = dbName('faults');
    await sourceClient
      .db(db)
      .collection<Doc>('c')
      .insertMany(Array.from({ length: 5_000 }, (_, i) => ({ _id: i, pad: 'x'.repeat(200) })));
    faulty.faults.failNextWrites(2, 16500);
    const { done } = await runCopy({
      db,
      coll: 'c',
      targetUri: faulty.uri,
      targetDb: db,
      onStart: () => setTimeout(() => faulty!.faults.closeAllConnections(), 30),
    });
    expect(done.state, done.summary).toBe('succeeded');
    const check = await new MongoClient(faulty.uri).connect();
    expect(await check.db(db).collection<Doc>('c').countDocuments()).toBe(5_000);
    expect(done.warnings.some((w) => /transient error|throttling/i.test(w))).toBe(true);
    await check.close();
    await sourceClient.db(db).dropDatabase();
  }, 30_000);

  it('names the _id of a document larger than the target stores (a Cosmos DB-like 2 MB limit) and keeps what was copied', async () => {
    const small = await startMongoTestServer({ maxDocumentBytes: 2 * 1024 * 1024 });
    const db = dbName('toolarge');
    const docs: Doc[] = Array.from({ length: 40 }, (_, i) => ({ _id: i, pad: 'x'.repeat(100) }));
    docs[30] = { _id: 'big', pad: 'y'.repeat(3 * 1024 * 1024) };
    await sourceClient.db(db).collection<Doc>('c').insertMany(docs);
    const { done, prompts } = await runCopy({ db, coll: 'c', targetUri: small.uri, targetDb: db });
    const report = prompts.find((p) => p.kind === 'report');
    expect(report?.kind === 'report' && report.notes.map((n) => n.text)).toContainEqual(
      'The target stores documents of up to 2 MB (MongoDB: 16 MB); larger ones will be refused and named by _id.',
    );
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /document _id "big" was refused by the target \(code 10334\): object to insert too large/,
    );
    const check = await new MongoClient(small.uri).connect();
    // Unordered writes: every other document of the batch is in, and a re-run (drop or skip) completes the copy.
    expect(await check.db(db).collection<Doc>('c').countDocuments()).toBe(39);
    await check.close();
    await small.stop();
    await sourceClient.db(db).dropDatabase();
  }, 30_000);

  it('cancel stops promptly and says how much was copied', async () => {
    const slow = await startMongoTestServer();
    const db = dbName('cancel');
    await sourceClient
      .db(db)
      .collection<Doc>('c')
      .insertMany(Array.from({ length: 20_000 }, (_, i) => ({ _id: i })));
    slow.faults.setLatency(40);
    const started = Date.now();
    const { done } = await runCopy({
      db,
      coll: 'c',
      targetUri: slow.uri,
      targetDb: db,
      onStart: (jobId, core) => {
        const timer = setInterval(() => {
          const snap = core.runner.list().find((s) => s.jobId === jobId);
          if (snap && snap.docs >= 1000) {
            clearInterval(timer);
            void core.dispatch('jobs.cancel', { jobId });
          }
        }, 20);
      },
    });
    expect(done.state).toBe('cancelled');
    expect(done.summary).toMatch(/Cancelled\. [\d,]+ of 20,000 documents were copied/);
    expect(Date.now() - started).toBeLessThan(15_000);

    // The same copy again (default policy "stop if the target has data"): its own documents do not stop it; it resumes.
    slow.faults.setLatency(0);
    const again = await runCopy({ db, coll: 'c', targetUri: slow.uri, targetDb: db });
    expect(again.done.state, again.done.summary).toBe('succeeded');
    expect(again.done.stats?.find((s) => s.label === 'Resumed')?.value).toMatch(/^yes/);
    const check = await new MongoClient(slow.uri).connect();
    expect(await check.db(db).collection<Doc>('c').countDocuments()).toBe(20_000);
    await check.close();
    await slow.stop();
    await sourceClient.db(db).dropDatabase();
  }, 30_000);
});
