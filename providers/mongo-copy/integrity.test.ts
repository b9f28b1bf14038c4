/**
 * What a copy reports is what the target holds. The target losing data mid-run (its server replaced by an
 * empty one, the checkpoint store or the target collection dropped), a target that keeps fewer documents
 * than it acknowledged, and a verification that finds documents missing all end the copy as failed, with
 * a headline that says what is wrong and never "Copied N".
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, useMongo, type MongoTestServer } from '../../testkit/mongo/index';
import { startLatencyProxy, type LatencyProxy } from '../../testkit/latency-proxy';
import { createCore } from '../../main/core/app-core';
import type { JobSnapshot } from '../../preload/contract';
import { META_DB } from './checkpoints';
import { CopyError, runCopy, type CopyControl, type CopyEvents } from './engine';
import { createMongoCopyProvider } from './index';
import type { ConflictPolicy, CopyRequest } from './plan';
import { startCopyJob } from './run-job';
import { runCli } from '../../testkit/run-cli';

let source: { uri: string; stop(): Promise<void> };
let target: { uri: string; stop(): Promise<void> };
let sourceClient: MongoClient;
let targetClient: MongoClient;
let dataDir: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  source = await useMongo();
  target = await useMongo();
  sourceClient = await new MongoClient(source.uri).connect();
  targetClient = await new MongoClient(target.uri).connect();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-integrity-'));
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await sourceClient?.close();
  await targetClient?.close();
  await source?.stop();
  await target?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const dbName = (label: string) => `cutover_integrity_${label}_${randomUUID().slice(0, 8)}`;

async function seed(db: string, n: number) {
  await sourceClient
    .db(db)
    .collection<{ _id: number }>('c')
    .insertMany(Array.from({ length: n }, (_, i) => ({ _id: i, pad: 'x'.repeat(100) })));
}

function request(db: string, overrides: Partial<CopyRequest> = {}): CopyRequest {
  return {
    jobKey: `test-${db}`,
    sourceUri: source.uri,
    targetUri: target.uri,
    namespaces: [{ sourceDb: db, sourceColl: 'c', targetDb: `${db}_t`, targetColl: 'c', kind: 'collection' }],
    conflict: 'abort',
    load: 'low',
    indexes: 'after',
    verify: 'none',
    batchDocs: 100,
    ...overrides,
  };
}

const quiet: CopyEvents = { phase: () => undefined, namespace: () => undefined, warn: () => undefined };

/** Runs the engine in this process; `beforeBatch(n)` runs before the n-th batch is read and written (1-based). */
function runWithHook(req: CopyRequest, beforeBatch: (n: number) => Promise<void>) {
  let batches = 0;
  const control: CopyControl = { isCancelled: () => false, whenRunnable: () => beforeBatch(++batches) };
  return runCopy(req, quiet, control);
}

/** Runs a copy through the core as the window does (every choice given up front) and returns its end. */
async function copyThroughProvider(opts: {
  db: string;
  targetUri?: string;
  conflict?: ConflictPolicy;
  verify?: string;
  batchDocs?: number;
  onUpdate?: (snapshot: JobSnapshot) => void;
}) {
  const core = createCore({
    providers: [createMongoCopyProvider({ connectTimeoutMs: 3_000 })],
    shell: 'browser',
    version: 'test',
    progressThrottleMs: 50,
  });
  core.onEvent((name, payload) => {
    if (name === 'job.updated') opts.onUpdate?.(payload as JobSnapshot);
  });
  const opened = await core.dispatch('connections.open', { uri: source.uri });
  if (!opened.ok) throw new Error(opened.error.message);
  const extendedProperties: Record<string, string> = {
    targetUri: opts.targetUri ?? target.uri,
    targetDb: `${opts.db}_t`,
    conflict: opts.conflict ?? 'abort',
    verify: opts.verify ?? 'full',
    confirm: 'yes',
  };
  if (opts.batchDocs) extendedProperties.batchDocs = String(opts.batchDocs);
  const started = await core.dispatch('jobs.start', {
    providerId: 'mongodb-copy',
    actionId: 'copy-collection',
    context: {
      connectionId: (opened.value as { id: string }).id,
      databaseName: opts.db,
      collectionName: 'c',
      extendedProperties,
    },
  });
  if (!started.ok) throw new Error(started.error.message);
  const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
  await core.shutdown();
  return done;
}

describe('the copy notices when the target loses what it wrote', () => {
  it('a checkpoint write that matches nothing fails the copy, naming the checkpoint store that vanished', async () => {
    const db = dbName('lostcp');
    await seed(db, 1_000);
    const run = runWithHook(request(db), async (n) => {
      if (n === 3)
        await targetClient
          .db(META_DB)
          .collection('partitions')
          .deleteMany({ job: `test-${db}` });
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CopyError);
    expect((error as CopyError).message).toMatch(
      new RegExp(
        `^The target lost the copy's checkpoints: the checkpoint of ${db}_t\\.c \\(partition number-0\\) in __cutover\\.partitions is gone\\.`,
      ),
    );
    expect((error as CopyError).outcome.targetLost).toBe(true);
    // The documents themselves are still there: only the checkpoints are named.
    expect((error as CopyError).message).not.toMatch(/On the target now/);
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  });

  it('a job record that vanished fails the copy at its next step, naming it', async () => {
    const db = dbName('lostjob');
    await seed(db, 300);
    // The whole checkpoint store goes after the data: the namespace's "copied" mark finds no job record.
    const run = runWithHook(request(db), async (n) => {
      if (n === 3)
        await targetClient
          .db(META_DB)
          .collection('jobs')
          .deleteOne({ _id: `test-${db}` as never });
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      new RegExp(`this copy's job record in __cutover\\.jobs \\(_id "test-${db}"\\) is gone`),
    );
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  });

  it('the count check fails a copy whose target collection was dropped mid-run, even with verification off', async () => {
    for (const conflict of ['abort', 'skip'] as const) {
      const db = dbName(`dropped_${conflict}`);
      await seed(db, 3_000);
      const outcome = await runWithHook(request(db, { conflict }), async (n) => {
        // Two batches of 100 are in; the collection goes, and the next writes recreate it.
        if (n === 3) await targetClient.db(`${db}_t`).collection('c').drop();
      });
      expect(outcome.namespaces[0]).toMatchObject({ docs: 3_000, status: 'done' });
      expect(outcome.verification).toBeUndefined();
      expect(outcome.counts).toHaveLength(1);
      expect(outcome.counts![0]).toMatchObject({ ok: false, target: 2_800, written: 3_000, counted: true });
      expect(outcome.counts![0].sentence).toBe(
        conflict === 'abort'
          ? `${db}_t.c holds 2,800 documents on the target, but 3,000 documents were written to it.`
          : `${db}_t.c holds 2,800 documents on the target, fewer than the 3,000 it must hold (3,000 documents written to it).`,
      );
      await sourceClient.db(db).dropDatabase();
      await targetClient.db(`${db}_t`).dropDatabase();
    }
  });

  it('a target that keeps fewer documents than it acknowledged fails the copy: the headline says what is missing', async () => {
    const db = dbName('capped');
    await seed(db, 3);
    // An existing, empty, capped target collection (kept as it is) that holds at most 2 documents.
    await targetClient.db(`${db}_t`).createCollection('c', { capped: true, size: 100_000, max: 2 });
    const done = await copyThroughProvider({ db, verify: 'full' });
    expect(done.state).toBe('failed');
    expect(done.summary).not.toMatch(/Copied/);
    expect(done.summary).toBe(
      `The copy of ${db}.c to ${new URL(target.uri).host} failed its checks. ${db}_t.c holds 2 documents on the target, but 3 documents were written to it. ` +
        `Verification: 1 of 3 checked documents is missing in the target (${db}_t.c: 1); counts differ (${db}_t.c: source 3, target 2); 1 index or option differs. The target is not a faithful copy: see below.`,
    );
    expect(done.stats).toContainEqual({ label: 'Documents written', value: '3' });
    expect(done.stats).toContainEqual({ label: 'Count check', value: 'failed for 1 of 1 collections' });
    expect(done.details).toContainEqual({ title: `${db}_t.c: missing in the target (1)`, items: ['0'] });
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  }, 30_000);

  it.each(['abort', 'skip'] as const)(
    'a failed verification is the headline (policy %s): the outcome is failed and the summary says what is missing',
    async (conflict) => {
      const db = dbName(`verify_${conflict}`);
      await seed(db, 5_000);
      // The target behind a slow link, so the copy is still running when the source changes.
      const slow = await startLatencyProxy(target.uri, { delayMs: 20 });
      cleanups.push(() => slow.stop());
      let planted: Promise<unknown> | undefined;
      const done = await copyThroughProvider({
        db,
        targetUri: slow.uri,
        conflict,
        batchDocs: 100,
        onUpdate: (snapshot) => {
          // The copy has read past _id 0: a document added below it now is never copied (a source written during the copy).
          if (!planted && snapshot.docs > 0 && snapshot.state === 'running')
            planted = sourceClient
              .db(db)
              .collection<{ _id: number; pad: string }>('c')
              .insertOne({ _id: -1, pad: 'late' });
        },
      });
      await planted;
      expect(planted).toBeDefined();
      expect(done.state).toBe('failed');
      expect(done.summary).not.toMatch(/Copied/);
      // With "skip" the target may hold other documents, so counts may differ; a missing document is a failure all the same.
      const counts = conflict === 'abort' ? `; counts differ (${db}_t.c: source 5,001, target 5,000)` : '';
      expect(done.summary).toBe(
        `The copy of ${db}.c to ${new URL(slow.uri).host} failed its checks. Verification: 1 of 5,001 checked documents is missing in the target (${db}_t.c: 1)${counts}. ` +
          'The target is not a faithful copy: see below.',
      );
      // What the job wrote is on the target: the count check passed, the verification found the gap.
      expect(done.stats).toContainEqual({ label: 'Count check', value: 'passed: 1 collection holds what was written' });
      expect(done.stats).toContainEqual({
        label: 'Verification (full)',
        value: 'failed: 1 missing, 0 different of 5,001 checked documents',
      });
      expect(done.details).toContainEqual({ title: `${db}_t.c: missing in the target (1)`, items: ['-1'] });
      await sourceClient.db(db).dropDatabase();
      await targetClient.db(`${db}_t`).dropDatabase();
    },
    60_000,
  );
});

/** Replaces `server` by an empty one on the same port once the target holds `after` documents of `ns`. */
async function replaceWhenWritten(server: MongoTestServer, db: string, after: number): Promise<MongoTestServer> {
  const watcher = await new MongoClient(server.uri, { serverSelectionTimeoutMS: 2_000 }).connect();
  try {
    for (;;) {
      if ((await watcher.db(db).collection('c').estimatedDocumentCount()) >= after) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await watcher.close();
  }
  await server.stop();
  return startMongoTestServer({ port: server.port });
}

describe.skipIf(!!process.env.MONGODB_URI)(
  'the target server replaced by an empty one mid-copy (test server only)',
  () => {
    let slow: LatencyProxy | undefined;
    const servers: MongoTestServer[] = [];
    afterAll(async () => {
      await slow?.stop();
      for (const s of servers) await s.stop();
    });

    it('the engine fails, naming the checkpoint store that vanished; it never reports the copy as done', async () => {
      const db = dbName('replaced');
      await seed(db, 20_000);
      const first = await startMongoTestServer();
      servers.push(first);
      slow = await startLatencyProxy(first.uri, { delayMs: 10 });
      const handle = startCopyJob(
        request(db, { targetUri: slow.uri, batchDocs: 500, verify: 'none' }),
        quiet,
        new AbortController().signal,
      );
      const ended = handle.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      servers.push(await replaceWhenWritten(first, `${db}_t`, 2_000));
      const error = await ended;
      expect(error).toBeInstanceOf(CopyError);
      expect((error as CopyError).message).toMatch(
        /^The target lost the copy's checkpoints: (the checkpoint of .* in __cutover\.partitions|this copy's job record in __cutover\.jobs .*) is gone\./,
      );
      // …and what the target holds now, against what was written.
      expect((error as CopyError).message).toMatch(
        new RegExp(
          `On the target now: ${db}_t\\.c (holds [\\d,]+ documents? on the target|is gone from the target), but [\\d,]+ documents were written to it\\.$`,
        ),
      );
      expect((error as CopyError).outcome.targetLost).toBe(true);
      await slow.stop();
      slow = undefined;
      await sourceClient.db(db).dropDatabase();
    }, 60_000);

    it('the CLI with --verify none exits 1 and says the target lost the copy, not "Copied N"', async () => {
      const db = dbName('cli_replaced');
      await seed(db, 30_000);
      const first = await startMongoTestServer();
      servers.push(first);
      slow = await startLatencyProxy(first.uri, { delayMs: 10 });
      const args = [
        'copy',
        '--from',
        source.uri,
        '--to',
        slow.uri,
        '--db',
        db,
        '--collection',
        'c',
        '--target-db',
        `${db}_t`,
        '--verify',
        'none',
        '--load',
        'low',
        '--json',
      ];
      const run = runCli(args, { env: { ...process.env, CUTOVER_DATA_DIR: dataDir } });
      servers.push(await replaceWhenWritten(first, `${db}_t`, 3_000));
      const { code, stdout, stderr } = await run;
      expect(code, stdout + stderr).toBe(1);
      const summary = JSON.parse(stdout);
      expect(summary).toMatchObject({ ok: false, state: 'failed' });
      expect(summary.summary).toMatch(
        /^The target lost the copy's checkpoints: .* is gone\. .*Nothing is reported as copied and the copy cannot be resumed: run it again with "drop the target collection first"/,
      );
      expect(summary.summary).toMatch(
        new RegExp(
          `On the target now: ${db}_t\\.c (holds [\\d,]+ documents? on the target|is gone from the target), but [\\d,]+ documents were written to it\\.`,
        ),
      );
      expect(summary.summary).not.toMatch(/Copied/);
      await sourceClient.db(db).dropDatabase();
    }, 90_000);
  },
);
