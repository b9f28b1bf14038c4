import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { useMongo, type UsedMongo } from './index.js';

let mongo: UsedMongo;
let client: MongoClient;
let db: Db;
const DB = `testkit_agg_${process.pid}`;

const sales = [
  { _id: 1, item: 'abc', price: 10, qty: 2, tags: ['a', 'b'], date: new Date('2024-01-01T00:00:00Z') },
  { _id: 2, item: 'jkl', price: 20, qty: 1, tags: ['b'], date: new Date('2024-01-02T00:00:00Z') },
  { _id: 3, item: 'xyz', price: 5, qty: 10, tags: [], date: new Date('2024-02-01T00:00:00Z') },
  { _id: 4, item: 'xyz', price: 5, qty: 20, tags: ['c'], date: new Date('2024-02-15T00:00:00Z') },
  { _id: 5, item: 'abc', price: 10, qty: 10, date: new Date('2024-03-01T00:00:00Z') },
];

beforeAll(async () => {
  mongo = await useMongo();
  client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db(DB);
  await db.collection('sales').insertMany(sales as Document[]);
});

afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
  await mongo?.stop();
});

const agg = (pipeline: Document[], coll = 'sales') => db.collection(coll).aggregate(pipeline).toArray();

describe('aggregation stages', () => {
  it('$match, $sort, $skip, $limit, $project', async () => {
    const r = await agg([
      { $match: { price: { $gte: 10 } } },
      { $sort: { qty: -1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 0, item: 1, total: { $multiply: ['$price', '$qty'] } } },
    ]);
    expect(r).toEqual([
      { item: 'abc', total: 20 },
      { item: 'jkl', total: 20 },
    ]);
  });

  it('$group with _id expressions and accumulators', async () => {
    const r = await agg([
      {
        $group: {
          _id: '$item',
          count: { $sum: 1 },
          qty: { $sum: '$qty' },
          avgPrice: { $avg: '$price' },
          minQty: { $min: '$qty' },
          maxQty: { $max: '$qty' },
          first: { $first: '$_id' },
          last: { $last: '$_id' },
          ids: { $push: '$_id' },
          tagSets: { $addToSet: '$price' },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(r).toEqual([
      {
        _id: 'abc',
        count: 2,
        qty: 12,
        avgPrice: 10,
        minQty: 2,
        maxQty: 10,
        first: 1,
        last: 5,
        ids: [1, 5],
        tagSets: [10],
      },
      { _id: 'jkl', count: 1, qty: 1, avgPrice: 20, minQty: 1, maxQty: 1, first: 2, last: 2, ids: [2], tagSets: [20] },
      {
        _id: 'xyz',
        count: 2,
        qty: 30,
        avgPrice: 5,
        minQty: 10,
        maxQty: 20,
        first: 3,
        last: 4,
        ids: [3, 4],
        tagSets: [5],
      },
    ]);
    const byMonth = await agg([
      { $group: { _id: { m: { $month: '$date' } }, n: { $sum: 1 } } },
      { $sort: { '_id.m': 1 } },
    ]);
    expect(byMonth).toEqual([
      { _id: { m: 1 }, n: 2 },
      { _id: { m: 2 }, n: 2 },
      { _id: { m: 3 }, n: 1 },
    ]);
    const total = await agg([{ $group: { _id: null, revenue: { $sum: { $multiply: ['$price', '$qty'] } } } }]);
    expect(total).toEqual([{ _id: null, revenue: 20 + 20 + 50 + 100 + 100 }]);
  });

  it('$count, $unwind, $addFields, $unset, $replaceRoot, $sortByCount', async () => {
    expect(await agg([{ $match: { item: 'xyz' } }, { $count: 'n' }])).toEqual([{ n: 2 }]);
    expect(await agg([{ $match: { item: 'nothing' } }, { $count: 'n' }])).toEqual([]);
    const unwound = await agg([{ $unwind: '$tags' }, { $project: { _id: 1, tags: 1 } }]);
    expect(unwound).toEqual([
      { _id: 1, tags: 'a' },
      { _id: 1, tags: 'b' },
      { _id: 2, tags: 'b' },
      { _id: 4, tags: 'c' },
    ]);
    const added = await agg([
      { $match: { _id: 2 } },
      { $addFields: { total: { $multiply: ['$price', '$qty'] }, 'meta.x': 1 } },
      { $unset: ['tags', 'date'] },
    ]);
    expect(added).toEqual([{ _id: 2, item: 'jkl', price: 20, qty: 1, total: 20, meta: { x: 1 } }]);
    const merged = await agg([
      { $match: { _id: 1 } },
      { $addFields: { sub: { x: 1 } } },
      { $addFields: { sub: { y: '$qty' } } },
      { $project: { sub: 1, _id: 0 } },
    ]);
    expect(merged).toEqual([{ sub: { x: 1, y: 2 } }]);
    const replaced = await agg([{ $match: { _id: 2 } }, { $replaceRoot: { newRoot: { name: '$item' } } }]);
    expect(replaced).toEqual([{ name: 'jkl' }]);
    const counted = await agg([{ $unwind: '$tags' }, { $sortByCount: '$tags' }]);
    expect(counted[0]).toEqual({ _id: 'b', count: 2 });
  });

  it('$sample returns the requested number of distinct documents', async () => {
    const r = await agg([{ $sample: { size: 3 } }]);
    expect(r).toHaveLength(3);
    expect(new Set(r.map((d) => d._id)).size).toBe(3);
  });

  it('$lookup joins another collection', async () => {
    await db.collection('items').insertMany([
      { _id: 'abc', label: 'Alpha' },
      { _id: 'xyz', label: 'Omega' },
    ] as never[]);
    const r = await agg([
      { $match: { _id: { $in: [1, 3] } } },
      { $lookup: { from: 'items', localField: 'item', foreignField: '_id', as: 'info' } },
      { $project: { info: 1 } },
    ]);
    expect(r).toEqual([
      { _id: 1, info: [{ _id: 'abc', label: 'Alpha' }] },
      { _id: 3, info: [{ _id: 'xyz', label: 'Omega' }] },
    ]);
  });

  it('rejects unknown stages and expressions', async () => {
    await expect(agg([{ $nope: {} }])).rejects.toMatchObject({
      code: 40324,
      message: "Unrecognized pipeline stage name: '$nope'",
    });
    await expect(agg([{ $project: { x: { $nope: 1 } } }])).rejects.toMatchObject({ code: 168 });
  });

  it('returns large results through getMore batches', async () => {
    const c = db.collection('agg_many');
    await c.insertMany(Array.from({ length: 500 }, (_, i) => ({ i, g: i % 7 })));
    const cursor = c.aggregate([{ $match: { i: { $gte: 0 } } }, { $sort: { i: -1 } }], { batchSize: 50 });
    const all = await cursor.toArray();
    expect(all).toHaveLength(500);
    expect(all[0].i).toBe(499);
  });
});

describe('$bucketAuto over _id (range splitting)', () => {
  it('splits ObjectId ranges into contiguous buckets', async () => {
    const c = db.collection('split');
    const ids = Array.from({ length: 1000 }, (_, i) => new ObjectId(i.toString(16).padStart(24, '0')));
    await c.insertMany(ids.map((_id, i) => ({ _id, i })).reverse());
    const buckets = await c.aggregate([{ $bucketAuto: { groupBy: '$_id', buckets: 4 } }]).toArray();
    expect(buckets).toHaveLength(4);
    expect(buckets.map((b) => b.count)).toEqual([250, 250, 250, 250]);
    expect(buckets[0]._id.min).toEqual(ids[0]);
    expect(buckets[0]._id.max).toEqual(ids[250]);
    expect(buckets[1]._id.min).toEqual(ids[250]);
    expect(buckets[3]._id.max).toEqual(ids[999]);
    // ranges [min, max) cover every document exactly once (the last one is inclusive)
    let covered = 0;
    for (let b = 0; b < buckets.length; b++) {
      const last = b === buckets.length - 1;
      covered += await c.countDocuments({
        _id: { $gte: buckets[b]._id.min, [last ? '$lte' : '$lt']: buckets[b]._id.max },
      });
    }
    expect(covered).toBe(1000);
  });

  it('orders mixed _id types by BSON order and keeps ties in one bucket', async () => {
    const c = db.collection('split_mixed');
    await c.insertMany([
      { _id: 'b' },
      { _id: 2 },
      { _id: new ObjectId('000000000000000000000001') },
      { _id: 'a' },
      { _id: Long.fromNumber(1) },
      { _id: 1.5 },
    ] as never[]);
    const buckets = await c.aggregate([{ $bucketAuto: { groupBy: '$_id', buckets: 3 } }]).toArray();
    expect(buckets.map((b) => [b._id.min, b._id.max, b.count])).toEqual([
      [1, 2, 2],
      [2, 'b', 2],
      ['b', new ObjectId('000000000000000000000001'), 2],
    ]);
    const tied = db.collection('split_ties');
    await tied.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    const t = await tied.aggregate([{ $bucketAuto: { groupBy: '$k', buckets: 2 } }]).toArray();
    expect(t.map((b) => b.count)).toEqual([3, 1]);
  });

  it('supports output accumulators', async () => {
    const r = await agg([
      { $bucketAuto: { groupBy: '$price', buckets: 2, output: { n: { $sum: 1 }, items: { $addToSet: '$item' } } } },
    ]);
    // like mongod: ~round(5 / 2) = 3 documents per bucket, extended while values tie
    expect(r.map((b) => [b._id.min, b._id.max, b.n, b.items.sort()])).toEqual([
      [5, 20, 4, ['abc', 'xyz']],
      [20, 20, 1, ['jkl']],
    ]);
  });
});

describe('$collStats and counts', () => {
  it('returns count and storageStats', async () => {
    const [stats] = await agg([{ $collStats: { count: {}, storageStats: {} } }]);
    expect(stats.ns).toBe(`${DB}.sales`);
    expect(stats.count).toBe(5);
    expect(stats.storageStats.count).toBe(5);
    expect(stats.storageStats.size).toBeGreaterThan(0);
    expect(stats.storageStats.avgObjSize).toBeGreaterThan(0);
    expect(stats.storageStats.storageSize).toBeGreaterThan(0);
    expect(stats.storageStats.nindexes).toBe(1);
    expect(stats.storageStats.totalIndexSize).toBeGreaterThan(0);
    expect(stats.storageStats.indexSizes._id_).toBeGreaterThan(0);
    await expect(agg([{ $match: {} }, { $collStats: { count: {} } }])).rejects.toMatchObject({ code: 40602 });
  });

  it('keeps numeric types in $sum / $avg results', async () => {
    const c = db.collection('num_types');
    await c.insertMany([
      { v: new Int32(2147483647) },
      { v: new Int32(1) },
      { v: new Double(0.5) },
      { v: Decimal128.fromString('0.25') },
    ]);
    const [ints] = await c
      .aggregate([{ $match: { v: { $type: 'int' } } }, { $group: { _id: null, s: { $sum: '$v' } } }], {
        promoteLongs: false,
      })
      .toArray();
    expect(Long.isLong(ints.s)).toBe(true);
    expect((ints.s as Long).toString()).toBe('2147483648');
    const [all] = await c.aggregate([{ $group: { _id: null, s: { $sum: '$v' } } }]).toArray();
    expect(all.s).toBeInstanceOf(Decimal128);
    expect(all.s.toString()).toBe('2147483648.75');
  });
});
