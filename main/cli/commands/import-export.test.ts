/**
 * `cutover export` and `cutover import` as a person runs them: a real process, a real server, real
 * files; JSON summaries, exit codes, and bad arguments refused with exit code 2.
 */
import { spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo, type UsedMongo } from '../../../testkit/mongo/index';

const root = path.resolve(import.meta.dirname, '../../..');
let mongo: UsedMongo;
let dir: string;
const db = `cli_files_${Date.now().toString(36)}`;

beforeAll(async () => {
  mongo = await useMongo();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-files-'));
  const client = await new MongoClient(mongo.uri).connect();
  await client
    .db(db)
    .collection<{ _id: number }>('orders')
    .insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({
        _id: i,
        total: i * 1.5,
        customer: { name: i === 7 ? '=HYPERLINK("x")' : `c${i}`, city: 'Oslo' },
      })),
    );
  await client.close();
});
afterAll(async () => {
  if (mongo?.isReal) {
    const client = await new MongoClient(mongo.uri).connect();
    await client.db(db).dropDatabase();
    await client.close();
  }
  await mongo?.stop();
});

function cutover(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), ...args], {
      cwd: root,
      env: { ...process.env, CUTOVER_DATA_DIR: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cutover export / import', () => {
  it('exports a query to CSV (nested fields flattened, formulas escaped) and imports it back', async () => {
    const out = path.join(dir, 'orders.csv');
    const exported = await cutover([
      'export',
      '--uri',
      mongo.uri,
      '--db',
      db,
      '--collection',
      'orders',
      '--out',
      out,
      '--query',
      '{"_id": {"$lt": 10}}',
      '--json',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const summary = JSON.parse(exported.stdout);
    expect(summary).toMatchObject({ ok: true, docs: 10 });
    expect(summary.stats.Columns).toBe('_id, total, customer.name, customer.city');
    const csv = await readFile(out, 'utf8');
    expect(csv.split('\n')[0]).toBe('_id,total,customer.name,customer.city');
    expect(csv).toContain(`7,10.5,"'=HYPERLINK(""x"")",Oslo`);

    const imported = await cutover([
      'import',
      '--uri',
      mongo.uri,
      '--db',
      db,
      '--collection',
      'orders_csv',
      '--file',
      out,
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).stats['Documents imported']).toBe('10');
    const client = await new MongoClient(mongo.uri).connect();
    const doc = await client.db(db).collection<{ _id: number }>('orders_csv').findOne({ _id: 3 });
    await client.close();
    expect(doc).toEqual({ _id: 3, total: 4.5, customer: { name: 'c3', city: 'Oslo' } });
  });

  it('fails with exit code 1 and the reason when the file is bad, 2 on bad arguments', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '[{"a": 1}, {"b": ');
    const failed = await cutover(['import', '--uri', mongo.uri, '--db', db, '--file', bad, '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).summary).toMatch(/bad\.json, line 1, column \d+: the JSON ends too early/);

    const usage = await cutover(['import', '--uri', mongo.uri, '--db', db, '--file', bad, '--on-error', 'maybe']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('onError must be one of stop, continue');
    const noOut = await cutover(['export', '--uri', mongo.uri, '--db', db, '--collection', 'orders']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('Missing --out');
  });
  it('an existing file is refused without --overwrite, replaced with it; a read-only file or another user’s never is', async () => {
    const out = path.join(dir, 'existing.jsonl');
    await writeFile(out, 'keep me\n');
    const args = [
      'export',
      '--uri',
      mongo.uri,
      '--db',
      db,
      '--collection',
      'orders',
      '--query',
      '{"_id": {"$lt": 3}}',
      '--out',
      out,
      '--json',
    ];
    const refused = await cutover(args);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).summary).toContain(
      `${out} exists already: cutover does not replace it without --overwrite.`,
    );
    expect(await readFile(out, 'utf8')).toBe('keep me\n');

    const replaced = await cutover([...args, '--overwrite']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(3);

    const readOnly = path.join(dir, 'read-only.jsonl');
    await writeFile(readOnly, 'read only\n');
    await chmod(readOnly, 0o444);
    const notReplaced = await cutover([
      'export',
      '--uri',
      mongo.uri,
      '--db',
      db,
      '--collection',
      'orders',
      '--out',
      readOnly,
      '--overwrite',
      '--json',
    ]);
    expect(notReplaced.code).toBe(1);
    expect(JSON.parse(notReplaced.stdout).summary).toContain(`${readOnly} is read-only: Cutover never replaces it`);
    expect(await readFile(readOnly, 'utf8')).toBe('read only\n');

    if (process.getuid?.() === 0) {
      // Root can give a file to another user (and would otherwise replace anything): it still is not replaced.
      const theirs = path.join(dir, 'theirs.jsonl');
      await writeFile(theirs, 'not yours\n');
      await chown(theirs, 65534, 65534);
      const refusedTheirs = await cutover([
        'export',
        '--uri',
        mongo.uri,
        '--db',
        db,
        '--collection',
        'orders',
        '--out',
        theirs,
        '--overwrite',
        '--json',
      ]);
      expect(refusedTheirs.code).toBe(1);
      expect(JSON.parse(refusedTheirs.stdout).summary).toContain(
        `${theirs} belongs to another user: Cutover never replaces it`,
      );
      expect(await readFile(theirs, 'utf8')).toBe('not yours\n');
    }
  });
});
