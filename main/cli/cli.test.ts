/**
 * The headless CLI as a person runs it: a real process, real servers, exit codes and output checked.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, useMongo, type MongoTestServer } from '../../testkit/mongo/index';

const PASSWORD = 'p@ss:w/rd%';
const root = path.resolve(import.meta.dirname, '../..');
let source: { uri: string; stop(): Promise<void> };
let secured: MongoTestServer;
let dataDir: string;

beforeAll(async () => {
  source = await useMongo();
  secured = await startMongoTestServer({ auth: { users: [{ user: 'admin', password: PASSWORD }] } });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-'));
  const client = await new MongoClient(source.uri).connect();
  await client
    .db('cli_src')
    .collection<{ _id: number }>('orders')
    .insertMany(Array.from({ length: 3_000 }, (_, i) => ({ _id: i, total: i * 1.5 })));
  await client.close();
});
afterAll(async () => {
  const client = await new MongoClient(source.uri).connect();
  await client.db('cli_src').dropDatabase();
  await client.close();
  await secured?.stop();
  await source?.stop();
});

function cutover(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), ...args], {
      cwd: root,
      env: { ...process.env, CUTOVER_DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const securedUri = () => `mongodb://admin:${encodeURIComponent(PASSWORD)}@127.0.0.1:${secured.port}/?authSource=admin`;

describe('cutover CLI', () => {
  it('copies a collection and prints a JSON summary, never echoing credentials', async () => {
    const run = await cutover([
      'copy',
      '--from',
      source.uri,
      '--to',
      securedUri(),
      '--db',
      'cli_src',
      '--collection',
      'orders',
      '--target-db',
      'cli_dst',
      '--verify',
      'full',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, state: 'succeeded', docs: 3_000 });
    expect(summary.stats).toContainEqual({ label: 'Verification (full)', value: 'passed: 3,000 documents identical' });
    expect(run.stdout + run.stderr).not.toContain(encodeURIComponent(PASSWORD));
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stderr).toMatch(/Copy/);
    const target = await new MongoClient(securedUri()).connect();
    expect(await target.db('cli_dst').collection('orders').countDocuments()).toBe(3_000);
    await target.close();
  }, 60_000);

  it('fails with exit code 1 and a clear message when the target rejects the password', async () => {
    const wrong = `mongodb://admin:not-${encodeURIComponent(PASSWORD)}@127.0.0.1:${secured.port}/?authSource=admin`;
    const run = await cutover(['copy', '--from', source.uri, '--to', wrong, '--db', 'cli_src', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false });
    expect(run.stdout).toMatch(/rejected the user name or password/);
    expect(run.stdout + run.stderr).not.toContain('not-');
  }, 60_000);

  it('refuses to copy into a non-empty target with the default policy, saying why', async () => {
    const run = await cutover([
      'copy',
      '--from',
      source.uri,
      '--to',
      securedUri(),
      '--db',
      'cli_src',
      '--collection',
      'orders',
      '--target-db',
      'cli_dst',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/already holds 3,000 documents/);
  }, 60_000);

  it('explains bad arguments with exit code 2', async () => {
    const missing = await cutover(['copy', '--from', source.uri]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing --to/);
    expect(missing.stderr).toMatch(/Usage:/);
    const badPolicy = await cutover([
      'copy',
      '--from',
      'mongodb://u:secret@h/',
      '--to',
      'mongodb://h2/',
      '--conflict',
      'merge',
    ]);
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toMatch(/--conflict must be one of abort, drop, skip, overwrite, not "merge"/);
    const unknown = await cutover(['copy', '--from', 'x', '--to', 'y', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/bogus/);
    const badUri = await cutover(['copy', '--from', 'http://nope', '--to', 'mongodb://h/', '--json']);
    expect(badUri.code).toBe(1);
    expect(badUri.stderr).toMatch(/not a connection type/);
  }, 60_000);
});
