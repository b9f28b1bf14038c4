/**
 * Empty collections and databases that hold only views copy like any other: the collection is created on
 * the target with its options (capped, validator) and indexes, and counted as 0 documents. Through the
 * engine (worker), the provider (core) and the CLI (a real process).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { createCore } from '../../main/core/app-core';
import type { Prompt } from '../../preload/contract';
import { createMongoCopyProvider } from './index';
import type { CopyEvents } from './engine';
import { startCopyJob } from './run-job';
import type { CopyRequest, NamespaceSpec } from './plan';
import { runCli } from '../../testkit/run-cli';

let source: { uri: string; stop(): Promise<void> };
let target: { uri: string; stop(): Promise<void> };
let sourceClient: MongoClient;
let targetClient: MongoClient;
let dataDir: string;

beforeAll(async () => {
  source = await useMongo();
  target = await useMongo();
  sourceClient = await new MongoClient(source.uri).connect();
  targetClient = await new MongoClient(target.uri).connect();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-empty-'));
});
afterAll(async () => {
  await sourceClient?.close();
  await targetClient?.close();
  await source?.stop();
  await target?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const dbName = (label: string) => `cutover_empty_${label}_${randomUUID().slice(0, 8)}`;

/** A database with one empty collection of each kind, and one with a document. */
async function seedEmpties(db: string) {
  const d = sourceClient.db(db);
  await d.createCollection('plain');
  await d.createCollection('capped', { capped: true, size: 4096, max: 10 });
  await d.createCollection('validated', { validator: { $jsonSchema: { bsonType: 'object', required: ['x'] } } });
  await d.createCollection('indexed');
  await d.collection('indexed').createIndex({ k: 1 }, { name: 'k_1', unique: true });
  await d.collection<{ _id: number }>('one').insertOne({ _id: 1, a: 1 } as never);
}

/** What the target holds: per collection its options, index names and document count. */
async function describeDb(client: MongoClient, db: string): Promise<Record<string, Document>> {
  const out: Record<string, Document> = {};
  for (const info of await client.db(db).listCollections().toArray()) {
    const options = (info as { options?: Document }).options ?? {};
    if (info.type === 'view') {
      out[info.name] = { view: options };
      continue;
    }
    const indexes = (await client.db(db).collection(info.name).listIndexes().toArray()).map((i) => i.name).sort();
    out[info.name] = { options, indexes, docs: await client.db(db).collection(info.name).countDocuments() };
  }
  return out;
}

const EXPECTED_EMPTIES = {
  plain: { options: {}, indexes: ['_id_'], docs: 0 },
  capped: { options: { capped: true, size: 4096, max: 10 }, indexes: ['_id_'], docs: 0 },
  validated: {
    options: { validator: { $jsonSchema: { bsonType: 'object', required: ['x'] } } },
    indexes: ['_id_'],
    docs: 0,
  },
  indexed: { options: {}, indexes: ['_id_', 'k_1'], docs: 0 },
  one: { options: {}, indexes: ['_id_'], docs: 1 },
};

/** Runs a database copy through the core, as the window does, every choice given up front. */
async function copyDatabase(db: string, targetDb: string, presets: Record<string, string> = {}) {
  const core = createCore({
    providers: [createMongoCopyProvider({ connectTimeoutMs: 3_000 })],
    shell: 'browser',
    version: 'test',
    progressThrottleMs: 50,
  });
  const prompts: Prompt[] = [];
  core.onEvent((name, payload) => {
    if (name !== 'job.prompt') return;
    prompts.push(payload as Prompt);
    void core.dispatch('prompts.answer', { jobId: (payload as Prompt).jobId, promptId: (payload as Prompt).promptId });
  });
  const opened = await core.dispatch('connections.open', { uri: source.uri });
  if (!opened.ok) throw new Error(opened.error.message);
  const started = await core.dispatch('jobs.start', {
    providerId: 'mongodb-copy',
    actionId: 'copy-database',
    context: {
      connectionId: (opened.value as { id: string }).id,
      databaseName: db,
      extendedProperties: { targetUri: target.uri, targetDb, confirm: 'yes', ...presets },
    },
  });
  if (!started.ok) throw new Error(started.error.message);
  const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
  await core.shutdown();
  return { done, prompts };
}

describe('copying empty collections', () => {
  it('the engine creates each empty collection with its options and indexes and counts it as 0 documents', async () => {
    const db = dbName('engine');
    await seedEmpties(db);
    const namespaces: NamespaceSpec[] = ['capped', 'indexed', 'one', 'plain', 'validated'].map((coll) => ({
      sourceDb: db,
      sourceColl: coll,
      targetDb: `${db}_t`,
      targetColl: coll,
      kind: 'collection',
    }));
    const request: CopyRequest = {
      jobKey: `test-${db}`,
      sourceUri: source.uri,
      targetUri: target.uri,
      namespaces,
      conflict: 'abort',
      load: 'normal',
      indexes: 'after',
      verify: 'full',
    };
    const events: CopyEvents = { phase: () => undefined, namespace: () => undefined, warn: () => undefined };
    const outcome = await startCopyJob(request, events, new AbortController().signal).done;
    expect(outcome.namespaces.map((r) => [r.key.split('.')[1], r.status, r.docs])).toEqual([
      ['capped', 'done', 0],
      ['indexed', 'done', 0],
      ['one', 'done', 1],
      ['plain', 'done', 0],
      ['validated', 'done', 0],
    ]);
    expect(outcome.counts?.map((c) => [c.namespace.split('.')[1], c.ok, c.target])).toEqual([
      ['capped', true, 0],
      ['indexed', true, 0],
      ['one', true, 1],
      ['plain', true, 0],
      ['validated', true, 0],
    ]);
    expect(
      outcome.verification?.every(
        (v) => v.missing === 0 && v.indexDifferences.length === 0 && v.optionDifferences.length === 0,
      ),
    ).toBe(true);
    expect(await describeDb(targetClient, `${db}_t`)).toEqual(EXPECTED_EMPTIES);
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  }, 30_000);

  it('the provider copies a database holding empty collections, and one holding only views', async () => {
    const db = dbName('provider');
    await seedEmpties(db);
    const { done } = await copyDatabase(db, `${db}_t`);
    expect(done.state, done.summary).toBe('succeeded');
    expect(done.summary).toBe(
      `Copied 1 document of database ${db} to ${new URL(target.uri).host}. Verification passed.`,
    );
    expect(done.stats).toContainEqual({ label: 'Count check', value: 'passed: 5 collections hold what was written' });
    expect(await describeDb(targetClient, `${db}_t`)).toEqual(EXPECTED_EMPTIES);

    const views = dbName('views');
    await sourceClient
      .db(views)
      .createCollection('recent', { viewOn: 'orders', pipeline: [{ $match: { recent: true } }] });
    const onlyViews = await copyDatabase(views, `${views}_t`);
    expect(onlyViews.done.state, onlyViews.done.summary).toBe('succeeded');
    expect(onlyViews.done.summary).toMatch(/^Copied 0 documents and 1 view of database /);
    expect(await describeDb(targetClient, `${views}_t`)).toEqual({
      recent: { view: { viewOn: 'orders', pipeline: [{ $match: { recent: true } }] } },
    });
    for (const name of [db, views]) {
      await sourceClient.db(name).dropDatabase();
      await targetClient.db(`${name}_t`).dropDatabase();
    }
  }, 30_000);

  it('the CLI copies a database with an empty collection (exit 0, JSON summary)', async () => {
    const db = dbName('cli');
    await seedEmpties(db);
    const args = [
      'copy',
      '--from',
      source.uri,
      '--to',
      target.uri,
      '--db',
      db,
      '--target-db',
      `${db}_t`,
      '--verify',
      'none',
      '--json',
    ];
    const run = await runCli(args, { env: { ...process.env, CUTOVER_DATA_DIR: dataDir } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, state: 'succeeded', docs: 1 });
    expect(summary.summary).toMatch(/^Copied 1 document of database .* Counts checked\.$/);
    expect(
      summary.namespaces.map((n: { namespace: string; status: string; docs: number }) => [
        n.namespace.replace(/ → .*/, '').replace(`${db}.`, ''),
        n.status,
        n.docs,
      ]),
    ).toEqual([
      ['capped', 'done', 0],
      ['indexed', 'done', 0],
      ['one', 'done', 1],
      ['plain', 'done', 0],
      ['validated', 'done', 0],
    ]);
    expect(await describeDb(targetClient, `${db}_t`)).toEqual(EXPECTED_EMPTIES);
    await sourceClient.db(db).dropDatabase();
    await targetClient.db(`${db}_t`).dropDatabase();
  }, 60_000);
});
