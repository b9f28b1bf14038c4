/**
 * The export engine on its own (runExport, no provider, no worker), against the project's MongoDB test
 * server with the real driver: the CSV columns derived from a sample (issue #16: a field that is a
 * sub-document in some documents and null in others gives only its flattened columns), the cells, the
 * `fields` option, the JSON flavours, a query, and what cancelling leaves behind.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Decimal128, Int32, Long, ObjectId, type Document } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { runExport, type ExportRequest } from './export-engine';
import { tempDir } from './test-helpers';

const db = `cutover_files_engine_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('export-engine');
});

const running = { isCancelled: () => false, whenRunnable: async () => undefined };

async function exportOf(coll: string, docs: Document[], request: Partial<ExportRequest> = {}) {
  if (docs.length) await mongo.client.db(db).collection(coll).insertMany(docs);
  const out = path.join(dir, `${coll}-${randomUUID().slice(0, 6)}.${request.format ?? 'csv'}`);
  const warnings: string[] = [];
  const outcome = await runExport(
    { uri: mongo.uri, db, coll, format: 'csv', ejson: 'canonical', gzip: false, out, keepPartial: false, ...request },
    { progress: () => undefined, warn: (m) => warnings.push(m) },
    running,
  );
  return { outcome, text: await readFile(out, 'utf8'), warnings };
}

describe('CSV columns from a sample', () => {
  const cases: Array<{ name: string; docs: Document[]; header: string; rows: string[]; warns?: RegExp }> = [
    {
      name: 'a sub-document in some documents and null in others: only the flattened columns, empty cells for null',
      docs: [
        { _id: 1, name: 'Ann', manager: null },
        { _id: 2, name: 'Bob', manager: { id: 7, name: 'Cy' } },
        { _id: 3, name: 'Di' },
      ],
      header: '_id,name,manager.id,manager.name',
      rows: ['1,Ann,,', '2,Bob,7,Cy', '3,Di,,'],
    },
    {
      name: 'the flattened columns go where the field was first seen (null), before fields seen after it',
      docs: [
        { _id: 1, manager: null, z: 1 },
        { _id: 2, z: 2, manager: { id: 7 } },
        { _id: 3, manager: null },
      ],
      header: '_id,manager.id,z',
      rows: ['1,,1', '2,7,2', '3,,'],
    },
    {
      name: 'an empty sub-document counts as no value',
      docs: [
        { _id: 1, manager: {} },
        { _id: 2, manager: { id: 7 } },
      ],
      header: '_id,manager.id',
      rows: ['1,', '2,7'],
    },
    {
      name: 'null at two levels: the deepest leaves only',
      docs: [
        { _id: 1, a: null },
        { _id: 2, a: { b: null } },
        { _id: 3, a: { b: { c: 1 } } },
      ],
      header: '_id,a.b.c',
      rows: ['1,', '2,', '3,1'],
    },
    {
      name: 'a value in some documents and a sub-document in others: both columns, no value lost, and a warning',
      docs: [
        { _id: 1, manager: 'Cy' },
        { _id: 2, manager: { id: 7 } },
      ],
      header: '_id,manager,manager.id',
      rows: ['1,Cy,', '2,"{""id"":7}",7'],
      warns: /"manager" holds a value in some documents and a sub-document in others/,
    },
    {
      name: 'null everywhere: one column of empty cells',
      docs: [
        { _id: 1, gone: null },
        { _id: 2, gone: null },
      ],
      header: '_id,gone',
      rows: ['1,', '2,'],
    },
  ];
  it.each(cases.map((c, i) => ({ ...c, i })))('$name', async ({ docs, header, rows, warns, i }) => {
    const { outcome, text, warnings } = await exportOf(`columns${i}`, docs);
    expect(text.split('\n')).toEqual([header, ...rows, '']);
    expect(outcome.fields).toEqual(header.split(','));
    if (warns) expect(warnings.join('\n')).toMatch(warns);
    else expect(warnings).toEqual([]);
  });

  it('a sample smaller than the collection derives columns from the sampled documents only', async () => {
    const docs = [
      { _id: 1, a: 1 },
      { _id: 2, b: 2 },
    ];
    const { text } = await exportOf('sampled', docs, { sampleSize: 1 });
    expect(text).toBe('_id,a\n1,1\n2,\n');
  });
});

describe('CSV cells and options', () => {
  it('types as text: Int64 and Decimal128 exactly, ObjectId as hex, dates in ISO, arrays as relaxed Extended JSON, formulas escaped', async () => {
    const id = new ObjectId('65a1b2c3d4e5f60718293a4b');
    const { text } = await exportOf('cells', [
      {
        _id: id,
        big: Long.fromString('9007199254740993'),
        price: Decimal128.fromString('12.30'),
        n: new Int32(-5),
        at: new Date('2024-01-02T03:04:05Z'),
        tags: ['a', 1],
        f: '=1+1',
        ok: true,
      },
    ]);
    expect(text).toBe(
      `_id,big,price,n,at,tags,f,ok\n${id.toHexString()},9007199254740993,12.30,-5,2024-01-02T03:04:05.000Z,"[""a"",1]",'=1+1,true\n`,
    );
  });

  it('fields chooses the columns and their order, and TSV uses tabs', async () => {
    const { text, outcome } = await exportOf('fields', [{ _id: 1, a: { b: 2 }, c: 3 }], {
      fields: ['c', 'a.b', 'missing'],
      format: 'tsv',
    });
    expect(text).toBe('c\ta.b\tmissing\n3\t2\t\n');
    expect(outcome.fields).toEqual(['c', 'a.b', 'missing']);
  });

  it('a query selects the documents; an empty result still writes the header of the fields', async () => {
    await mongo.client
      .db(db)
      .collection('query')
      .insertMany([
        { _id: 1, v: 'x' },
        { _id: 2, v: 'y' },
      ] as Document[]);
    const some = await exportOf('query', [], { query: '{"v": "y"}' });
    expect(some.text).toBe('_id,v\n2,y\n');
    expect(some.outcome.docs).toBe(1);
    const none = await exportOf('query', [], { query: '{"v": "z"}', fields: ['v'] });
    expect(none.text).toBe('v\n');
  });
});

describe('JSON flavours', () => {
  const doc = { _id: 1, n: new Int32(2), big: Long.fromNumber(3) };
  const cases: Array<{ format: 'json' | 'ndjson'; ejson: 'canonical' | 'relaxed'; expected: string }> = [
    {
      format: 'ndjson',
      ejson: 'canonical',
      expected: '{"_id":{"$numberInt":"1"},"n":{"$numberInt":"2"},"big":{"$numberLong":"3"}}\n',
    },
    { format: 'ndjson', ejson: 'relaxed', expected: '{"_id":1,"n":2,"big":3}\n' },
    { format: 'json', ejson: 'relaxed', expected: '[\n{"_id":1,"n":2,"big":3}\n]\n' },
  ];
  it.each(cases.map((c, i) => ({ ...c, i })))('$format, $ejson', async ({ format, ejson, expected, i }) => {
    const { text } = await exportOf(`flavour${i}`, [doc], { format, ejson });
    expect(text).toBe(expected);
  });

  it('an empty collection is an empty JSON array', async () => {
    const { text } = await exportOf('empty', [], { format: 'json' });
    expect(text).toBe(']\n'.replace(/^/, '['));
  });
});

describe('cancelling', () => {
  it.each([
    { keepPartial: false, kept: false },
    { keepPartial: true, kept: true },
  ])('keepPartial=$keepPartial: no finished file; the .partial file kept=$kept', async ({ keepPartial, kept }) => {
    const coll = `cancel${keepPartial ? 'kept' : 'gone'}`;
    await mongo.client
      .db(db)
      .collection(coll)
      .insertMany(Array.from({ length: 2500 }, (_, i) => ({ _id: i })) as Document[]);
    const out = path.join(dir, `${coll}.ndjson`);
    let seen = 0;
    const outcome = await runExport(
      { uri: mongo.uri, db, coll, format: 'ndjson', ejson: 'canonical', gzip: false, out, keepPartial },
      { progress: (p) => (seen = p.docs), warn: () => undefined },
      { isCancelled: () => seen >= 1000, whenRunnable: async () => undefined },
    );
    expect(outcome.cancelled).toBe(true);
    expect(outcome.docs).toBeLessThan(2500);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(kept);
    expect(outcome.partial).toBe(kept ? `${out}.partial` : undefined);
  });
});
