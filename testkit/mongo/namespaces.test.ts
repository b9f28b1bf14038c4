import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Int32, MongoClient, MongoServerError, ObjectId, type CollectionInfo, type Db } from 'mongodb';
import { useMongo, type UsedMongo } from './index.js';

let mongo: UsedMongo;
let client: MongoClient;
let db: Db;
const DB = `testkit_ns_${process.pid}`;

interface TestDoc {
  _id?: number | string | ObjectId;
  [key: string]: unknown;
}
const col = (name: string) => db.collection<TestDoc>(name);

beforeAll(async () => {
  mongo = await useMongo();
  client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db(DB);
});

afterAll(async () => {
  await db?.dropDatabase();
  await client.db(`${DB}_other`).dropDatabase();
  await client?.close();
  await mongo?.stop();
});

describe('collections', () => {
  it('creates collections with options and lists them exactly', async () => {
    const validator = {
      $jsonSchema: { bsonType: 'object', required: ['name'], properties: { name: { bsonType: 'string' } } },
    };
    await db.createCollection('validated', { validator, validationLevel: 'strict', validationAction: 'error' });
    await db.createCollection('capped', { capped: true, size: 4096, max: 3 });
    await db.createCollection('collated', { collation: { locale: 'en', strength: 2 } });
    await db.createCollection('series', { timeseries: { timeField: 'ts', metaField: 'meta', granularity: 'hours' } });
    await db.createCollection('src');
    await db.createCollection('view1', { viewOn: 'src', pipeline: [{ $match: { keep: true } }] });

    const infos = (await db.listCollections().toArray()) as CollectionInfo[];
    const byName = Object.fromEntries(infos.map((i) => [i.name, i]));
    expect(byName.validated.type).toBe('collection');
    expect(byName.validated.options).toEqual({ validator, validationLevel: 'strict', validationAction: 'error' });
    expect(byName.validated.info).toMatchObject({ readOnly: false });
    expect(byName.validated.idIndex).toEqual({ v: 2, key: { _id: 1 }, name: '_id_' });
    expect(byName.capped.options).toEqual({ capped: true, size: 4096, max: 3 });
    expect(byName.collated.options).toEqual({ collation: { locale: 'en', strength: 2 } });
    expect(byName.series.type).toBe('timeseries');
    // (a real mongod adds bucketMaxSpanSeconds)
    expect(byName.series.options).toMatchObject({
      timeseries: { timeField: 'ts', metaField: 'meta', granularity: 'hours' },
    });
    expect(byName.view1.type).toBe('view');
    expect(byName.view1.options).toEqual({ viewOn: 'src', pipeline: [{ $match: { keep: true } }] });
    expect(byName.view1.info).toEqual({ readOnly: true });

    const names = await db.listCollections({ name: 'capped' }, { nameOnly: true }).toArray();
    expect(names).toEqual([{ name: 'capped', type: 'collection' }]);
    const views = await db.listCollections({ type: 'view' }).toArray();
    expect(views.map((v) => v.name)).toEqual(['view1']);
    const opts = await db.collection('capped').options();
    expect(opts).toEqual({ capped: true, size: 4096, max: 3 });
  });

  it('enforces validators, capped limits and collations', async () => {
    await expect(col('validated').insertOne({ name: 5 })).rejects.toMatchObject({ code: 121 });
    await col('validated').insertOne({ name: 'ok' });
    for (let i = 0; i < 5; i++) await col('capped').insertOne({ i });
    expect((await col('capped').find().toArray()).map((d) => d.i)).toEqual([2, 3, 4]);
    await col('collated').insertMany([{ s: 'abc' }, { s: 'ABC' }, { s: 'abd' }]);
    expect(await col('collated').countDocuments({ s: 'abc' })).toBe(2);
  });

  it('honours bypassDocumentValidation and collMod', async () => {
    await col('validated').insertOne({ name: 42 }, { bypassDocumentValidation: true });
    await expect(col('validated').updateOne({ name: 'ok' }, { $set: { name: 1 } })).rejects.toMatchObject({
      code: 121,
    });
    await col('validated').updateOne({ name: 'ok' }, { $set: { name: 1 } }, { bypassDocumentValidation: true });
    await db.command({ collMod: 'validated', validator: { n: { $exists: true } }, validationLevel: 'moderate' });
    const [info] = await db.listCollections({ name: 'validated' }).toArray();
    expect((info as CollectionInfo).options).toEqual({
      validator: { n: { $exists: true } },
      validationLevel: 'moderate',
      validationAction: 'error',
    });
    await expect(col('validated').insertOne({ name: 'x' })).rejects.toMatchObject({ code: 121 });
    await db.command({ collMod: 'validated', validator: {}, validationLevel: 'off' });
    await col('validated').insertOne({ anything: true });
    await col('ttl').createIndex({ at: 1 }, { expireAfterSeconds: 60 });
    const r = await db.command({ collMod: 'ttl', index: { keyPattern: { at: 1 }, expireAfterSeconds: 120 } });
    expect(r).toMatchObject({ expireAfterSeconds_old: 60, expireAfterSeconds_new: 120 });
    expect((await col('ttl').listIndexes().toArray()).find((i) => i.name === 'at_1')?.expireAfterSeconds).toBe(120);
    await expect(db.command({ collMod: 'nope_missing', validator: {} })).rejects.toMatchObject({ code: 26 });
  });

  it('requires the time field in time-series collections', async () => {
    await col('series').insertOne({ ts: new Date(), meta: 'a', v: 1 });
    await expect(col('series').insertOne({ meta: 'a', v: 2 })).rejects.toMatchObject({ code: 2 });
    expect(await col('series').countDocuments()).toBe(1);
  });

  it('runs queries on views through their pipeline', async () => {
    await col('src').insertMany([
      { _id: 1, keep: true, v: 3 },
      { _id: 2, keep: false, v: 1 },
      { _id: 3, keep: true, v: 2 },
    ]);
    expect(
      await col('view1')
        .find({}, { sort: { v: 1 } })
        .toArray(),
    ).toEqual([
      { _id: 3, keep: true, v: 2 },
      { _id: 1, keep: true, v: 3 },
    ]);
    expect(await col('view1').countDocuments()).toBe(2);
    await expect(col('view1').insertOne({ x: 1 })).rejects.toMatchObject({ code: 166 });
  });

  it('returns NamespaceExists for duplicate create and tolerates missing drops', async () => {
    const err = (await db.createCollection('src').catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(48);
    expect(err.message).toBe(`Collection ${DB}.src already exists.`);
    expect(await db.collection('never_existed').drop()).toBe(true);
  });

  it('renames collections (with and without dropTarget)', async () => {
    await col('ren_a').insertOne({ _id: 1 });
    await col('ren_b').insertOne({ _id: 2 });
    await expect(db.renameCollection('ren_a', 'ren_b')).rejects.toMatchObject({ code: 48 });
    await db.renameCollection('ren_a', 'ren_b', { dropTarget: true });
    expect(await col('ren_b').find().toArray()).toEqual([{ _id: 1 }]);
    await expect(db.renameCollection('ren_missing', 'x')).rejects.toMatchObject({ code: 26 });
    await client.db('admin').command({ renameCollection: `${DB}.ren_b`, to: `${DB}_other.moved` });
    expect(await client.db(`${DB}_other`).collection('moved').countDocuments()).toBe(1);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('ren_b');
  });

  it('lists databases, reports dbStats and drops databases', async () => {
    const scratch = client.db(`${DB}_scratch`);
    await scratch.collection('c').insertMany([{ a: 1 }, { a: 2 }]);
    const list = await client.db('admin').admin().listDatabases();
    const entry = list.databases.find((d) => d.name === `${DB}_scratch`);
    expect(entry).toBeDefined();
    expect(entry!.sizeOnDisk).toBeGreaterThan(0);
    expect(list.totalSize).toBeGreaterThan(0);
    const namesOnly = await client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(namesOnly.databases.map((d) => d.name)).toContain(`${DB}_scratch`);
    const filtered = await client.db('admin').command({ listDatabases: 1, filter: { name: `${DB}_scratch` } });
    expect(filtered.databases).toHaveLength(1);
    const stats = await scratch.stats();
    expect(stats.db).toBe(`${DB}_scratch`);
    expect(stats.collections).toBe(1);
    expect(stats.objects).toBe(2);
    expect(stats.dataSize).toBeGreaterThan(0);
    await scratch.dropDatabase();
    const after = await client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(`${DB}_scratch`);
  });

  it('rejects invalid database and collection names', async () => {
    await expect(db.command({ create: 'has$dollar' })).rejects.toMatchObject({
      code: 73,
      codeName: 'InvalidNamespace',
    });
    await expect(db.command({ create: '' })).rejects.toMatchObject({ code: 73 });
  });
});

describe('indexes', () => {
  it('stores specs exactly, lists and drops them', async () => {
    const c = col('idx');
    await c.insertOne({ a: 1, b: 'x' });
    const name = await c.createIndex(
      { a: 1, b: -1 },
      {
        unique: true,
        sparse: true,
        name: 'a_b',
        partialFilterExpression: { a: { $gt: 0 } },
        collation: { locale: 'fr' },
      },
    );
    expect(name).toBe('a_b');
    await c.createIndex({ ttl: 1 }, { expireAfterSeconds: 3600 });
    await c.createIndex({ text: 'text' }, { weights: { text: 5 }, default_language: 'english' });
    await c.createIndex({ h: 'hashed' });
    const specs = await c.listIndexes().toArray();
    expect(specs[0]).toEqual({ v: 2, key: { _id: 1 }, name: '_id_' });
    expect(specs.find((s) => s.name === 'a_b')).toEqual({
      v: 2,
      key: { a: 1, b: -1 },
      name: 'a_b',
      unique: true,
      sparse: true,
      partialFilterExpression: { a: { $gt: 0 } },
      collation: { locale: 'fr' },
    });
    expect(specs.find((s) => s.name === 'ttl_1')).toMatchObject({ expireAfterSeconds: 3600 });
    expect(specs.find((s) => s.name === 'text_text')).toMatchObject({
      weights: { text: 5 },
      default_language: 'english',
    });
    expect(specs.map((s) => s.name)).toContain('h_hashed');

    // same spec again is a no-op; conflicting name errors
    await c.createIndex({ ttl: 1 }, { expireAfterSeconds: 3600 });
    await expect(c.createIndex({ other: 1 }, { name: 'ttl_1' })).rejects.toMatchObject({ code: 86 });

    await c.dropIndex('h_hashed');
    await c.dropIndex({ ttl: 1 } as never);
    await expect(c.dropIndex('nope')).rejects.toMatchObject({ code: 27 });
    await expect(c.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    expect((await c.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_', 'a_b', 'text_text']);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_']);
    await expect(col('idx_missing').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });

  it('enforces unique indexes on insert and update with mongod-shaped errors', async () => {
    const c = col('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 1, email: 'a@x.io' });
    const err = (await c.insertOne({ _id: 2, email: 'a@x.io' }).catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(11000);
    expect(err.message).toBe(
      `E11000 duplicate key error collection: ${DB}.uniq index: email_1 dup key: { email: "a@x.io" }`,
    );
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.io' });
    await c.insertOne({ _id: 2, email: 'b@x.io' });
    await expect(c.updateOne({ _id: 2 }, { $set: { email: 'a@x.io' } })).rejects.toMatchObject({ code: 11000 });
    await c.updateOne({ _id: 1 }, { $set: { email: 'c@x.io' } });
    await c.updateOne({ _id: 2 }, { $set: { email: 'a@x.io' } });
    expect(await c.countDocuments({ email: 'a@x.io' })).toBe(1);
    // missing fields index as null: only one document may lack the field
    await c.insertOne({ _id: 3 });
    await expect(c.insertOne({ _id: 4 })).rejects.toMatchObject({ code: 11000 });
  });

  it('fails to build a unique index over existing duplicates', async () => {
    const c = col('uniq_build');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(c.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_']);
    await c.createIndex({ k: 1 }, { unique: true, partialFilterExpression: { k: { $gt: 5 } } });
  });

  it('keeps int32 index key values typed', async () => {
    const c = col('idx_types');
    await c.createIndex({ a: new Int32(1) } as never);
    const spec = (await c.listIndexes().toArray()).find((s) => s.name === 'a_1');
    expect(spec?.key).toEqual({ a: 1 });
  });
});
