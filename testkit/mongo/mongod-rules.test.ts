/**
 * What mongod refuses or answers that MongoDB's own tools found the test kit too lenient about: index
 * keys with `$`-prefixed or empty field names, `ns` in index specs and `idIndex` (4.4+ servers strip
 * it), getParameter authSchemaVersion, rolesInfo, the admin database's system collections. Runs
 * against MONGODB_URI when set (a real mongod answers the same), else the test server. Also the
 * lookup tables that keep unindexed equality filters from scanning: same answers as a scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, MongoClient, MongoServerError, type Db } from 'mongodb';
import { startMongoTestServer, useMongo, type MongoTestServer, type UsedMongo } from './index.js';

let mongo: UsedMongo;
let client: MongoClient;
let db: Db;
const DB = `testkit_rules_${process.pid}`;

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5000 }).connect();
  db = client.db(DB);
});
afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
  await mongo?.stop();
});

async function refusal(run: () => Promise<unknown>): Promise<MongoServerError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

describe('index key patterns mongod refuses', () => {
  const illegal = "Index key contains an illegal field name: field name starts with '$'.";
  it.each([
    [{ $bad: 1 }, '$bad_1', illegal],
    [{ 'a.$b': 1 }, 'a.$b_1', illegal],
    [{ $id: 1 }, '$id_1', illegal],
    [{ '': 1 }, '_1', 'Index keys cannot be an empty field.'],
    [{ 'a..b': 1 }, 'a..b_1', 'Index keys cannot contain an empty field.'],
    [{ 'a.': 1 }, 'a._1', 'Index keys cannot contain an empty field.'],
    [{ _fts: 1 }, '_fts_1', "Index key contains an illegal field name: '_fts'"],
    [
      { a: true },
      'a_true',
      'Values in v:2 index key pattern cannot be of type bool. Only numbers > 0, numbers < 0, and strings are allowed.',
    ],
    [
      { a: { b: 1 } },
      'a_obj',
      'Values in v:2 index key pattern cannot be of type object. Only numbers > 0, numbers < 0, and strings are allowed.',
    ],
    [{ a: 0 }, 'a_0', 'Values in the index key pattern cannot be 0.'],
    [{ a: 'nope' }, 'a_nope', "Unknown index plugin 'nope'"],
    [{ a: 'text', b: 'hashed' }, 'a_b', "Can't use more than one index plugin for a single index."],
  ])('refuses %j with code 67 CannotCreateIndex, naming the specification', async (key, name, why) => {
    const error = await refusal(() => db.command({ createIndexes: 'keys', indexes: [{ key, name }] }));
    expect(error.code).toBe(67);
    expect(error.codeName).toBe('CannotCreateIndex');
    expect(error.message).toMatch(/^Error in specification \{ .*key: \{ .*\}.* \} :: caused by :: /);
    expect(error.message.endsWith(` :: caused by :: ${why}`)).toBe(true);
  });

  it('refuses an empty key pattern', async () => {
    const error = await refusal(() => db.command({ createIndexes: 'keys', indexes: [{ key: {}, name: 'nothing' }] }));
    expect(error.code).toBe(67);
    expect(error.message).toMatch(/caused by :: Index keys cannot be empty\.$/);
  });

  it('takes what mongod takes: DBRef parts, wildcard and text "$**", dotted paths, index types', async () => {
    await db.collection('keys_ok').createIndex({ 'ref.$id': 1 });
    await db.collection('keys_ok').createIndex({ 'a.$**': 1 });
    await db.collection('keys_ok').createIndex({ 'a.b.c': -1 });
    await db.collection('keys_ok').createIndex({ h: 'hashed' });
    await db.collection('keys_ok').createIndex({ title: 'text', body: 'text' });
    const names = (await db.collection('keys_ok').listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_', 'ref.$id_1', 'a.$**_1', 'a.b.c_-1', 'h_hashed', 'title_text_body_text']);
    // and nothing was created by the refused ones
    expect(await db.listCollections({ name: 'keys' }).toArray()).toEqual([]);
  });
});

describe('ns in index specifications (gone since 4.4)', () => {
  it('listIndexes and listCollections answer without the ns an old dump sends', async () => {
    await db.command({ create: 'old_dump', idIndex: { v: 2, key: { _id: 1 }, name: '_id_', ns: `${DB}.old_dump` } });
    await db.command({
      createIndexes: 'old_dump',
      indexes: [{ v: 2, key: { email: 1 }, name: 'email_1', ns: `${DB}.old_dump`, unique: true }],
    });
    const indexes = await db.collection('old_dump').listIndexes().toArray();
    expect(indexes).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
    ]);
    const [info] = await db.listCollections({ name: 'old_dump' }).toArray();
    expect(info).toMatchObject({
      name: 'old_dump',
      type: 'collection',
      options: {},
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    });
    expect(JSON.stringify(info)).not.toContain('"ns"');
  });
});

describe('authorization answers', () => {
  it('getParameter authSchemaVersion is 5 (SCRAM)', async () => {
    const reply = await client.db('admin').command({ getParameter: 1, authSchemaVersion: 1 });
    expect(reply.authSchemaVersion).toBe(5);
  });

  it('rolesInfo answers for built-in roles and lists no user-defined ones', async () => {
    const none = await db.command({ rolesInfo: 1 });
    expect(none).toMatchObject({ ok: 1, roles: [] });
    const root = await client.db('admin').command({ rolesInfo: { role: 'root', db: 'admin' } });
    expect(root.roles).toHaveLength(1);
    expect(root.roles[0]).toMatchObject({ role: 'root', db: 'admin', isBuiltin: true });
    const readWrite = await db.command({ rolesInfo: 'readWrite' });
    expect(readWrite.roles[0]).toMatchObject({ role: 'readWrite', db: DB, isBuiltin: true });
    expect((await db.command({ rolesInfo: 'noSuchRole' })).roles).toEqual([]);
  });
});

describe('the admin database of a server with users (test server only)', () => {
  let secured: MongoTestServer;
  let admin: MongoClient;
  beforeAll(async () => {
    secured = await startMongoTestServer({
      auth: {
        users: [
          { user: 'boss', password: 'pw-1234' },
          { user: 'app', password: 'pw-5678', db: 'shop', mechanisms: ['SCRAM-SHA-256'] },
        ],
      },
    });
    admin = await new MongoClient(`mongodb://boss:pw-1234@127.0.0.1:${secured.port}/?authSource=admin`).connect();
  });
  afterAll(async () => {
    await admin?.close();
    await secured?.stop();
  });

  it('lists admin.system.users and admin.system.version, as mongod has them', async () => {
    const names = (await admin.db('admin').listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['system.users', 'system.version']);
    const version = await admin.db('admin').collection('system.version').find().toArray();
    expect(version).toEqual([
      { _id: 'featureCompatibilityVersion', version: '7.0' },
      { _id: 'authSchema', currentVersion: 5 },
    ]);
    const users = await admin.db('admin').collection('system.users').find({ db: 'shop' }).toArray();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      _id: 'shop.app',
      user: 'app',
      db: 'shop',
      roles: [{ role: 'root', db: 'admin' }],
    });
    expect(Object.keys(users[0].credentials)).toEqual(['SCRAM-SHA-256']);
    expect(users[0].credentials['SCRAM-SHA-256']).toMatchObject({
      iterationCount: 15000,
      salt: expect.any(String),
      storedKey: expect.any(String),
      serverKey: expect.any(String),
    });
  });

  it('a server without users has only the featureCompatibilityVersion document', async () => {
    if (mongo.isReal) return; // a real deployment's users are its own
    const plain = await startMongoTestServer();
    const c = await new MongoClient(plain.uri).connect();
    expect(await c.db('admin').collection('system.version').find().toArray()).toEqual([
      { _id: 'featureCompatibilityVersion', version: '7.0' },
    ]);
    await c.close();
    await plain.stop();
  });
});

describe('equality filters on fields without an index', () => {
  it('find, update and delete by a plain field answer as a scan would, as documents change', async () => {
    const people = db.collection<{ _id: number; email?: unknown; n?: unknown; tag?: string }>('people');
    await people.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        _id: i,
        email: `u${i}@x.org`,
        n: i % 7 === 0 ? new Long(i % 10) : i % 10,
        tag: i % 2 ? 'odd' : 'even',
      })),
    );
    await people.insertOne({ _id: 1000, email: ['a@x.org', 'b@x.org'] });
    await people.insertOne({ _id: 1001, n: new Double(3) });
    await people.insertOne({ _id: 1002, n: Decimal128.fromString('3.0') });
    await people.insertOne({ _id: 1003, n: new Int32(3), email: 'U5@x.org' });

    expect((await people.find({ email: 'u5@x.org' }).toArray()).map((d) => d._id)).toEqual([5]);
    expect((await people.find({ email: 'b@x.org' }).toArray()).map((d) => d._id)).toEqual([1000]);
    expect((await people.find({ email: { $eq: 'a@x.org' } }).toArray()).map((d) => d._id)).toEqual([1000]);
    // numbers match across types (3 == 3L == 3.0 == Decimal 3.0), as mongod compares them
    const threes = (await people.find({ n: 3 }).toArray()).map((d) => d._id);
    expect(threes).toEqual([...Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 10 === 3), 1001, 1002, 1003]);
    expect(await people.countDocuments({ n: 3, tag: 'odd' })).toBe(30);
    expect(await people.countDocuments({ n: 3, tag: 'even' })).toBe(0);

    // changes are seen by the next lookup
    await people.updateOne({ email: 'u5@x.org' }, { $set: { email: 'five@x.org' } });
    expect(await people.countDocuments({ email: 'u5@x.org' })).toBe(0);
    expect((await people.find({ email: 'five@x.org' }).toArray()).map((d) => d._id)).toEqual([5]);
    await people.updateMany({ n: 3 }, { $set: { n: 33 } });
    expect(await people.countDocuments({ n: 3 })).toBe(0);
    expect(await people.countDocuments({ n: 33 })).toBe(33);
    await people.deleteMany({ n: 33 });
    expect(await people.countDocuments({ n: 33 })).toBe(0);
    await people.replaceOne({ _id: 7 }, { email: 'seven@x.org' });
    expect((await people.find({ email: 'seven@x.org' }).toArray()).map((d) => d._id)).toEqual([7]);
    expect(await people.countDocuments({ email: 'u7@x.org' })).toBe(0);
    // an upsert by a field inserts once, then finds what it inserted
    await people.updateOne({ email: 'new@x.org' }, { $set: { tag: 'new' } }, { upsert: true });
    await people.updateOne({ email: 'new@x.org' }, { $set: { tag: 'newer' } }, { upsert: true });
    expect(await people.find({ email: 'new@x.org' }, { projection: { _id: 0 } }).toArray()).toEqual([
      { email: 'new@x.org', tag: 'newer' },
    ]);
    // a collation changes what is equal: case-insensitive here
    expect(await people.countDocuments({ email: 'U9@X.ORG' }, { collation: { locale: 'en', strength: 2 } })).toBe(1);
    expect(await people.countDocuments({ email: 'U9@X.ORG' })).toBe(0);
  });

  it('updates by a field, one per document (mongoimport --mode merge), examine each document a few times, not all of them each time (test server)', async () => {
    if (mongo.isReal) return; // mongod scans without an index: this is the test server's own promise
    const coll = db.collection<{ _id: number; email: string; age?: number }>('merge_by_email');
    const N = 2_000;
    await coll.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i, email: `u${i}@x.org` })));
    const scanned = async () =>
      Number((await client.db('admin').command({ serverStatus: 1 })).metrics.queryExecutor.scannedObjects);
    const before = await scanned();
    const result = await coll.bulkWrite(
      Array.from({ length: N }, (_, i) => ({
        updateOne: { filter: { email: `u${i}@x.org` }, update: { $set: { age: i % 90 } }, upsert: true },
      })),
      { ordered: false },
    );
    expect(result.matchedCount).toBe(N);
    expect(await coll.countDocuments({ age: 89 })).toBe(Math.floor(N / 90));
    const examined = (await scanned()) - before;
    console.log(
      `${N} updates by email examined ${examined} documents (a scan each would examine about ${(N * N) / 2})`,
    );
    expect(examined).toBeLessThan(N * 3);
  });
});
