import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Binary,
  BSON,
  BSONRegExp,
  BSONSymbol,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoClient,
  ObjectId,
  Timestamp,
  UUID,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import { useMongo, type UsedMongo } from './index.js';

let mongo: UsedMongo;
let client: MongoClient;
let db: Db;
const DB = `testkit_types_${process.pid}`;

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

/** A document holding every BSON type the driver can produce, with awkward values. */
function everyType(): Document {
  return {
    _id: new ObjectId(),
    double: new Double(1.5),
    integralDouble: new Double(1.0),
    negZero: new Double(-0),
    nan: new Double(NaN),
    inf: new Double(Infinity),
    negInf: new Double(-Infinity),
    string: 'héllo wörld',
    emptyString: '',
    object: { nested: { deeper: [1, { x: null }] } },
    array: [new Int32(1), 'two', [3, [4]], { five: 5 }],
    bin0: new Binary(Buffer.from([0, 1, 2, 255]), 0),
    bin1: new Binary(Buffer.from('function'), 1),
    bin2: new Binary(Buffer.from('old binary'), 2),
    bin3: new Binary(Buffer.alloc(16, 7), 3),
    uuid: new UUID('0b5bb6b8-6f3e-4a3c-9d5a-1a2b3c4d5e6f'),
    bin5: new Binary(Buffer.alloc(16, 9), 5),
    bin6: new Binary(Buffer.from('encrypted'), 6),
    bin7: new Binary(Buffer.from('compressed'), 7),
    bin8: new Binary(Buffer.from('sensitive'), 8),
    binUser: new Binary(Buffer.from('user defined'), 0x80),
    emptyBinary: new Binary(Buffer.alloc(0), 0),
    objectId: new ObjectId('0123456789abcdef01234567'),
    boolTrue: true,
    boolFalse: false,
    date: new Date('2001-02-03T04:05:06.789Z'),
    preEpoch: new Date(-86400000 * 365),
    nullValue: null,
    regex: new BSONRegExp('^a.*b$', 'imsux'),
    regexNoFlags: new BSONRegExp('x'),
    code: new Code('function () { return 1; }'),
    codeWithScope: new Code('function () { return x; }', { x: new Int32(1) }),
    symbol: new BSONSymbol('sym'),
    int32: new Int32(-2147483648),
    int32Max: new Int32(2147483647),
    timestamp: new Timestamp({ t: 4294967295, i: 4294967295 }),
    long: Long.fromString('9223372036854775807'),
    longMin: Long.fromString('-9223372036854775808'),
    decimal: Decimal128.fromString('1234567890.123456789012345678901234'),
    decimalNegZero: Decimal128.fromString('-0.00'),
    decimalNaN: Decimal128.fromString('NaN'),
    decimalExp: Decimal128.fromString('1.000E+6144'),
    minKey: new MinKey(),
    maxKey: new MaxKey(),
    ключ: 'значение',
    名前: '値',
    '🔑': '🎉',
    'dotted.key': 'allowed since 5.0',
  };
}

async function findRaw(c: Collection, filter: Document): Promise<Buffer> {
  const r: unknown = await c.findOne(filter, { raw: true });
  if (!(r instanceof Uint8Array)) throw new Error('expected raw BSON bytes');
  return Buffer.from(r);
}

describe('byte-exact round trips', () => {
  it('returns every BSON type exactly as inserted (raw bytes)', async () => {
    const c = db.collection('roundtrip');
    const doc = everyType();
    const bytes = BSON.serialize(doc);
    await c.insertOne(doc);
    const back = await findRaw(c, { _id: doc._id });
    expect(Buffer.compare(back, Buffer.from(bytes))).toBe(0);

    // also through a full scan, an aggregation and a getMore
    const viaFind: unknown[] = await c.find({}, { raw: true, batchSize: 0 }).toArray();
    expect(Buffer.compare(Buffer.from(viaFind[0] as Uint8Array), Buffer.from(bytes))).toBe(0);
    const viaAgg: unknown[] = await c.aggregate([{ $match: { _id: doc._id } }], { raw: true }).toArray();
    expect(Buffer.compare(Buffer.from(viaAgg[0] as Uint8Array), Buffer.from(bytes))).toBe(0);
  });

  it('keeps types when documents are rewritten by an update', async () => {
    const c = db.collection('roundtrip_update');
    const doc = everyType();
    await c.insertOne(doc);
    await c.updateOne({ _id: doc._id }, { $set: { touched: true } });
    const back = await findRaw(c, { _id: doc._id });
    const expected = BSON.serialize({ ...doc, touched: true });
    expect(Buffer.compare(back, Buffer.from(expected))).toBe(0);
  });

  it('decodes typed values with promoteValues: false', async () => {
    const c = db.collection('roundtrip');
    const d = (await c.findOne({}, { promoteValues: false }))!;
    expect(d.integralDouble as unknown).toBeInstanceOf(Double);
    expect(d.int32).toBeInstanceOf(Int32);
    expect(d.long).toBeInstanceOf(Long);
    expect(Object.is((d.negZero as Double).value, -0)).toBe(true);
  });
});

describe('cross-type comparison', () => {
  beforeAll(async () => {
    await db
      .collection('nums')
      .insertMany([
        { _id: 'i0', v: new Int32(0) },
        { _id: 'i1', v: new Int32(1) },
        { _id: 'i2', v: new Int32(2) },
        { _id: 'l1', v: Long.fromNumber(1) },
        { _id: 'l3', v: Long.fromNumber(3) },
        { _id: 'lbig', v: Long.fromString('9007199254740993') },
        { _id: 'd15', v: new Double(1.5) },
        { _id: 'd1', v: new Double(1.0) },
        { _id: 'dec125', v: Decimal128.fromString('1.25') },
        { _id: 'dec1', v: Decimal128.fromString('1.000') },
        { _id: 'dbig', v: new Double(9007199254740992) },
        { _id: 'nan', v: new Double(NaN) },
        { _id: 's', v: '5' },
        { _id: 'null', v: null },
        { _id: 'missing' },
        { _id: 'arr', v: [0, 10] },
        { _id: 'date', v: new Date(5) },
        { _id: 'bool', v: true },
        { _id: 'oid', v: new ObjectId('000000000000000000000001') },
        { _id: 'obj', v: { a: 1 } },
        { _id: 'min', v: new MinKey() },
        { _id: 'max', v: new MaxKey() },
      ] as never[]);
  });

  const ids = async (filter: Document, sort: Document = { _id: 1 }): Promise<string[]> =>
    (await db.collection('nums').find(filter, { sort }).toArray()).map((d) => String(d._id));

  it('compares numbers across int/long/double/decimal with type bracketing', async () => {
    expect(await ids({ v: { $gt: 1 } })).toEqual(['arr', 'd15', 'dbig', 'dec125', 'i2', 'l3', 'lbig']);
    // like mongod, each bound may be satisfied by a different array element ([0, 10] matches)
    expect(await ids({ v: { $gte: 1, $lt: 2 } })).toEqual(['arr', 'd1', 'd15', 'dec1', 'dec125', 'i1', 'l1']);
    expect(await ids({ v: { $elemMatch: { $gte: 1, $lt: 2 } } })).toEqual([]);
    expect(await ids({ v: 1 })).toEqual(['d1', 'dec1', 'i1', 'l1']);
    expect(await ids({ v: { $in: [Decimal128.fromString('1.5'), 3] } })).toEqual(['d15', 'l3']);
    expect(await ids({ v: { $gt: new Double(9007199254740992) } })).toEqual(['lbig']);
    expect(await ids({ v: NaN })).toEqual(['nan']);
    expect(await ids({ v: { $lt: 0 } })).toEqual([]);
    expect(await ids({ v: null })).toEqual(['missing', 'null']);
    expect(await ids({ v: { $gt: '4' } })).toEqual(['s']);
    expect(await ids({ v: { $gte: new MinKey() } })).toHaveLength(22);
    expect(await ids({ v: { $lt: new MaxKey() } })).toHaveLength(21);
  });

  it('sorts mixed types in BSON order', async () => {
    const order = (
      await db
        .collection('nums')
        .find({}, { sort: { v: 1, _id: 1 } })
        .toArray()
    ).map((d) => String(d._id));
    expect(order).toEqual([
      'min',
      'missing',
      'null',
      'nan',
      'arr', // array sorts by its smallest element (0) ascending
      'i0',
      'd1',
      'dec1',
      'i1',
      'l1',
      'dec125',
      'd15',
      'i2',
      'l3',
      'dbig',
      'lbig',
      's',
      'obj',
      'oid',
      'bool',
      'date',
      'max',
    ]);
    const desc = (
      await db
        .collection('nums')
        .find({ _id: { $in: ['arr', 'lbig', 'i2'] } } as Document, { sort: { v: -1 } })
        .toArray()
    ).map((d) => String(d._id));
    expect(desc).toEqual(['lbig', 'arr', 'i2']); // descending uses the array's largest element (10)
  });

  it('matches $type by alias and by number', async () => {
    expect(await ids({ v: { $type: 'int' } })).toEqual(['arr', 'i0', 'i1', 'i2']); // array elements count
    expect(await ids({ v: { $type: 'long' } })).toEqual(['l1', 'l3', 'lbig']);
    expect(await ids({ v: { $type: 'double' } })).toEqual(['d1', 'd15', 'dbig', 'nan']);
    expect(await ids({ v: { $type: 'decimal' } })).toEqual(['dec1', 'dec125']);
    expect(await ids({ v: { $type: 19 } })).toEqual(['dec1', 'dec125']);
    expect(await ids({ v: { $type: 'number' } })).toHaveLength(13);
    expect(await ids({ v: { $type: ['string', 'bool'] } })).toEqual(['bool', 's']);
    expect(await ids({ v: { $type: 'array' } })).toEqual(['arr']);
    expect(await ids({ v: { $type: 'null' } })).toEqual(['null']);
    expect(await ids({ v: { $type: 'minKey' } })).toEqual(['min']);
    expect(await ids({ v: { $type: 127 } })).toEqual(['max']);
    expect(await ids({ v: { $type: 'objectId' } })).toEqual(['oid']);
    expect(await ids({ v: { $type: 'date' } })).toEqual(['date']);
    expect(await ids({ v: { $type: 'object' } })).toEqual(['obj']);
    await expect(ids({ v: { $type: 'nope' } })).rejects.toMatchObject({ code: 2 });
  });

  it('uses the exact _id order for range queries over mixed _id types', async () => {
    const c = db.collection('range_ids');
    await c.insertMany([
      { _id: 3 },
      { _id: Long.fromNumber(1) },
      { _id: 2.5 },
      { _id: 'a' },
      { _id: new ObjectId('000000000000000000000000') },
    ] as never[]);
    const inRange = await c.find({ _id: { $gte: 1, $lt: 3 } } as Document, { sort: { _id: 1 } }).toArray();
    expect(inRange.map((d) => Number(d._id))).toEqual([1, 2.5]);
    const all = await c.find({}, { sort: { _id: -1 } }).toArray();
    expect(all.map((d) => typeof d._id)).toEqual(['object', 'string', 'number', 'number', 'number']);
  });

  it('serves _id-ordered range scans (find and aggregate) consistently with a full sort', async () => {
    const c = db.collection('pagination');
    const docs: Document[] = [];
    for (let i = 0; i < 300; i++) {
      const k = i % 6;
      const _id =
        k === 0
          ? new ObjectId(i.toString(16).padStart(24, '0'))
          : k === 1
            ? `s${(i * 7919) % 1000}`
            : k === 2
              ? new Int32(i)
              : k === 3
                ? Long.fromNumber(i * 3)
                : k === 4
                  ? new Double(i + 0.5)
                  : Decimal128.fromString(`${i}.25`);
      docs.push({ _id, i });
    }
    await c.insertMany(docs);
    const slow = async (filter: Document, dir: 1 | -1) =>
      (await c.find(filter, { sort: { _id: dir, i: 1 } }).toArray()).map((d) => d.i as number);
    const fast = async (filter: Document, dir: 1 | -1) =>
      (await c.find(filter, { sort: { _id: dir } }).toArray()).map((d) => d.i as number);
    const viaAgg = async (filter: Document, dir: 1 | -1) =>
      (await c.aggregate([{ $match: filter }, { $sort: { _id: dir } }]).toArray()).map((d) => d.i as number);
    const filters: Document[] = [
      {},
      { _id: { $gte: 10, $lt: 200 } },
      { _id: { $gt: Long.fromNumber(30) } },
      { _id: { $lte: new Double(50.5) } },
      { _id: { $gt: 's5' } },
      { _id: { $gte: new ObjectId('000000000000000000000010') } },
      { _id: 42 },
      { _id: { $eq: 's0' } },
      { _id: { $type: 'string' } },
      { _id: { $type: 'number', $gte: 10, $lt: 100 } },
      { _id: { $type: 'objectId', $gt: new ObjectId('000000000000000000000030') } },
      { _id: { $type: 'string', $gte: 5 } },
    ];
    for (const f of filters) {
      for (const dir of [1, -1] as const) {
        const expected = await slow(f, dir);
        expect(await fast(f, dir)).toEqual(expected);
        expect(await viaAgg(f, dir)).toEqual(expected);
      }
    }
    // keyset pagination over the whole collection
    let last: unknown;
    const seen: number[] = [];
    for (;;) {
      const page = await c
        .find((last === undefined ? {} : { _id: { $gt: last } }) as Document, { sort: { _id: 1 }, limit: 37 })
        .toArray();
      if (page.length === 0) break;
      seen.push(...page.map((d) => d.i as number));
      last = page[page.length - 1]._id;
    }
    // numbers, strings and ObjectIds are separate type brackets: keyset $gt stays inside one
    expect(seen.length).toBeLessThanOrEqual(300);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('keeps _id-ordered scans correct across inserts, deletes and re-inserts', async () => {
    const c = db.collection('sorted_maint');
    const ids = async () => (await c.find({}, { sort: { _id: 1 } }).toArray()).map((d) => Number(d._id));
    const range = async () =>
      (await c.find({ _id: { $gte: 3, $lt: 9 } } as Document).toArray()).map((d) => Number(d._id));
    await c.insertMany([5, 1, 9, 3].map((_id) => ({ _id })) as Document[]);
    expect(await ids()).toEqual([1, 3, 5, 9]);
    await c.insertMany([7, 2].map((_id) => ({ _id })) as Document[]);
    await c.deleteOne({ _id: 3 } as Document);
    expect(await ids()).toEqual([1, 2, 5, 7, 9]);
    await c.insertOne({ _id: 3 } as Document);
    await c.deleteOne({ _id: 7 } as Document);
    await c.insertOne({ _id: 7 } as Document);
    await c.deleteOne({ _id: 2 } as Document);
    expect(await ids()).toEqual([1, 3, 5, 7, 9]);
    expect(await range()).toEqual([3, 5, 7]); // _id range without sort comes in _id order, like an index scan
    await c.insertOne({ _id: 4 } as Document);
    await c.deleteOne({ _id: 4 } as Document);
    await c.insertOne({ _id: 4 } as Document);
    expect(await ids()).toEqual([1, 3, 4, 5, 7, 9]);
    const buckets = await c.aggregate([{ $bucketAuto: { groupBy: '$_id', buckets: 3 } }]).toArray();
    expect(buckets.map((b) => [b._id.min, b._id.max, b.count])).toEqual([
      [1, 4, 2],
      [4, 7, 2],
      [7, 9, 2],
    ]);
  });
});
