/**
 * MongoDB's own database tools (mongodump, mongorestore, mongoimport, mongoexport, bsondump 100.8.0)
 * against the test server: a real client we did not write, on its everyday paths. The binaries come
 * from MONGO_TOOLS_BIN (default /tmp/mongo-tools/bin when present; /work/shared/tools/build-mongo-tools.sh
 * builds them offline); without them the suite is skipped, saying so.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MongoClient,
  ObjectId,
  Timestamp,
  type CollectionInfo,
  type Db,
} from 'mongodb';

/** Collections with any _id (numbers here). */
type AnyDoc = { _id: number; [key: string]: unknown };
import { startMongoTestServer, type MongoTestServer } from './index.js';

const DEFAULT_BIN = '/tmp/mongo-tools/bin';
const BIN = process.env.MONGO_TOOLS_BIN ?? (existsSync(path.join(DEFAULT_BIN, 'mongodump')) ? DEFAULT_BIN : undefined);
const missing = BIN
  ? ['mongodump', 'mongorestore', 'mongoimport', 'mongoexport', 'bsondump'].filter(
      (t) => !existsSync(path.join(BIN, t)),
    )
  : [];
const skipReason = !BIN
  ? 'MONGO_TOOLS_BIN is not set and /tmp/mongo-tools/bin has no mongodump (build them with /work/shared/tools/build-mongo-tools.sh)'
  : missing.length
    ? `${BIN} lacks ${missing.join(', ')}`
    : undefined;
if (skipReason) console.warn(`MongoDB's tools tests skipped: ${skipReason}`);

interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

function tool(name: string, args: string[], cwd?: string): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      path.join(BIN!, name),
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a tool and expects it to succeed, showing its output when it does not. */
async function ok(name: string, args: string[], cwd?: string): Promise<ToolRun> {
  const run = await tool(name, args, cwd);
  expect(run.code, `${name} ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
}

let server: MongoTestServer;
let client: MongoClient;
let work: string;

/** Documents with every everyday BSON type, as the copy and the tools must carry them. */
const typed = (i: number) => ({
  _id: i,
  email: `user${i}@example.org`,
  name: `User ${i}`,
  long: Long.fromString(`${9007199254740993n + BigInt(i)}`),
  int: new Int32(i),
  double: new Double(i % 3 === 0 ? 2 : 2.5),
  negZero: new Double(-0),
  decimal: Decimal128.fromString(`${i}.10`),
  when: new Date(Date.UTC(2024, 0, 1 + (i % 28))),
  ts: new Timestamp({ t: 1_700_000_000 + i, i: 1 }),
  oid: new ObjectId(i.toString(16).padStart(24, '0')),
  bin: new Binary(Buffer.from([i % 256, 1, 2]), 0),
  uuid: new Binary(Buffer.alloc(16, i % 256), 4),
  re: new BSONRegExp('^u', 'im'),
  nested: { tags: ['a', i % 2 ? 'odd' : 'even'], deep: { n: i } },
  nothing: null,
});

async function rawSorted(db: Db, coll: string): Promise<string[]> {
  const docs = await db
    .collection(coll)
    .find({}, { raw: true, sort: { _id: 1 } })
    .toArray();
  return docs.map((d) => Buffer.from(d as unknown as Uint8Array).toString('hex'));
}

async function layout(db: Db) {
  const collections = ((await db.listCollections().toArray()) as CollectionInfo[])
    .map((c) => ({ name: c.name, type: c.type, options: c.options }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const indexes: Record<string, unknown> = {};
  // by name: mongorestore may create a collection's indexes in any order (mongod lists them as created)
  for (const c of collections)
    if (c.type === 'collection')
      indexes[c.name] = (await db.collection(c.name).listIndexes().toArray()).sort((a, b) =>
        String(a.name).localeCompare(String(b.name)),
      );
  return { collections, indexes };
}

describe.skipIf(!!skipReason)(
  `MongoDB's tools against the test server${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    beforeAll(async () => {
      server = await startMongoTestServer();
      client = await new MongoClient(server.uri).connect();
      work = await mkdtemp(path.join(os.tmpdir(), 'cutover-mongo-tools-'));
      const db = client.db('tools_src');
      await db.collection('people').insertMany(Array.from({ length: 500 }, (_, i) => typed(i)) as never[]);
      await db.collection('people').createIndex({ email: 1 }, { unique: true });
      await db
        .collection('people')
        .createIndex(
          { 'nested.deep.n': -1, name: 1 },
          { name: 'deep_name', partialFilterExpression: { int: { $gt: 10 } } },
        );
      await db.createCollection('log', { capped: true, size: 1 << 20, max: 1000 });
      await db
        .collection<AnyDoc>('log')
        .insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, line: `line ${i}` })));
      await db.createCollection('checked', {
        validator: { $jsonSchema: { bsonType: 'object', required: ['name'] } },
        validationLevel: 'strict',
      });
      await db.collection<AnyDoc>('checked').insertOne({ _id: 1, name: 'ok' });
      await db.createCollection('empty');
      await db.createCollection('adults', { viewOn: 'people', pipeline: [{ $match: { int: { $gte: 18 } } }] });
    }, 60_000);
    afterAll(async () => {
      await client?.close();
      await server?.stop();
    });

    it('mongodump to a folder, then mongorestore --drop, puts back every document byte for byte, with indexes, options and views', async () => {
      const db = client.db('tools_src');
      const before = {
        layout: await layout(db),
        people: await rawSorted(db, 'people'),
        log: await rawSorted(db, 'log'),
      };
      const out = path.join(work, 'dump');
      await ok('mongodump', ['--uri', server.uri, '--db', 'tools_src', '--out', out]);
      expect((await readdir(path.join(out, 'tools_src'))).sort()).toEqual(
        [
          'adults.metadata.json',
          'checked.bson',
          'checked.metadata.json',
          'empty.bson',
          'empty.metadata.json',
          'log.bson',
          'log.metadata.json',
          'people.bson',
          'people.metadata.json',
        ].sort(),
      );
      const metadata = JSON.parse(await readFile(path.join(out, 'tools_src', 'people.metadata.json'), 'utf8'));
      expect(metadata.indexes.map((i: { name: string }) => i.name)).toEqual(['_id_', 'email_1', 'deep_name']);
      expect(JSON.stringify(metadata)).not.toContain('"ns"');

      // the target drifts: documents lost, changed, added; an index dropped
      await db.collection('people').deleteMany({ int: { $lt: 100 } });
      await db.collection('people').updateMany({}, { $set: { name: 'changed' } });
      await db.collection('people').dropIndex('deep_name');
      await db.collection<AnyDoc>('log').insertOne({ _id: 99, line: 'extra' });

      await ok('mongorestore', ['--uri', server.uri, '--drop', out]);
      expect(await rawSorted(db, 'people')).toEqual(before.people);
      expect(await rawSorted(db, 'log')).toEqual(before.log);
      expect(await layout(db)).toEqual(before.layout);
      expect(await db.collection('adults').countDocuments()).toBe(500 - 18);
    }, 120_000);

    it('mongodump --archive --gzip and mongodump --gzip to a folder restore with --drop, also under other names', async () => {
      const src = client.db('tools_src');
      const people = await rawSorted(src, 'people');
      const archive = path.join(work, 'all.archive.gz');
      await ok('mongodump', ['--uri', server.uri, '--db', 'tools_src', `--archive=${archive}`, '--gzip']);
      await ok('mongorestore', [
        '--uri',
        server.uri,
        '--drop',
        `--archive=${archive}`,
        '--gzip',
        '--nsFrom',
        'tools_src.*',
        '--nsTo',
        'tools_arch.*',
      ]);
      const arch = client.db('tools_arch');
      expect(await rawSorted(arch, 'people')).toEqual(people);
      expect((await layout(arch)).indexes).toEqual((await layout(src)).indexes);
      // again over what it restored: --drop replaces, nothing is doubled
      await ok('mongorestore', [
        '--uri',
        server.uri,
        '--drop',
        `--archive=${archive}`,
        '--gzip',
        '--nsFrom',
        'tools_src.*',
        '--nsTo',
        'tools_arch.*',
      ]);
      expect(await arch.collection('people').countDocuments()).toBe(500);

      const folder = path.join(work, 'gz');
      await ok('mongodump', [
        '--uri',
        server.uri,
        '--db',
        'tools_src',
        '--collection',
        'people',
        '--out',
        folder,
        '--gzip',
      ]);
      expect((await readdir(path.join(folder, 'tools_src'))).sort()).toEqual([
        'people.bson.gz',
        'people.metadata.json.gz',
      ]);
      await ok('mongorestore', [
        '--uri',
        server.uri,
        '--drop',
        '--gzip',
        '--nsFrom',
        'tools_src.*',
        '--nsTo',
        'tools_gz.*',
        folder,
      ]);
      expect(await rawSorted(client.db('tools_gz'), 'people')).toEqual(people);
    }, 120_000);

    it('mongodump --dumpDbUsersAndRoles works on a server with users, and a full restore brings the users to another server', async () => {
      const users = [
        { user: 'boss', password: 'boss-pw-1' },
        { user: 'app', password: 'app-pw-2', db: 'shop' },
      ];
      const a = await startMongoTestServer({ auth: { users } });
      const b = await startMongoTestServer({ auth: { users: [users[0]] } });
      const c = await startMongoTestServer();
      try {
        const uriA = `mongodb://boss:boss-pw-1@127.0.0.1:${a.port}/?authSource=admin`;
        const uriB = `mongodb://boss:boss-pw-1@127.0.0.1:${b.port}/?authSource=admin`;
        const ca = await new MongoClient(uriA).connect();
        await ca
          .db('shop')
          .collection<AnyDoc>('orders')
          .insertMany([{ _id: 1 }, { _id: 2 }]);
        await ca.close();
        const out = path.join(work, 'users');
        await ok('mongodump', ['--uri', uriA, '--db', 'shop', '--dumpDbUsersAndRoles', '--out', out]);
        const dumped = await ok('bsondump', [path.join(out, 'shop', '$admin.system.users.bson')]);
        expect(dumped.stdout).toContain('"_id":"shop.app"');
        expect(dumped.stdout).not.toContain('"_id":"admin.boss"');
        const version = await ok('bsondump', [path.join(out, 'shop', '$admin.system.version.bson')]);
        expect(version.stdout).toContain('"currentVersion":{"$numberInt":"5"}');

        const all = path.join(work, 'users-all');
        await ok('mongodump', ['--uri', uriA, '--out', all]);
        await ok('mongorestore', ['--uri', uriB, '--drop', all]);
        const asApp = await new MongoClient(`mongodb://app:app-pw-2@127.0.0.1:${b.port}/?authSource=shop`).connect();
        expect(await asApp.db('shop').collection('orders').countDocuments()).toBe(2);
        await asApp.close();
        // onto a server without access control: the users are there, and can authenticate, as on mongod
        await ok('mongorestore', ['--uri', c.uri, '--nsInclude', 'admin.*', all]);
        const appOnOpen = await new MongoClient(
          `mongodb://app:app-pw-2@127.0.0.1:${c.port}/?authSource=shop`,
        ).connect();
        expect((await appOnOpen.db('admin').command({ connectionStatus: 1 })).authInfo.authenticatedUsers).toEqual([
          { user: 'app', db: 'shop' },
        ]);
        await appOnOpen.close();
        const wrong = await new MongoClient(`mongodb://app:wrong@127.0.0.1:${c.port}/?authSource=shop`).connect().then(
          () => 'connected',
          (e: Error) => e.message,
        );
        expect(wrong).toMatch(/Authentication failed/);
      } finally {
        await a.stop();
        await b.stop();
        await c.stop();
      }
    }, 120_000);

    it('mongodump --dumpDbUsersAndRoles on a server without users fails as on mongod (no authSchema document yet)', async () => {
      const run = await tool('mongodump', [
        '--uri',
        server.uri,
        '--db',
        'tools_src',
        '--dumpDbUsersAndRoles',
        '--out',
        path.join(work, 'nousers'),
      ]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('found no auth version');
    }, 60_000);

    it('mongoimport in every mode (insert, upsert, merge, delete) from JSON and CSV', async () => {
      const db = client.db('tools_import');
      const people = db.collection('people');
      const json = path.join(work, 'people.json');
      await writeFile(
        json,
        Array.from({ length: 300 }, (_, i) =>
          JSON.stringify({ email: `p${i}@x.org`, name: `P${i}`, age: i % 90 }),
        ).join('\n'),
      );
      const inserted = await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'people',
        '--file',
        json,
      ]);
      expect(inserted.stderr).toContain('300 document(s) imported successfully. 0 document(s) failed to import.');
      expect(await people.countDocuments()).toBe(300);

      // a duplicate in insert mode is reported, the rest imported
      await people.createIndex({ email: 1 }, { unique: true });
      const dupes = path.join(work, 'dupes.json');
      await writeFile(
        dupes,
        [JSON.stringify({ email: 'p1@x.org' }), JSON.stringify({ email: 'new1@x.org' })].join('\n'),
      );
      const dup = await tool('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'people',
        '--file',
        dupes,
      ]);
      expect(dup.stderr).toContain(
        'E11000 duplicate key error collection: tools_import.people index: email_1 dup key: { email: "p1@x.org" }',
      );
      expect(dup.stderr).toContain('1 document(s) imported successfully. 1 document(s) failed to import.');
      await people.dropIndex('email_1');

      // upsert: replaces the matching documents, inserts the others
      const upserts = path.join(work, 'upserts.json');
      await writeFile(
        upserts,
        [
          JSON.stringify({ email: 'p1@x.org', name: 'Replaced' }),
          JSON.stringify({ email: 'brand@x.org', name: 'Brand' }),
        ].join('\n'),
      );
      await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'people',
        '--mode',
        'upsert',
        '--upsertFields',
        'email',
        '--file',
        upserts,
      ]);
      expect(await people.findOne({ email: 'p1@x.org' }, { projection: { _id: 0 } })).toEqual({
        email: 'p1@x.org',
        name: 'Replaced',
      });
      expect(await people.countDocuments({ email: 'brand@x.org' })).toBe(1);

      // merge: adds and changes fields, keeps the rest
      const merges = path.join(work, 'merges.json');
      await writeFile(
        merges,
        Array.from({ length: 300 }, (_, i) => JSON.stringify({ email: `p${i}@x.org`, city: `C${i % 5}` })).join('\n'),
      );
      const merged = await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'people',
        '--mode',
        'merge',
        '--upsertFields',
        'email',
        '--file',
        merges,
      ]);
      expect(merged.stderr).toContain('300 document(s) imported successfully.');
      expect(await people.findOne({ email: 'p7@x.org' }, { projection: { _id: 0 } })).toEqual({
        email: 'p7@x.org',
        name: 'P7',
        age: 7,
        city: 'C2',
      });
      expect(await people.countDocuments()).toBe(300 + 2);

      // delete: removes the documents matching the upsert fields
      const deletes = path.join(work, 'deletes.json');
      await writeFile(
        deletes,
        Array.from({ length: 100 }, (_, i) => JSON.stringify({ email: `p${i}@x.org` })).join('\n'),
      );
      const deleted = await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'people',
        '--mode',
        'delete',
        '--upsertFields',
        'email',
        '--file',
        deletes,
      ]);
      expect(deleted.stderr).toContain('100 document(s) deleted successfully. 0 document(s) failed to delete.');
      expect(await people.countDocuments()).toBe(202);

      // CSV with a header line, and with typed columns
      const csv = path.join(work, 'rows.csv');
      await writeFile(csv, 'sku,qty,price,label\nA-1,3,9.5,first\nB-2,10,0.25,"with, comma"\nC-3,,1e3,\n');
      await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'rows',
        '--type',
        'csv',
        '--headerline',
        '--file',
        csv,
      ]);
      expect(
        await db
          .collection('rows')
          .find({}, { projection: { _id: 0 }, sort: { sku: 1 } })
          .toArray(),
      ).toEqual([
        { sku: 'A-1', qty: 3, price: 9.5, label: 'first' },
        { sku: 'B-2', qty: 10, price: 0.25, label: 'with, comma' },
        { sku: 'C-3', qty: '', price: 1000, label: '' },
      ]);
      const typedCsv = path.join(work, 'typed.csv');
      await writeFile(
        typedCsv,
        'sku.string(),qty.int32(),big.int64(),when.date(2006-01-02),ok.boolean()\nA-1,3,9007199254740993,2024-02-29,true\n',
      );
      await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'typed',
        '--type',
        'csv',
        '--headerline',
        '--columnsHaveTypes',
        '--file',
        typedCsv,
      ]);
      const row = await db.collection('typed').findOne({}, { promoteLongs: false, projection: { _id: 0 } });
      expect(row).toEqual({
        sku: 'A-1',
        qty: 3,
        big: Long.fromString('9007199254740993'),
        when: new Date('2024-02-29T00:00:00Z'),
        ok: true,
      });
      // CSV upsert by a field
      const csvUpsert = path.join(work, 'upsert.csv');
      await writeFile(csvUpsert, 'sku,qty\nA-1,4\nD-4,1\n');
      await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_import',
        '-c',
        'rows',
        '--type',
        'csv',
        '--headerline',
        '--mode',
        'upsert',
        '--upsertFields',
        'sku',
        '--file',
        csvUpsert,
      ]);
      expect(
        await db
          .collection('rows')
          .find({ sku: { $in: ['A-1', 'D-4'] } }, { projection: { _id: 0 }, sort: { sku: 1 } })
          .toArray(),
      ).toEqual([
        { sku: 'A-1', qty: 4 },
        { sku: 'D-4', qty: 1 },
      ]);
    }, 120_000);

    it('mongoexport to canonical Extended JSON imports back byte for byte; to CSV with fields, a query and a sort', async () => {
      const src = client.db('tools_src');
      const out = path.join(work, 'people.canonical.json');
      const exported = await ok('mongoexport', [
        '--uri',
        server.uri,
        '-d',
        'tools_src',
        '-c',
        'people',
        '--jsonFormat',
        'canonical',
        '-o',
        out,
      ]);
      expect(exported.stderr).toContain('exported 500 records');
      await ok('mongoimport', ['--uri', server.uri, '-d', 'tools_export', '-c', 'people', '--drop', '--file', out]);
      expect(await rawSorted(client.db('tools_export'), 'people')).toEqual(await rawSorted(src, 'people'));

      const csv = path.join(work, 'people.csv');
      await ok('mongoexport', [
        '--uri',
        server.uri,
        '-d',
        'tools_src',
        '-c',
        'people',
        '--type',
        'csv',
        '--fields',
        '_id,email,nested.deep.n',
        '--query',
        '{"int": {"$gte": 497}}',
        '--sort',
        '{"_id": -1}',
        '-o',
        csv,
      ]);
      expect((await readFile(csv, 'utf8')).trim().split('\n')).toEqual([
        '_id,email,nested.deep.n',
        '499,user499@example.org,499',
        '498,user498@example.org,498',
        '497,user497@example.org,497',
      ]);

      const array = await ok('mongoexport', [
        '--uri',
        server.uri,
        '-d',
        'tools_src',
        '-c',
        'people',
        '--jsonArray',
        '--fields',
        'email',
        '--query',
        '{"_id": {"$lt": 2}}',
        '--sort',
        '{"_id": 1}',
      ]);
      expect(JSON.parse(array.stdout)).toEqual([
        { _id: 0, email: 'user0@example.org' },
        { _id: 1, email: 'user1@example.org' },
      ]);
    }, 120_000);

    it('mongorestore of an index mongod refuses fails as on mongod, naming the reason', async () => {
      await ok('mongodump', [
        '--uri',
        server.uri,
        '--db',
        'tools_src',
        '--collection',
        'log',
        '--out',
        path.join(work, 'bad-index'),
      ]);
      const metaFile = path.join(work, 'bad-index', 'tools_src', 'log.metadata.json');
      const meta = JSON.parse(await readFile(metaFile, 'utf8'));
      meta.indexes.push({ v: 2, key: { $bad: 1 }, name: 'bad_1' });
      await writeFile(metaFile, JSON.stringify(meta));
      const run = await tool('mongorestore', [
        '--uri',
        server.uri,
        '--drop',
        '--nsFrom',
        'tools_src.*',
        '--nsTo',
        'tools_bad.*',
        path.join(work, 'bad-index'),
      ]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("Index key contains an illegal field name: field name starts with '$'.");
    }, 60_000);

    it('mongoimport --mode merge --upsertFields on 10,000 documents without an index (the figure is printed)', async () => {
      const db = client.db('tools_merge');
      const base = path.join(work, 'merge-base.json');
      const changes = path.join(work, 'merge-changes.json');
      await writeFile(
        base,
        Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ email: `m${i}@x.org`, n: i })).join('\n'),
      );
      await writeFile(
        changes,
        Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ email: `m${i}@x.org`, seen: i % 3 })).join('\n'),
      );
      await ok('mongoimport', ['--uri', server.uri, '-d', 'tools_merge', '-c', 'people', '--file', base]);
      const started = Date.now();
      const merged = await ok('mongoimport', [
        '--uri',
        server.uri,
        '-d',
        'tools_merge',
        '-c',
        'people',
        '--mode',
        'merge',
        '--upsertFields',
        'email',
        '--file',
        changes,
      ]);
      console.log(`mongoimport --mode merge of 10,000 documents by an unindexed field took ${Date.now() - started} ms`);
      expect(merged.stderr).toContain('10000 document(s) imported successfully. 0 document(s) failed to import.');
      expect(await db.collection('people').countDocuments({ seen: 2 })).toBe(3_333);
      expect(await db.collection('people').findOne({ email: 'm9999@x.org' }, { projection: { _id: 0 } })).toEqual({
        email: 'm9999@x.org',
        n: 9999,
        seen: 0,
      });
    }, 120_000);
  },
);
