/**
 * Export → import round trips through the core (prompts, worker thread, real driver over TCP to the
 * test server, real files): every BSON type must come back byte-identical with Extended JSON canonical,
 * JSON Lines and mongodump (with options and indexes); gzip too. Views go through mongodump as their
 * definition and come back as views, a view on a view included.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo, type UsedMongo } from '../../testkit/mongo/index';
import type { Prompt } from '../../preload/contract';
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
  await client
    .db(db)
    .createCollection('things', { validator: { $jsonSchema: { bsonType: 'object', required: ['i'] } } });
  await client
    .db(db)
    .collection('things')
    .insertMany(Array.from({ length: DOCS }, (_, i) => everyTypeDocument(i)));
  await client.db(db).collection('things').createIndex({ str: 1 }, { name: 'by_str', unique: true });
  await client.db(db).collection('things').createIndex({ date: -1 }, { name: 'by_date', expireAfterSeconds: 3600 });
});
afterAll(async () => {
  if (mongo?.isReal) await client.db(db).dropDatabase();
  await client?.close();
  await mongo?.stop();
});

const raw = async (coll: string) =>
  (await client
    .db(db)
    .collection(coll)
    .find({}, { raw: true, sort: { _id: 1 } })
    .toArray()) as unknown as Buffer[];

async function roundTrip(format: string, out: string, extra: Record<string, string> = {}) {
  const exported = await runFilesAction({
    uri: mongo.uri,
    db,
    coll: 'things',
    action: 'export',
    dataDir: dir,
    presets: { out, format, confirm: 'yes', ...extra },
  });
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

    const imported = await runFilesAction({
      uri: mongo.uri,
      db,
      action: 'import',
      dataDir: dir,
      presets: { file: out, coll: 'from_json', confirm: 'yes' },
    });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(stat(imported.done, 'Documents imported')).toBe('1,500');
    expect(await raw('from_json')).toEqual(await raw('things'));
  });

  it('JSON Lines, gzip-compressed: byte-identical', async () => {
    const out = path.join(dir, 'things.ndjson.gz');
    await roundTrip('ndjson', out, { gzip: 'yes' });
    const lines = gunzipSync(await readFile(out))
      .toString('utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(DOCS);
    const imported = await runFilesAction({
      uri: mongo.uri,
      db,
      action: 'import',
      dataDir: dir,
      presets: { file: out, coll: 'from_ndjson', confirm: 'yes' },
    });
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
    const imported = await runFilesAction({
      uri: mongo.uri,
      db: target,
      action: 'import',
      dataDir: dir,
      presets: { file: out, confirm: 'yes' },
    });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(stat(imported.done, 'Indexes restored')).toBe('2');
    const restored = (await client
      .db(target)
      .collection('things')
      .find({}, { raw: true, sort: { _id: 1 } })
      .toArray()) as unknown as Buffer[];
    expect(restored).toEqual(await raw('things'));
    const indexes = await client.db(target).collection('things').listIndexes().toArray();
    expect(indexes.find((ix) => ix.name === 'by_str')).toMatchObject({ unique: true, key: { str: 1 } });
    expect(indexes.find((ix) => ix.name === 'by_date')).toMatchObject({ expireAfterSeconds: 3600 });
    const [info] = await client.db(target).listCollections({ name: 'things' }).toArray();
    expect((info as { options?: { validator?: unknown } }).options?.validator).toEqual({
      $jsonSchema: { bsonType: 'object', required: ['i'] },
    });
    if (mongo.isReal) await client.db(target).dropDatabase();
  });

  it('mongodump with gzip: .bson.gz and .metadata.json.gz restore byte-identically', async () => {
    const out = path.join(dir, 'dumpgz');
    await roundTrip('mongodump', out, { gzip: 'yes' });
    expect((await readdir(path.join(out, db))).sort()).toEqual(['things.bson.gz', 'things.metadata.json.gz']);
    const imported = await runFilesAction({
      uri: mongo.uri,
      db,
      action: 'import',
      dataDir: dir,
      presets: { file: path.join(out, db, 'things.bson.gz'), coll: 'from_dumpgz', confirm: 'yes' },
    });
    expect(imported.done.state, imported.done.summary).toBe('succeeded');
    expect(await raw('from_dumpgz')).toEqual(await raw('things'));
  });
});

describe('mongodump views', () => {
  const src = `${db}_v`;
  const adults = { viewOn: 'people', pipeline: [{ $match: { age: { $gte: 18 } } }, { $sort: { _id: 1 } }] };
  // A view on a view whose name sorts first: created in name order it would come before its source.
  const adultNames = { viewOn: 'adults', pipeline: [{ $project: { _id: 1, name: 1 } }] };
  let out: string;

  const exportMongodump = async (coll: string, folder: string, extra: Record<string, string> = {}) => {
    const exported = await runFilesAction({
      uri: mongo.uri,
      db: src,
      coll,
      action: 'export',
      dataDir: dir,
      presets: { out: folder, format: 'mongodump', confirm: 'yes', ...extra },
    });
    expect(exported.done.state, exported.done.summary).toBe('succeeded');
    return exported.done;
  };
  const importDump = (
    target: string,
    folder: string,
    presets: Record<string, string> = {},
    onPrompt?: (prompt: Prompt) => unknown,
  ) =>
    runFilesAction({
      uri: mongo.uri,
      db: target,
      action: 'import',
      dataDir: dir,
      presets: { file: folder, ...(onPrompt ? {} : { confirm: 'yes' }), ...presets },
      onPrompt,
    });
  const infoOf = async (database: string, name: string) =>
    (await client.db(database).listCollections({ name }).toArray())[0] as
      { type: string; options: Record<string, unknown> } | undefined;

  beforeAll(async () => {
    await client
      .db(src)
      .collection('people')
      .insertMany([
        { _id: 1, name: 'Ann', age: 34 },
        { _id: 2, name: 'Bob', age: 12 },
        { _id: 3, name: 'Cy', age: 51 },
      ] as never[]);
    await client.db(src).createCollection('adults', adults);
    await client.db(src).createCollection('adult_names', adultNames);
    out = path.join(dir, 'views-dump');
    await exportMongodump('people', out);
  });
  afterAll(async () => {
    if (mongo?.isReal)
      for (const name of [src, `${src}_a`, `${src}_b`, `${src}_c`, `${src}_d`]) await client.db(name).dropDatabase();
  });

  it('exports a view as its definition alone; importing the folder recreates the views after the collections, a view on a view after its source', async () => {
    const view = await exportMongodump('adults', out);
    expect(view.docs).toBe(0);
    expect(view.summary).toContain('is a view on people');
    await exportMongodump('adult_names', out);
    expect((await readdir(path.join(out, src))).sort()).toEqual([
      'adult_names.metadata.json',
      'adults.metadata.json',
      'people.bson',
      'people.metadata.json',
    ]);
    const metadata = JSON.parse(await readFile(path.join(out, src, 'adults.metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({
      collectionName: 'adults',
      type: 'view',
      indexes: [],
      options: { viewOn: 'people' },
    });
    expect(metadata.options.pipeline).toEqual([
      { $match: { age: { $gte: { $numberInt: '18' } } } },
      { $sort: { _id: { $numberInt: '1' } } },
    ]);

    const target = `${src}_a`;
    const { done, prompts } = await importDump(target, out, {}, (prompt) =>
      prompt.kind === 'form' ? { format: 'auto', conflict: 'abort', onError: 'stop' } : 'start',
    );
    expect(done.state, done.summary).toBe('succeeded');
    const preview = prompts.find((p): p is Extract<Prompt, { kind: 'report' }> => p.kind === 'report')!;
    expect(preview.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ coll: 'adults', metadata: 'view on people' }),
        expect.objectContaining({ coll: 'adult_names', metadata: 'view on adults' }),
      ]),
    );
    expect(preview.notes[0].text).toBe('1 collection and 2 views will be restored into the selected database.');
    expect(done.summary).toBe(
      `Imported 3 documents into ${target}.people. 2 views created in ${target} (adults, adult_names).`,
    );
    expect(stat(done, 'Views created')).toBe('2 of 2');

    for (const name of ['adults', 'adult_names']) {
      const restored = await infoOf(target, name);
      expect(restored?.type).toBe('view');
      expect(restored?.options).toEqual((await infoOf(src, name))?.options);
    }
    expect(await client.db(target).collection('adult_names').find().toArray()).toEqual([
      { _id: 1, name: 'Ann' },
      { _id: 3, name: 'Cy' },
    ]);
  });

  it('a view name already taken on the target: abort stops before anything is imported, naming it; skip leaves it and warns; drop replaces it; the same view is left quietly', async () => {
    const target = `${src}_b`;
    await client
      .db(target)
      .collection('adults')
      .insertOne({ _id: 'mine' } as never);

    const refused = await importDump(target, out);
    expect(refused.done.state).toBe('failed');
    expect(refused.done.summary).toContain(
      `${target}.adults already exists as a collection, so the dump's view adults (on people, from ${path.join(out, src, 'adults.metadata.json')}) cannot be created`,
    );
    expect(refused.done.summary).toContain('Nothing was imported.');
    expect(await infoOf(target, 'people')).toBeUndefined();

    const skipped = await importDump(target, out, { conflict: 'skip' });
    expect(skipped.done.state, skipped.done.summary).toBe('succeeded');
    expect(skipped.done.summary).toContain('Not created because the name is taken: adults');
    expect(skipped.done.warnings.join(' ')).toContain(
      `${target}.adults already exists as a collection: it was left as it is`,
    );
    expect((await infoOf(target, 'adults'))?.type).toBe('collection');
    expect((await infoOf(target, 'adult_names'))?.type).toBe('view');

    const dropped = await importDump(target, out, { conflict: 'drop' });
    expect(dropped.done.state, dropped.done.summary).toBe('succeeded');
    expect((await infoOf(target, 'adults'))?.type).toBe('view');
    expect(await client.db(target).collection('adults').countDocuments()).toBe(2);

    const again = await importDump(target, out, { conflict: 'skip' });
    expect(again.done.state, again.done.summary).toBe('succeeded');
    expect(again.done.summary).toContain('Already there with the same definition: adults, adult_names.');
    expect(again.done.warnings).toEqual([]);
  });

  it('a folder holding only views (gzip-compressed metadata, no .bson) is a mongodump folder', async () => {
    const onlyViews = path.join(dir, 'views-only');
    await exportMongodump('adults', onlyViews, { gzip: 'yes' });
    expect(await readdir(path.join(onlyViews, src))).toEqual(['adults.metadata.json.gz']);
    const target = `${src}_c`;
    const { done } = await importDump(target, onlyViews);
    expect(done.state, done.summary).toBe('succeeded');
    expect(done.summary).toBe(`1 view created in ${target} (adults).`);
    expect((await infoOf(target, 'adults'))?.options).toEqual(adults);
  });

  it('a view the target refuses stops the import naming its metadata file and what to do', async () => {
    const folder = path.join(dir, 'bad-view');
    await mkdir(folder);
    const file = path.join(folder, 'broken.metadata.json');
    await writeFile(
      file,
      JSON.stringify({
        options: { viewOn: 'people', pipeline: { $match: {} } },
        indexes: [],
        collectionName: 'broken',
        type: 'view',
      }),
    );
    const target = `${src}_d`;
    const { done } = await importDump(target, folder);
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${file}: the view ${target}.broken (on people) could not be created: `);
    expect(done.summary).toContain("Fix the view's definition in that file, or remove the file.");
    expect(done.summary).not.toContain('resumes from the last checkpoint');
  });
});
