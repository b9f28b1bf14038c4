import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { CursorManager } from './cursors.js';
import { useMongo, type UsedMongo } from './index.js';

let mongo: UsedMongo;
let client: MongoClient;
let db: Db;
const DB = `testkit_sessions_${process.pid}`;

beforeAll(async () => {
  mongo = await useMongo();
  client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5000, maxPoolSize: 50 });
  await client.connect();
  db = client.db(DB);
});

afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
  await mongo?.stop();
});

describe('sessions and cursors', () => {
  it('kills the cursors of a session when the session ends', async () => {
    const c = db.collection('s');
    await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    const session = client.startSession();
    const cursor = c.find({}, { session, batchSize: 2 });
    await cursor.next();
    const id = cursor.id!;
    expect(id.isZero()).toBe(false);
    await db.admin().command({ endSessions: [session.id!] });
    await expect(db.command({ getMore: id, collection: 's' })).rejects.toMatchObject({ code: 43 });
    await session.endSession();
  });

  it('rejects transactions like a standalone mongod', async () => {
    const session = client.startSession();
    try {
      session.startTransaction();
      // mongod answers 20 IllegalOperation; the driver rewraps it as "does not support transactions"
      const err = (await db
        .collection('s')
        .insertOne({ tx: true }, { session })
        .catch((e: unknown) => e)) as Error & { code?: number; originalError?: { code?: number } };
      expect(err).toBeInstanceOf(Error);
      expect(err.code === 20 || err.originalError?.code === 20).toBe(true);
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  });

  it('rejects getMore on another namespace', async () => {
    const cursor = db.collection('s').find({}, { batchSize: 1 });
    await cursor.next();
    await expect(db.command({ getMore: cursor.id!, collection: 'other' })).rejects.toMatchObject({ code: 13 });
    await cursor.close();
  });

  it('kills cursors of dropped collections (QueryPlanKilled)', async () => {
    const c = db.collection('to_drop');
    await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ i })));
    const cursor = c.find({}, { batchSize: 2 });
    await cursor.next();
    const id = cursor.id!;
    await c.drop();
    await expect(db.command({ getMore: id, collection: 'to_drop' })).rejects.toMatchObject({
      code: mongo.isReal ? expect.any(Number) : 175,
    });
  });

  it('times out idle cursors', () => {
    const m = new CursorManager(1000);
    const docs = [Buffer.from([5, 0, 0, 0, 0]), Buffer.from([5, 0, 0, 0, 0]), Buffer.from([5, 0, 0, 0, 0])];
    const { id } = m.open('d.c', docs[Symbol.iterator](), { batchSize: 1 });
    expect(m.has(id)).toBe(true);
    m.sweep(Date.now() + 500);
    expect(m.has(id)).toBe(true);
    m.sweep(Date.now() + 5000);
    expect(m.has(id)).toBe(false);
    m.dispose();
  });
});

describe('concurrency', () => {
  it('serves many concurrent connections, each in order', async () => {
    const c = db.collection('concurrent');
    await Promise.all(
      Array.from({ length: 30 }, (_, w) =>
        (async () => {
          for (let b = 0; b < 4; b++) await c.insertMany(Array.from({ length: 25 }, (_, i) => ({ w, b, i })));
          const mine = await c.find({ w }).toArray();
          expect(mine.map((d) => d.b * 100 + d.i)).toEqual(
            Array.from({ length: 100 }, (_, k) => Math.floor(k / 25) * 100 + (k % 25)),
          );
        })(),
      ),
    );
    expect(await c.countDocuments()).toBe(30 * 100);
    const status = await db.admin().command({ serverStatus: 1 });
    if (!mongo.isReal) expect(status.connections.current).toBeGreaterThan(1);
  });
});
