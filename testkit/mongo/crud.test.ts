import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Long,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  ObjectId,
  type Db,
  type Document,
  type UpdateFilter,
} from 'mongodb';
import { useMongo, type UsedMongo } from './index.js';

let mongo: UsedMongo;
let client: MongoClient;
let db: Db;
const DB = `testkit_crud_${process.pid}`;

interface TestDoc {
  _id?: number | string | ObjectId | Long | number[];
  [key: string]: unknown;
}
const col = (name: string) => db.collection<TestDoc>(name);
/** update documents written for the server, not for the driver's schema typing */
const upd = (u: Document): UpdateFilter<TestDoc> => u as UpdateFilter<TestDoc>;

beforeAll(async () => {
  mongo = await useMongo();
  client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db(DB);
});

afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
  await mongo?.stop();
});

describe('insert', () => {
  it('generates _id first and moves a late _id to the front', async () => {
    const c = col('ids');
    const r = await c.insertOne({ a: 1 });
    expect(r.insertedId).toBeInstanceOf(ObjectId);
    await c.insertOne({ b: 2, _id: 'late' });
    const raw = await c.findOne({ _id: 'late' }, { raw: true });
    const keys = Object.keys((await c.findOne({ _id: 'late' }))!);
    expect(keys[0]).toBe('_id');
    expect(raw).toBeTruthy();
  });

  it('reports duplicate keys for ordered insertMany and stops', async () => {
    const c = col('dup_ordered');
    await c.insertOne({ _id: 2 });
    const err = await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }], { ordered: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bwe = err as MongoBulkWriteError;
    expect(bwe.insertedCount).toBe(1);
    const we = bwe.writeErrors as unknown as Array<{ index: number; code: number; errmsg?: string }>;
    const list = Array.isArray(we) ? we : [we];
    expect(list).toHaveLength(1);
    expect(list[0].index).toBe(1);
    expect(list[0].code).toBe(11000);
    expect(list[0].errmsg).toBe(
      `E11000 duplicate key error collection: ${DB}.dup_ordered index: _id_ dup key: { _id: 2 }`,
    );
    expect(await c.countDocuments()).toBe(2);
    // single-document errors carry keyPattern / keyValue
    const single = (await c.insertOne({ _id: 2 }).catch((e: unknown) => e)) as MongoServerError;
    expect(single.code).toBe(11000);
    expect(single.keyValue).toEqual({ _id: 2 });
    expect(single.keyPattern).toEqual({ _id: 1 });
  });

  it('continues after duplicates for unordered insertMany', async () => {
    const c = col('dup_unordered');
    await c.insertOne({ _id: 2 });
    const err = (await c
      .insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 1 }], { ordered: false })
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.insertedCount).toBe(2);
    const list = err.writeErrors as unknown as Array<{ index: number; code: number }>;
    expect(list.map((e) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(await c.countDocuments()).toBe(3);
  });

  it('treats numerically equal _ids of different types as duplicates', async () => {
    const c = col('numeric_ids');
    await c.insertOne({ _id: 1 });
    await expect(c.insertOne({ _id: 1.0 })).rejects.toMatchObject({ code: 11000 });
    await expect(c.insertOne({ _id: Long.fromNumber(1) })).rejects.toMatchObject({ code: 11000 });
  });

  it('rejects array _id values', async () => {
    await expect(col('bad_ids').insertOne({ _id: [1, 2] })).rejects.toMatchObject({ code: 53 });
  });
});

describe('find', () => {
  beforeAll(async () => {
    const c = col('people');
    await c.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: i,
        name: `p${String(i).padStart(2, '0')}`,
        age: 20 + (i % 10),
        tags: i % 2 ? ['odd'] : ['even', 'x'],
        address: { city: i % 3 ? 'Oslo' : 'Rome', zip: 1000 + i },
      })),
    );
  });

  it('filters, sorts, projects, skips and limits', async () => {
    const c = col('people');
    const docs = await c
      .find({ age: { $gte: 25 }, 'address.city': 'Oslo' }, { projection: { name: 1, age: 1 } })
      .sort({ age: -1, _id: 1 })
      .skip(1)
      .limit(3)
      .toArray();
    const expected = Array.from({ length: 30 }, (_, i) => ({
      _id: i,
      name: `p${String(i).padStart(2, '0')}`,
      age: 20 + (i % 10),
      city: i % 3 ? 'Oslo' : 'Rome',
    }))
      .filter((p) => p.age >= 25 && p.city === 'Oslo')
      .sort((a, b) => b.age - a.age || a._id - b._id)
      .slice(1, 4)
      .map(({ _id, name, age }) => ({ _id, name, age }));
    expect(docs).toEqual(expected);
    expect(Object.keys(docs[0])).toEqual(['_id', 'name', 'age']);
  });

  it('supports exclusion projections and _id: 0', async () => {
    const c = col('people');
    const d = await c.findOne({ _id: 3 }, { projection: { _id: 0, address: 0, tags: 0 } });
    expect(d).toEqual({ name: 'p03', age: 23 });
    const d2 = await c.findOne({ _id: 3 }, { projection: { 'address.city': 1, _id: 0 } });
    expect(d2).toEqual({ address: { city: 'Rome' } });
    await expect(c.findOne({}, { projection: { a: 1, b: 0 } })).rejects.toMatchObject({ code: 31254 });
  });

  it('matches array elements, $in, $nin, $exists, $regex, $elemMatch, $size, $all', async () => {
    const c = col('people');
    expect(await c.countDocuments({ tags: 'odd' })).toBe(15);
    expect(await c.countDocuments({ tags: { $all: ['even', 'x'] } })).toBe(15);
    expect(await c.countDocuments({ tags: { $size: 2 } })).toBe(15);
    expect(await c.countDocuments({ age: { $in: [20, 21] } })).toBe(6);
    expect(await c.countDocuments({ age: { $nin: [20, 21] } })).toBe(24);
    expect(await c.countDocuments({ nope: { $exists: false } })).toBe(30);
    expect(await c.countDocuments({ name: { $regex: '^P0', $options: 'i' } })).toBe(10);
    expect(await c.countDocuments({ name: /^p1/ })).toBe(10);
    expect(await c.countDocuments({ tags: { $elemMatch: { $eq: 'x' } } })).toBe(15);
    expect(await c.countDocuments({ $or: [{ _id: 1 }, { _id: 2 }], age: { $ne: 21 } })).toBe(1);
    expect(await c.countDocuments({ $expr: { $gt: ['$age', { $add: [20, 8] }] } })).toBe(3);
  });

  it('streams cursors over several getMore batches', async () => {
    const c = col('many');
    await c.insertMany(Array.from({ length: 1050 }, (_, i) => ({ i })));
    const seen: number[] = [];
    const cursor = c.find({}, { batchSize: 100 }).sort({ i: 1 });
    for await (const d of cursor) seen.push(d.i as number);
    expect(seen).toHaveLength(1050);
    expect(seen[0]).toBe(0);
    expect(seen[1049]).toBe(1049);
    const natural = await c.find({}).toArray();
    expect(natural.map((d) => d.i)).toEqual(seen);
    const limited = await c.find({}).limit(250).batchSize(60).toArray();
    expect(limited).toHaveLength(250);
  });

  it('closes the cursor early with killCursors', async () => {
    const c = col('many');
    const cursor = c.find({}, { batchSize: 10 });
    await cursor.next();
    const id = cursor.id!;
    expect(id.isZero()).toBe(false);
    await cursor.close();
    await expect(db.command({ getMore: id, collection: 'many' })).rejects.toMatchObject({
      code: 43,
      message: `cursor id ${id.toString()} not found`,
    });
  });

  it('accepts hints on existing indexes and rejects unknown ones', async () => {
    const c = col('people');
    await c.createIndex({ age: 1 });
    expect(await c.find({ age: 20 }).hint({ age: 1 }).toArray()).toHaveLength(3);
    expect(await c.find({ age: 20 }).hint('age_1').toArray()).toHaveLength(3);
    expect(await c.find({}).hint({ _id: 1 }).limit(1).toArray()).toHaveLength(1);
    await expect(c.find({}).hint({ nope: 1 }).toArray()).rejects.toMatchObject({
      code: 2,
      message: expect.stringContaining('hint provided does not correspond to an existing index'),
    });
  });

  it('counts, estimates and distincts', async () => {
    const c = col('people');
    expect(await c.estimatedDocumentCount()).toBe(30);
    expect(await c.countDocuments({ age: 20 })).toBe(3);
    expect(await c.countDocuments({}, { skip: 5, limit: 10 })).toBe(10);
    expect(await c.distinct('address.city')).toEqual(['Oslo', 'Rome']);
    expect(await c.distinct('tags', { _id: { $lt: 4 } })).toEqual(['even', 'odd', 'x']);
  });
});

describe('update', () => {
  it('applies update operators', async () => {
    const c = col('upd');
    await c.insertOne({
      _id: 1,
      n: 1,
      arr: [1, 2, 3],
      old: 'x',
      nested: { a: 1 },
      list: [
        { k: 1, v: 'a' },
        { k: 2, v: 'b' },
      ],
    });
    const r = await c.updateOne(
      { _id: 1 },
      upd({
        $inc: { n: 2 },
        $set: { 'nested.b': 2, created: 'now' },
        $unset: { old: '' },
        $push: { arr: { $each: [4, 5], $slice: -4 } },
        $addToSet: { set: { $each: [1, 1, 2] } },
        $mul: { 'nested.a': 10 },
        $min: { low: 5 },
        $max: { high: 7 },
        $rename: { renameMe: 'renamed' },
        $currentDate: { at: true },
      }),
    );
    expect(r.matchedCount).toBe(1);
    expect(r.modifiedCount).toBe(1);
    const d = (await c.findOne({ _id: 1 }))!;
    expect(d.n).toBe(3);
    expect(d.arr).toEqual([2, 3, 4, 5]);
    expect(d.set).toEqual([1, 2]);
    expect(d.nested).toEqual({ a: 10, b: 2 });
    expect(d.low).toBe(5);
    expect(d.high).toBe(7);
    expect(d.old).toBeUndefined();
    expect(d.at).toBeInstanceOf(Date);
    await c.updateOne(
      { _id: 1 },
      upd({ $pull: { arr: { $gte: 4 } }, $pop: { set: 1 }, $pullAll: { list: [{ k: 9 }] } }),
    );
    const d2 = (await c.findOne({ _id: 1 }))!;
    expect(d2.arr).toEqual([2, 3]);
    expect(d2.set).toEqual([1]);
    await c.updateOne({ _id: 1, 'list.k': 2 }, upd({ $set: { 'list.$.v': 'B' } }));
    await c.updateOne({ _id: 1 }, upd({ $set: { 'list.$[el].hit': true } }), {
      arrayFilters: [{ 'el.k': { $gte: 2 } }],
    });
    await c.updateOne({ _id: 1 }, upd({ $inc: { 'list.$[].k': 10 } }));
    const d3 = (await c.findOne({ _id: 1 }))!;
    expect(d3.list).toEqual([
      { k: 11, v: 'a' },
      { k: 12, v: 'B', hit: true },
    ]);
    const noop = await c.updateOne({ _id: 1 }, { $set: { n: 3 } });
    expect(noop.modifiedCount).toBe(0);
    expect(noop.matchedCount).toBe(1);
  });

  it('orders new fields like mongod (lexicographic) and keeps existing positions', async () => {
    const c = col('upd_order');
    await c.insertOne({ _id: 1, z: 1, a: 1 });
    await c.updateOne({ _id: 1 }, { $set: { c: 1, b: 1, z: 2 } });
    expect(Object.keys((await c.findOne({ _id: 1 }))!)).toEqual(['_id', 'z', 'a', 'b', 'c']);
  });

  it('upserts with query equality fields and $setOnInsert', async () => {
    const c = col('upsert');
    const r = await c.updateOne(
      { email: 'a@b.c', 'profile.tier': 'gold', age: { $gt: 5 } },
      { $set: { seen: true }, $setOnInsert: { createdBy: 'test' } },
      { upsert: true },
    );
    expect(r.upsertedCount).toBe(1);
    expect(r.upsertedId).toBeInstanceOf(ObjectId);
    const d = (await c.findOne({ _id: r.upsertedId! }))!;
    expect(d).toMatchObject({ email: 'a@b.c', profile: { tier: 'gold' }, seen: true, createdBy: 'test' });
    expect(d.age).toBeUndefined();
    const r2 = await c.updateOne(
      { email: 'a@b.c' },
      { $set: { seen: false }, $setOnInsert: { createdBy: 'other' } },
      { upsert: true },
    );
    expect(r2.upsertedCount).toBe(0);
    expect(r2.modifiedCount).toBe(1);
    expect((await c.findOne({ email: 'a@b.c' }))!.createdBy).toBe('test');
    const r3 = await c.updateOne({ _id: 'fixed' }, { $set: { x: 1 } }, { upsert: true });
    expect(r3.upsertedId).toBe('fixed');
  });

  it('updates many, replaces and enforces _id immutability', async () => {
    const c = col('many_upd');
    await c.insertMany([
      { _id: 1, g: 'a' },
      { _id: 2, g: 'a' },
      { _id: 3, g: 'b' },
    ]);
    const r = await c.updateMany({ g: 'a' }, { $set: { flagged: true } });
    expect(r.matchedCount).toBe(2);
    expect(r.modifiedCount).toBe(2);
    const rr = await c.replaceOne({ _id: 3 }, { g: 'c', replaced: true });
    expect(rr.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 3 })).toEqual({ _id: 3, g: 'c', replaced: true });
    await expect(c.updateOne({ _id: 1 }, upd({ $set: { _id: 99 } }))).rejects.toMatchObject({ code: 66 });
    await expect(c.replaceOne({ _id: 1 }, { _id: 5, g: 'x' })).rejects.toMatchObject({ code: 66 });
    await expect(c.updateOne({ _id: 1 }, upd({ $inc: { g: 1 } }))).rejects.toMatchObject({ code: 14 });
    await expect(c.updateOne({ _id: 1 }, upd({ $set: { a: 1, 'a.b': 2 } }))).rejects.toMatchObject({ code: 40 });
    const up = await c.replaceOne({ _id: 77 }, { g: 'new' }, { upsert: true });
    expect(up.upsertedId).toBe(77);
  });

  it('supports pipeline updates', async () => {
    const c = col('pipe_upd');
    await c.insertOne({ _id: 1, a: 2, b: 3 });
    await c.updateOne({ _id: 1 }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 2, sum: 5 });
  });
});

describe('more update and projection semantics', () => {
  it('handles $push modifiers, $pull conditions, $bit, $rename into nested paths and $unset in arrays', async () => {
    const c = col('upd_more');
    await c.insertOne({
      _id: 1,
      scores: [5, 1, 9],
      items: [
        { k: 'a', q: 1 },
        { k: 'b', q: 5 },
        { k: 'c', q: 9 },
      ],
      flags: 5,
      arr: [1, 2, 3],
      name: 'x',
    });
    await c.updateOne({ _id: 1 }, upd({ $push: { scores: { $each: [7, 3], $position: 0, $sort: -1, $slice: 4 } } }));
    await c.updateOne({ _id: 1 }, upd({ $pull: { items: { q: { $gte: 5 } } }, $bit: { flags: { and: 4, or: 2 } } }));
    await c.updateOne({ _id: 1 }, upd({ $rename: { name: 'profile.name' }, $unset: { 'arr.1': 1 } }));
    const d = (await c.findOne({ _id: 1 }))!;
    expect(d.scores).toEqual([9, 7, 5, 3]);
    expect(d.items).toEqual([{ k: 'a', q: 1 }]);
    expect(d.flags).toBe(6);
    expect(d.profile).toEqual({ name: 'x' });
    expect(d.name).toBeUndefined();
    expect(d.arr).toEqual([1, null, 3]);
    await expect(c.updateOne({ _id: 1 }, upd({ $push: { flags: 1 } }))).rejects.toMatchObject({ code: 2 });
    await expect(c.updateOne({ _id: 1 }, upd({ $set: { 'flags.x': 1 } }))).rejects.toMatchObject({ code: 28 });
    await expect(c.updateOne({ _id: 1 }, upd({ $bogus: { a: 1 } }))).rejects.toMatchObject({ code: 9 });
  });

  it('seeds upserts from $and / $eq and applies $[] on nested arrays', async () => {
    const c = col('upd_seed');
    const r = await c.updateOne(
      { $and: [{ a: 1 }, { 'b.c': { $eq: 2 } }], d: { $in: [1, 2] } },
      { $set: { e: 3 } },
      { upsert: true },
    );
    const d = (await c.findOne({ _id: r.upsertedId! }))!;
    expect(d).toEqual({ _id: r.upsertedId, a: 1, b: { c: 2 }, e: 3 });
    await c.insertOne({ _id: 'm', grid: [[1, 2], [3]] });
    await c.updateOne({ _id: 'm' }, upd({ $inc: { 'grid.$[].$[]': 10 } }));
    expect((await c.findOne({ _id: 'm' }))!.grid).toEqual([[11, 12], [13]]);
  });

  it('projects with $slice, $elemMatch and the positional operator', async () => {
    const c = col('proj_ops');
    await c.insertOne({ _id: 1, a: [1, 2, 3, 4, 5], b: [{ x: 1 }, { x: 2 }, { x: 3 }], c: 'keep' });
    expect(await c.findOne({ _id: 1 }, { projection: { a: { $slice: 2 } } })).toEqual({
      _id: 1,
      a: [1, 2],
      b: [{ x: 1 }, { x: 2 }, { x: 3 }],
      c: 'keep',
    });
    expect(await c.findOne({ _id: 1 }, { projection: { a: { $slice: [-2, 1] }, c: 1 } })).toEqual({
      _id: 1,
      a: [4],
      c: 'keep',
    });
    expect(await c.findOne({ _id: 1 }, { projection: { b: { $elemMatch: { x: { $gte: 2 } } } } })).toEqual({
      _id: 1,
      b: [{ x: 2 }],
    });
    expect(await c.findOne({ _id: 1, 'b.x': 3 }, { projection: { 'b.$': 1 } })).toEqual({ _id: 1, b: [{ x: 3 }] });
    expect(await c.findOne({ _id: 1 }, { projection: { 'b.x': 1, _id: 0 } })).toEqual({
      b: [{ x: 1 }, { x: 2 }, { x: 3 }],
    });
    expect(await c.findOne({ _id: 1 }, { projection: { total: { $size: '$a' }, _id: 0 } })).toEqual({ total: 5 });
  });
});

describe('delete and findAndModify', () => {
  it('deletes one and many', async () => {
    const c = col('del');
    await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ i, even: i % 2 === 0 })));
    expect((await c.deleteOne({ even: true })).deletedCount).toBe(1);
    expect((await c.deleteMany({ even: true })).deletedCount).toBe(4);
    expect((await c.deleteMany({})).deletedCount).toBe(5);
    expect((await col('never_created').deleteMany({})).deletedCount).toBe(0);
  });

  it('findOneAndUpdate / Replace / Delete', async () => {
    const c = col('fam');
    await c.insertMany([
      { _id: 1, n: 5 },
      { _id: 2, n: 1 },
    ]);
    const before = await c.findOneAndUpdate({}, upd({ $inc: { n: 1 } }), { sort: { n: 1 }, returnDocument: 'before' });
    expect(before).toEqual({ _id: 2, n: 1 });
    const after = await c.findOneAndUpdate({ _id: 2 }, upd({ $inc: { n: 1 } }), {
      returnDocument: 'after',
      projection: { n: 1, _id: 0 },
    });
    expect(after).toEqual({ n: 3 });
    const withMeta = await c.findOneAndUpdate(
      { _id: 9 },
      { $set: { n: 0 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(withMeta.value).toEqual({ _id: 9, n: 0 });
    expect(withMeta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 9 });
    const replaced = await c.findOneAndReplace({ _id: 1 }, { n: 100 }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 1, n: 100 });
    const deleted = await c.findOneAndDelete({ n: { $gt: 50 } });
    expect(deleted).toEqual({ _id: 1, n: 100 });
    expect(await c.findOneAndDelete({ n: 12345 })).toBeNull();
  });
});

describe('bulkWrite', () => {
  it('runs mixed ordered operations', async () => {
    const c = col('bulk');
    const r = await c.bulkWrite([
      { insertOne: { document: { _id: 1, v: 1 } } },
      { insertOne: { document: { _id: 2, v: 2 } } },
      { updateOne: { filter: { _id: 1 }, update: upd({ $inc: { v: 10 } }) } },
      { updateMany: { filter: {}, update: { $set: { t: true } } } },
      { replaceOne: { filter: { _id: 2 }, replacement: { v: 20 } } },
      { deleteOne: { filter: { _id: 2 } } },
      { updateOne: { filter: { _id: 3 }, update: { $set: { v: 3 } }, upsert: true } },
    ]);
    expect(r.insertedCount).toBe(2);
    expect(r.matchedCount).toBe(4);
    expect(r.modifiedCount).toBe(4);
    expect(r.deletedCount).toBe(1);
    expect(r.upsertedCount).toBe(1);
    expect(await c.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, v: 11, t: true },
      { _id: 3, v: 3 },
    ]);
  });
});

describe('errors', () => {
  it('answers like a standalone to replica-set-only features', async () => {
    await expect(client.db('admin').command({ replSetGetStatus: 1 })).rejects.toMatchObject({ code: 76 });
    await expect(
      col('x')
        .aggregate([{ $changeStream: {} }])
        .toArray(),
    ).rejects.toMatchObject({ code: 40573 });
  });

  it('returns CommandNotFound for unknown commands', async () => {
    const err = (await db.command({ definitelyNotACommand: 1 }).catch((e: unknown) => e)) as MongoServerError;
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(err.message).toBe("no such command: 'definitelyNotACommand'");
  });

  it('rejects invalid namespaces and unknown stages/operators', async () => {
    await expect(col('a$b').insertOne({})).rejects.toMatchObject({ code: 73 });
    await expect(
      col('x')
        .aggregate([{ $foo: {} }])
        .toArray(),
    ).rejects.toMatchObject({ code: 40324 });
    await expect(
      col('x')
        .find({ a: { $foo: 1 } })
        .toArray(),
    ).rejects.toMatchObject({ code: 2 });
  });
});
