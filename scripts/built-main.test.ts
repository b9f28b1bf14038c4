/**
 * The shipped main process, exercised as built: out/main/index.js runs in Node with the stand-in electron
 * module (scripts/run-built-main.mjs), registers its IPC handlers, and runs a copy, an import and an update
 * check through them, the way the window calls them; the copy and import workers start from the bundle.
 * This is the closest this machine gets to the real window (Electron's binary is absent).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, type JobSnapshot, type UpdateState } from '../preload/contract';
import { startMongoTestServer, useMongo, type MongoTestServer, type UsedMongo } from '../testkit/mongo/index';
import { startTestUpdateServer, type TestUpdateServer } from '../main/core/update/test-update-server';
// @ts-expect-error plain JavaScript module without types
import { ensureBuilt } from './ensure-built.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOCS = 3_000;
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const db = `built_main_src_${suffix}`;
const targetDb = `built_main_dst_${suffix}`;
const importDb = `built_main_imp_${suffix}`;

let source: UsedMongo;
let target: MongoTestServer;
let updates: TestUpdateServer;
let dir: string;
let result: {
  errors: string[];
  handlers: string[];
  untrusted: { ok: boolean; error?: { code: string } };
  info: { shell: string; version: string };
  copy: JobSnapshot;
  import: JobSnapshot;
  update: UpdateState;
  workers: string[];
  windowUrl: string;
  webPreferences: Record<string, unknown>;
};
let output = '';

beforeAll(async () => {
  await ensureBuilt();
  source = await useMongo();
  target = await startMongoTestServer();
  updates = await startTestUpdateServer({ latest: { version: '0.2.0', notes: 'New in 0.2.0.' } });
  const client = await MongoClient.connect(source.uri);
  await client
    .db(db)
    .collection<{ _id: number; n: number; label: string }>('orders')
    .insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: i, n: i, label: `order ${i}` })));
  await client.close();
  dir = mkdtempSync(path.join(os.tmpdir(), 'cutover-built-main-'));
  // Automatic checks off, so the check below is the only one (the stand-in has no AppImage to update).
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ updates: { automatic: false, channel: 'stable' } }));
  const importFile = path.join(dir, 'people.ndjson');
  writeFileSync(
    importFile,
    Array.from({ length: 500 }, (_, i) => JSON.stringify({ _id: i, name: `person ${i}` })).join('\n') + '\n',
  );

  const child = spawn(process.execPath, ['scripts/run-built-main.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      CUTOVER_USER_DATA_DIR: dir,
      CUTOVER_UPDATE_URL: updates.url,
      CHECK_SOURCE_URI: source.uri,
      CHECK_TARGET_URI: target.uri,
      CHECK_DB: db,
      CHECK_COLL: 'orders',
      CHECK_TARGET_DB: targetDb,
      CHECK_IMPORT_FILE: importFile,
      CHECK_IMPORT_DB: importDb,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`run-built-main printed no result:\n${output.slice(-4000)}`);
  result = JSON.parse(line.slice('RESULT '.length));
}, 240_000);

afterAll(async () => {
  await source?.stop();
  await target?.stop();
  await updates?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('out/main/index.js with a stand-in electron', () => {
  it('registers a handler for every call of the contract and refuses callers other than its own page', () => {
    expect(result.errors).toEqual([]);
    expect(result.handlers).toEqual(callNames.map((name) => `cutover:${name}`).sort());
    expect(result.untrusted).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(result.info).toMatchObject({ shell: 'electron', version: '0.1.0' });
    expect(result.windowUrl).toBe(`file://${path.join(root, 'out', 'renderer', 'index.html')}`);
    expect(result.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('runs a copy and an import through IPC, with the workers started from the bundle', async () => {
    expect(result.copy).toMatchObject({ state: 'succeeded', docs: DOCS });
    expect(result.import).toMatchObject({ state: 'succeeded', docs: 500 });
    expect(result.workers).toEqual(
      expect.arrayContaining([path.join('out', 'main', 'copy-worker.js'), path.join('out', 'main', 'files-worker.js')]),
    );
    const client = await MongoClient.connect(target.uri);
    try {
      expect(await client.db(targetDb).collection('orders').countDocuments()).toBe(DOCS);
      expect(await client.db(importDb).collection('people').countDocuments()).toBe(500);
    } finally {
      await client.close();
    }
  });

  it('checks for updates through electron-updater against the configured server', () => {
    expect(result.update).toMatchObject({ state: 'available', version: '0.2.0', releaseNotes: 'New in 0.2.0.' });
    expect(updates.requests).toContain('/latest-linux.yml');
  });
});
