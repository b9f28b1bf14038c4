/**
 * Export → import round trips through the core (prompts, worker thread, real driver over TCP to the
 * test server, real files): every BSON type must come back byte-identical with Extended JSON canonical,
 * JSON Lines and mongodump (with options and indexes); gzip too.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo, type UsedMongo } from '../../testkit/mongo/index';
import { everyTypeDocument, runFilesAction, stat, tempDir } from './test-helpers';

let mongo: UsedMongo;
let client: MongoClient;
let dir: string;
const db = `cutover_files_rt_${randomUUID().slice(0, 8)}`;
const DOCS = 1_500;

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri).connect();
  dir = await tempDir('roundtrip');
  await client.db(db).createCollection('things', { validator: { $jsonSchema: { bsonType: 'object', required: ['i'] } } });
  await client.db(db).collection('things').insertMany(Array.from({ length: DOCS }, (_, i) => everyTypeDocument(i)));
  await client.db(db).collection('things').createIndex({ str: 1 }, { name: 'by_str', unique: true });
  await client.db(db).collection('things').createIndex({ date: -1 }, { name: 'by_date', expireAfterSeconds: 3600 });
});
afterAll(async () => {
  if (mongo?.isReal) await client.db(db).dropDatabase();
  await client?.close();
  await mongo?.stop();
});

const raw = async (coll: string) => (await client.db(db).collection(coll).find({}, { raw: true, sort: { _id: 1 } }).toArray()) as unknown as Buffer[];

async function roundTrip(format: string, out: string, extra: Record<string, string> = {}) {
  const exported = await runFilesAction({ uri: mongo.uri, db, coll: 'things', action: 'export', dataDir: dir, presets: { out, format, confirm: 'yes', ...extra } });
  expect(exported.done.state, exported.done.summary).toBe('succeeded');
  expect(exported.prompts).toEqual([]);
  expect(exported.done.docs).toBe(DOCS);
  return exported;
}

describe('files provider round trips', () => {
  it('Extended JSON canonical (a JSON array): export then import is byte-identical', async () => {
    const out = path.join(dir, 'things.json');
    await roundTrip('json', out, { ejson: 'canonical' });
    const text = await readFile(out, 'utf8');
    expect(text.startsWith('[\n{"_id":{"$oid":')).toBe(true);
    expect(text).toContain('"$numberDouble":"-0.0"');
    expect(existsSync(`${out}.partial`)).toBe(false);

    const imported = await runFilesAction({ uri: mongo.uri, db, action: 'import', dataDir: dir, presets: { file: out, coll: 'from_json', confirm: 'yes' } });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(stat(imported.done, 'Documents imported')).toBe('1,500');
    expect(await raw('from_json')).toEqual(await raw('things'));
  });

  it('JSON Lines, gzip-compressed: byte-identical', async () => {
    const out = path.join(dir, 'things.ndjson.gz');
    await roundTrip('ndjson', out, { gzip: 'yes' });
    const lines = gunzipSync(await readFile(out)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(DOCS);
    const imported = await runFilesAction({ uri: mongo.uri, db, action: 'import', dataDir: dir, presets: { file: out, coll: 'from_ndjson', confirm: 'yes' } });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(stat(imported.done, 'Format')).toMatch(/JSON Lines/);
    expect(await raw('from_ndjson')).toEqual(await raw('things'));
  });

  it('mongodump folder: byte-identical, with the metadata mongorestore reads, options and indexes restored', async () => {
    const out = path.join(dir, 'dump');
    await roundTrip('mongodump', out);
    expect((await readdir(path.join(out, db))).sort()).toEqual(['things.bson', 'things.metadata.json']);
    const metadata = JSON.parse(await readFile(path.join(out, db, 'things.metadata.json'), 'utf8'));
    expect(metadata.collectionName).toBe('things');
    expect(metadata.type).toBe('collection');
    expect(metadata.indexes.map((ix: { name: string }) => ix.name).sort()).toEqual(['_id_', 'by_date', 'by_str']);
    expect(metadata.options.validator).toBeDefined();
    const bson = await readFile(path.join(out, db, 'things.bson'));
    expect(bson).toEqual(Buffer.concat(await raw('things')));

    const target = `${db}_restored`;
    const imported = await runFilesAction({ uri: mongo.uri, db: target, action: 'import', dataDir: dir, presets: { file: out, confirm: 'yes' } });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(stat(imported.done, 'Indexes restored')).toBe('2');
    const restored = (await client.db(target).collection('things').find({}, { raw: true, sort: { _id: 1 } }).toArray()) as unknown as Buffer[];
    expect(restored).toEqual(await raw('things'));
    const indexes = await client.db(target).collection('things').listIndexes().toArray();
    expect(indexes.find((ix) => ix.name === 'by_str')).toMatchObject({ unique: true, key: { str: 1 } });
    expect(indexes.find((ix) => ix.name === 'by_date')).toMatchObject({ expireAfterSeconds: 3600 });
    const [info] = await client.db(target).listCollections({ name: 'things' }).toArray();
    expect((info as { options?: { validator?: unknown } }).options?.validator).toEqual({ $jsonSchema: { bsonType: 'object', required: ['i'] } });
    if (mongo.isReal) await client.db(target).dropDatabase();
  });

  it('mongodump with gzip: .bson.gz and .metadata.json.gz restore byte-identically', async () => {
    const out = path.join(dir, 'dumpgz');
    await roundTrip('mongodump', out, { gzip: 'yes' });
    expect((await readdir(path.join(out, db))).sort()).toEqual(['things.bson.gz', 'things.metadata.json.gz']);
    const imported = await runFilesAction({ uri: mongo.uri, db, action: 'import', dataDir: dir, presets: { file: path.join(out, db, 'things.bson.gz'), coll: 'from_dumpgz', confirm: 'yes' } });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(await raw('from_dumpgz')).toEqual(await raw('things'));
  });
});
