/**
 * The command line as it ships: built into one bundle (main/cli/vite.config.ts) and run by plain Node,
 * no tsx. Copies and imports load their worker threads from beside the bundle.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, useMongo, type UsedMongo } from '../../testkit/mongo/index';

const root = path.resolve(import.meta.dirname, '../..');
let mongo: UsedMongo;
let outDir: string;
let dataDir: string;
const db = `cli_bundle_${process.pid}`;

beforeAll(async () => {
  // Inside the repo, as out/cli is: the bundle finds its dependencies in node_modules.
  outDir = path.join(root, 'out', `cli-test-${process.pid}`);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-bundle-data-'));
  await build({ configFile: path.join(root, 'main/cli/vite.config.ts'), build: { outDir, emptyOutDir: true } });
  mongo = await useMongo();
  const client = await new MongoClient(mongo.uri).connect();
  await client
    .db(db)
    .collection<{ _id: number }>('orders')
    .insertMany(Array.from({ length: 2_000 }, (_, i) => ({ _id: i, total: i * 1.5 })));
  await client.close();
}, 120_000);
afterAll(async () => {
  const client = await new MongoClient(mongo.uri).connect();
  await client.db(db).dropDatabase();
  await client.db(`${db}_copy`).dropDatabase();
  await client.db(`${db}_copy2`).dropDatabase();
  await client.db(`${db}_copy3`).dropDatabase();
  await client.close();
  await mongo?.stop();
  await rm(outDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

function runBundle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Plain node, started from another folder: nothing but the bundle and node_modules (found from the bundle's imports).
    const child = spawn(process.execPath, [path.join(outDir, 'index.js'), ...args], {
      cwd: os.tmpdir(),
      env: { ...process.env, CUTOVER_DATA_DIR: dataDir, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the built command line', () => {
  it('holds the entry and both workers, and prints its usage', async () => {
    expect(await readdir(outDir)).toEqual(expect.arrayContaining(['index.js', 'copy-worker.js', 'files-worker.js']));
    const help = await runBundle(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/copy .*\n.*connections/s);
  });

  it("carries the Versia provider but not the test kit's adapter or its private API", async () => {
    const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.js'));
    const texts = await Promise.all(files.map(async (f) => [f, await readFile(path.join(outDir, f), 'utf8')] as const));
    expect(texts.filter(([, text]) => text.includes('Moving accounts is not supported by')).length).toBe(1);
    expect(texts.filter(([, text]) => /cutover-testkit|cutover-versia-testkit/.test(text)).map(([f]) => f)).toEqual([]);
  });

  it("carries bson once: our imports take the driver's CommonJS build, not a second (ES) copy of it", async () => {
    const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.js'));
    const texts = await Promise.all(files.map(async (f) => await readFile(path.join(outDir, f), 'utf8')));
    const copies = texts.map(
      (text) => text.match(/BSONError = class extends Error|class BSONError extends Error/g)?.length ?? 0,
    );
    expect(copies.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('copies and exports with workers loaded from the bundle', async () => {
    const copy = await runBundle([
      'copy',
      '--from',
      mongo.uri,
      '--to',
      mongo.uri,
      '--db',
      db,
      '--target-db',
      `${db}_copy`,
      '--json',
    ]);
    expect(copy.code, copy.stderr).toBe(0);
    expect(JSON.parse(copy.stdout)).toMatchObject({ ok: true, docs: 2_000 });
    const out = path.join(dataDir, 'orders.ndjson');
    const exported = await runBundle([
      'export',
      '--uri',
      mongo.uri,
      '--db',
      `${db}_copy`,
      '--collection',
      'orders',
      '--out',
      out,
      '--json',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ ok: true });
  }, 120_000);

  it('reads a large connection file in its worker, loaded from the bundle', async () => {
    expect(await readdir(outDir)).toContain('connection-files-worker.js');
    // About 800 KB: over the size read in the main thread (main/core/connection-files/read-connection-file.ts).
    const connections = Array.from({ length: 6_000 }, (_, i) => ({
      name: `c${i}`,
      kind: 'mongodb',
      uri: `mongodb://ada@db${i}.example/shop`,
      ...(i % 2 ? { favourite: true } : {}),
    }));
    const file = path.join(dataDir, 'team.cutover');
    await writeFile(
      file,
      JSON.stringify({ type: 'Cutover Connections', version: 1, secrets: 'removed', connections }, null, 2),
    );
    const read = await runBundle(['connections', 'import', file, '--dry-run', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({
      ok: true,
      format: 'cutover',
      entries: expect.arrayContaining([expect.objectContaining({ where: 'entry 6000', name: 'c5999' })]),
    });
    await writeFile(
      file,
      JSON.stringify({ type: 'Cutover Connections', version: 1, connections }, null, 2).replace(
        '"name": "c3000"',
        '"name": "c3000",,',
      ),
    );
    const bad = await runBundle(['connections', 'import', file, '--dry-run']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/team\.cutover: corrupt JSON at line \d+, column \d+/);
  }, 120_000);

  it('signs in with SCRAM-SHA-256: the password goes through saslprep, which the bundle loads on first use', async () => {
    const server = await startMongoTestServer({
      port: 0,
      auth: { users: [{ user: 'ann', password: 'p@ss w0rd', db: 'admin', mechanisms: ['SCRAM-SHA-256'] }] },
    });
    try {
      const file = path.join(dataDir, 'scram.ndjson');
      await writeFile(file, '{"_id":1}\n{"_id":2}\n');
      const uri = `${server.uri.replace('mongodb://', `mongodb://ann:${encodeURIComponent('p@ss w0rd')}@`)}?authSource=admin&authMechanism=SCRAM-SHA-256`;
      const imported = await runBundle([
        'import',
        '--uri',
        uri,
        '--db',
        'scram',
        '--collection',
        'c',
        '--file',
        file,
        '--json',
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, docs: 2 });
      const wrong = await runBundle([
        'import',
        '--uri',
        uri.replace(encodeURIComponent('p@ss w0rd'), 'nope'),
        '--db',
        'scram',
        '--collection',
        'd',
        '--file',
        file,
        '--json',
      ]);
      expect(wrong.code).toBe(1);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('holds its dependencies: a copy loads nothing from node_modules', async () => {
    const loaded = await loadedModules(path.join(outDir, 'index.js'), `${db}_copy2`);
    expect(loaded.filter((file) => /[\\/]node_modules[\\/]/.test(file))).toEqual([]);
  }, 120_000);

  it('loads only what the command needs: a copy loads neither the PostgreSQL nor the MySQL driver nor the file readers', async () => {
    // From the sources (tsx), where each dependency is its own set of files in node_modules.
    const loaded = await loadedModules(path.join(root, 'main/cli/index.ts'), `${db}_copy3`, ['--import', 'tsx']);
    expect(loaded.some((file) => file.includes(`${path.sep}mongodb${path.sep}`))).toBe(true);
    expect(loaded.filter((file) => /[\\/]node_modules[\\/](pg|mysql2|csv-parse|stream-json)[\\/]/.test(file))).toEqual(
      [],
    );
  }, 120_000);
});

/** The CommonJS modules (dependencies are CommonJS) a copy loaded: require.cache when the process ends. */
async function loadedModules(entry: string, targetDb: string, loader: string[] = []): Promise<string[]> {
  const hook = path.join(dataDir, 'loaded-modules.cjs');
  const list = path.join(dataDir, `loaded-modules-${targetDb}.json`);
  await writeFile(
    hook,
    `const { isMainThread } = require('node:worker_threads'); if (isMainThread) process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_MODULES_LIST, JSON.stringify(Object.keys(require.cache))));`,
  );
  const copy = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        ...loader,
        '--require',
        hook,
        entry,
        'copy',
        '--from',
        mongo.uri,
        '--to',
        mongo.uri,
        '--db',
        db,
        '--target-db',
        targetDb,
        '--json',
      ],
      {
        cwd: root,
        env: { ...process.env, CUTOVER_DATA_DIR: dataDir, NODE_OPTIONS: '', LOADED_MODULES_LIST: list },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  expect(copy.code, copy.stderr).toBe(0);
  return JSON.parse(await readFile(list, 'utf8')) as string[];
}
