/**
 * The copy's _id ranges, against the project's MongoDB test server (or MONGODB_URI) with the real driver:
 * every document falls in exactly one partition, whatever the types and sizes of _id; one set of ranges
 * per BSON type class, in BSON order; no more partitions than asked and none empty; split points from a
 * sample, or from $bucketAuto when the sample is too small; a resumed partition starts after its checkpoint.
 */
import { randomUUID } from 'node:crypto';
import {
  Binary,
  BSON,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoClient,
  ObjectId,
  type Collection,
  type Document,
} from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { computePartitions, partitionFilter, type Partition } from './partitions';

let server: { uri: string; stop(): Promise<void> };
let client: MongoClient;
const dbName = `cutover_partitions_${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  server = await useMongo();
  client = await new MongoClient(server.uri).connect();
});
afterAll(async () => {
  await client
    ?.db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
  await server?.stop();
});

async function collectionOf(ids: unknown[]): Promise<Collection> {
  const collection = client.db(dbName).collection(`c_${randomUUID().slice(0, 8)}`);
  for (let i = 0; i < ids.length; i += 1000)
    await collection.insertMany(ids.slice(i, i + 1000).map((_id, n) => ({ _id, n: i + n }) as Document));
  return collection;
}

const key = (id: unknown) => BSON.EJSON.stringify({ id } as Document, { relaxed: false });

/** How many documents each partition's query reads; fails if a document is read twice or never. */
async function coverage(collection: Collection, partitions: Partition[]): Promise<number[]> {
  const seen = new Map<string, string>();
  const sizes: number[] = [];
  for (const partition of partitions) {
    const docs = await collection.find(partitionFilter(partition), { projection: { _id: 1 } }).toArray();
    for (const doc of docs) {
      const k = key(doc._id);
      expect(seen.get(k), `${k} is in ${seen.get(k)} and ${partition.id}`).toBeUndefined();
      seen.set(k, partition.id);
    }
    sizes.push(docs.length);
  }
  expect(seen.size).toBe(await collection.countDocuments());
  return sizes;
}

describe('copy partitions', () => {
  it('makes none for an empty collection and one whole range for a small one', async () => {
    expect(await computePartitions(await collectionOf([]), { partitionDocs: 100, maxPartitions: 8 })).toEqual([]);
    const small = await collectionOf(Array.from({ length: 50 }, () => new ObjectId()));
    const partitions = await computePartitions(small, { partitionDocs: 100, maxPartitions: 8 });
    expect(partitions).toEqual([{ id: 'objectId-0', typeClass: 'objectId', lo: undefined, hi: undefined }]);
    expect(await coverage(small, partitions)).toEqual([50]);
  });

  it('splits a large collection into ascending ranges, no more than asked, none empty', async () => {
    const collection = await collectionOf(Array.from({ length: 6000 }, (_, i) => i));
    const partitions = await computePartitions(collection, { partitionDocs: 1000, maxPartitions: 4 });
    expect(partitions).toHaveLength(4);
    expect(partitions.every((p) => p.typeClass === 'number')).toBe(true);
    expect(partitions[0].lo).toBeUndefined();
    expect(partitions.at(-1)?.hi).toBeUndefined();
    for (let i = 1; i < partitions.length; i++) {
      expect(partitions[i].lo).toBe(partitions[i - 1].hi);
      if (i > 1) expect(Number(partitions[i].lo)).toBeGreaterThan(Number(partitions[i - 1].lo));
    }
    const sizes = await coverage(collection, partitions);
    // Quantiles of a random sample: every range holds a fair share (a quarter would be 1,500).
    for (const size of sizes) expect(size).toBeGreaterThan(500);
    const fewer = await computePartitions(collection, { partitionDocs: 2500, maxPartitions: 8 });
    expect(fewer).toHaveLength(3);
    await coverage(collection, fewer);
  });

  it('puts every numeric type in one class, compared by value', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => {
      const kind = i % 4;
      return kind === 0
        ? new Int32(i)
        : kind === 1
          ? Long.fromNumber(i)
          : kind === 2
            ? new Double(i + 0.5)
            : Decimal128.fromString(`${i}.25`);
    });
    const collection = await collectionOf(ids);
    const partitions = await computePartitions(collection, { partitionDocs: 500, maxPartitions: 8 });
    expect(new Set(partitions.map((p) => p.typeClass))).toEqual(new Set(['number']));
    expect(partitions).toHaveLength(4);
    await coverage(collection, partitions);
  });

  it('makes ranges per type class in BSON order, and leaves single-value classes whole', async () => {
    const ids: unknown[] = [new MinKey(), new MaxKey(), true, false];
    for (let i = 0; i < 300; i++)
      ids.push(
        i,
        `s${String(i).padStart(4, '0')}`,
        new ObjectId(),
        new Date(Date.UTC(2020, 0, 1) + i * 86_400_000),
        new Binary(Buffer.from([i % 256, i >> 8])),
      );
    const collection = await collectionOf(ids);
    // The driver gives a null _id an ObjectId on insertMany: the insert command keeps it null.
    await collection.db.command({ insert: collection.collectionName, documents: [{ _id: null }] });
    const partitions = await computePartitions(collection, { partitionDocs: 100, maxPartitions: 3 });
    const classes = [...new Set(partitions.map((p) => p.typeClass))];
    expect(classes).toEqual(['minKey', 'null', 'number', 'string', 'binData', 'objectId', 'bool', 'date', 'maxKey']);
    const per = (typeClass: string) => partitions.filter((p) => p.typeClass === typeClass).length;
    for (const single of ['minKey', 'null', 'bool', 'maxKey']) expect(per(single)).toBe(1);
    for (const split of ['number', 'string', 'binData', 'objectId', 'date']) expect(per(split)).toBe(3);
    expect(new Set(partitions.map((p) => p.id)).size).toBe(partitions.length);
    await coverage(collection, partitions);
  });

  it('splits with $bucketAuto when a sample is too small to give the split points', async () => {
    // 8 pieces want a sample of 32; 20 documents cannot give one.
    const collection = await collectionOf(Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}`));
    const partitions = await computePartitions(collection, { partitionDocs: 2, maxPartitions: 8 });
    expect(partitions.length).toBeGreaterThan(1);
    expect(partitions.length).toBeLessThanOrEqual(8);
    const sizes = await coverage(collection, partitions);
    expect(sizes.every((size) => size > 0)).toBe(true);
  });

  it('resumes a range strictly after its checkpoint, up to the same end', async () => {
    const collection = await collectionOf(Array.from({ length: 100 }, (_, i) => i));
    const partition: Partition = { id: 'number-1', typeClass: 'number', lo: 20, hi: 60 };
    expect(partitionFilter(partition)).toEqual({ _id: { $type: 'number', $gte: 20, $lt: 60 } });
    const filter = partitionFilter(partition, { value: 41 });
    expect(filter).toEqual({ _id: { $type: 'number', $gt: 41, $lt: 60 } });
    const ids = (await collection.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual(Array.from({ length: 18 }, (_, i) => 42 + i));
    expect(await collection.countDocuments(partitionFilter({ id: 'string-0', typeClass: 'string' }))).toBe(0);
  });
});
