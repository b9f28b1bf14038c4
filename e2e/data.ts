/**
 * Test data: a collection of documents with mixed BSON types (every type a migration must carry
 * byte-for-byte), and raw reads to compare source and target exactly.
 */
import {
  Binary,
  BSONRegExp,
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
  type Document,
} from 'mongodb';

/** A deterministic document #i mixing BSON types; _id types vary too (int, ObjectId, string). */
export function mixedDocument(i: number): Document {
  const hex = i.toString(16).padStart(24, '0');
  const _id = i % 10 === 0 ? new ObjectId(hex) : i % 10 === 1 ? `key-${String(i).padStart(6, '0')}` : new Int32(i);
  return {
    _id,
    seq: new Int32(i),
    name: `Customer ${i} ✓ Ünïcödé 日本`,
    long: Long.fromString(`${9_000_000_000_000 + i}`),
    integralDouble: new Double(i % 7),
    negativeZero: new Double(-0),
    ratio: i / 7,
    price: Decimal128.fromString(`${i}.${String(i % 100).padStart(2, '0')}`),
    createdAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000),
    ts: new Timestamp({ t: 1_700_000_000 + i, i: i % 5 }),
    active: i % 3 === 0,
    missing: null,
    tags: ['a', `t${i % 13}`, new Int32(i % 5), new Double(2.5)],
    nested: {
      level: { deeper: { n: Long.fromNumber(i), flag: i % 2 === 0, when: new Date(0) } },
      list: [{ x: new Int32(1) }, { x: 'two' }],
    },
    bin: new Binary(Buffer.from([i & 0xff, (i >> 8) & 0xff, 0, 255]), 0),
    uuid: new UUID(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(12, 24)}`,
    ).toBinary(),
    pattern: new BSONRegExp(`^cust${i % 10}`, 'im'),
    ...(i % 50 === 0
      ? { edges: { min: new MinKey(), max: new MaxKey(), code: new Code('function () { return 1; }') } }
      : {}),
    ...(i % 4 === 0 ? { notes: 'x'.repeat(200 + (i % 300)) } : {}),
  };
}

/** Inserts `count` mixed documents into db.coll (in batches). */
export async function seedMixed(uri: string, db: string, coll: string, count: number): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    const collection = client.db(db).collection(coll);
    const batch = 1_000;
    for (let start = 0; start < count; start += batch) {
      const docs = [];
      for (let i = start; i < Math.min(count, start + batch); i++) docs.push(mixedDocument(i));
      await collection.insertMany(docs, { ordered: true });
    }
  } finally {
    await client.close();
  }
}

/** Every document of db.coll as raw BSON bytes, sorted by _id. */
export async function rawDocuments(uri: string, db: string, coll: string): Promise<Buffer[]> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    const cursor = client
      .db(db)
      .collection(coll)
      .find({}, { raw: true, sort: { _id: 1 }, batchSize: 5_000 });
    const docs: Buffer[] = [];
    for await (const doc of cursor) docs.push(Buffer.from(doc as unknown as Uint8Array));
    return docs;
  } finally {
    await client.close();
  }
}

export async function countDocuments(uri: string, db: string, coll: string): Promise<number> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    return await client.db(db).collection(coll).countDocuments();
  } finally {
    await client.close();
  }
}

export async function dropDatabase(uri: string, db: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    await client.db(db).dropDatabase();
  } finally {
    await client.close();
  }
}

export const uniqueName = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
