/**
 * Documents to CSV cells (csv-cells.ts), table by table and without a server: the columns a sample gives
 * (issue #16: a field that is a sub-document in some documents and null in others is flattened only),
 * the value at a dotted path, a cell's text per BSON type, and formula escaping.
 */
import { Binary, Decimal128, Double, Int32, Long, ObjectId, UUID, type Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { CsvColumnSampler, cellText, escapeFormula, valueAt } from './csv-cells';

describe('CsvColumnSampler', () => {
  const cases: Array<{ name: string; docs: Document[]; columns: string[]; conflicts?: string[] }> = [
    {
      name: 'flat documents: first-seen order across documents',
      docs: [
        { a: 1, b: 2 },
        { c: 3, a: 4 },
      ],
      columns: ['a', 'b', 'c'],
    },
    {
      name: 'nested documents: dotted leaves',
      docs: [{ a: { b: 1, c: { d: 2 } }, e: 3 }],
      columns: ['a.b', 'a.c.d', 'e'],
    },
    {
      name: 'null, then a sub-document: flattened only, where null was first seen',
      docs: [
        { m: null, x: 1 },
        { x: 2, m: { id: 1 } },
      ],
      columns: ['m.id', 'x'],
    },
    { name: 'a sub-document, then null', docs: [{ m: { id: 1, n: 'a' } }, { m: null }], columns: ['m.id', 'm.n'] },
    { name: 'missing in some documents', docs: [{ x: 1 }, { x: 2, m: { id: 1 } }], columns: ['x', 'm.id'] },
    { name: 'an empty sub-document is no value', docs: [{ m: {} }, { m: { id: 1 } }], columns: ['m.id'] },
    { name: 'only empty sub-documents: one column', docs: [{ m: {} }], columns: ['m'] },
    { name: 'only null: one column', docs: [{ m: null }], columns: ['m'] },
    {
      name: 'nulls at two depths',
      docs: [{ a: null }, { a: { b: null } }, { a: { b: { c: 1 } } }],
      columns: ['a.b.c'],
    },
    {
      name: 'a string and a sub-document: both, named as a conflict',
      docs: [{ m: 'Cy' }, { m: { id: 1 } }],
      columns: ['m', 'm.id'],
      conflicts: ['m'],
    },
    {
      name: 'a number, then null, then a sub-document: both',
      docs: [{ m: 5 }, { m: null }, { m: { id: 1 } }],
      columns: ['m', 'm.id'],
      conflicts: ['m'],
    },
    {
      name: 'an array and a sub-document: both',
      docs: [{ m: [1] }, { m: { id: 1 } }],
      columns: ['m', 'm.id'],
      conflicts: ['m'],
    },
    {
      name: 'BSON values are leaves, not sub-documents',
      docs: [
        {
          id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
          n: new Int32(1),
          at: new Date(0),
          bin: new Binary(Buffer.from('x')),
        },
      ],
      columns: ['id', 'n', 'at', 'bin'],
    },
  ];
  it.each(cases)('$name', ({ docs, columns, conflicts }) => {
    const sampler = new CsvColumnSampler();
    for (const doc of docs) sampler.add(doc);
    expect(sampler.columns()).toEqual(columns);
    expect(sampler.conflicts()).toEqual(conflicts ?? []);
  });
});

describe('valueAt', () => {
  const doc = { a: { b: { c: 1 } }, 'x.y': 2, n: null, arr: [{ z: 1 }], s: 'text' };
  it.each([
    ['a.b.c', 1],
    ['a.b', { c: 1 }],
    ['x.y', 2],
    ['n', null],
    ['n.id', undefined],
    ['s.length', undefined],
    ['arr.0.z', undefined],
    ['missing.path', undefined],
  ])('%s', (path, value) => {
    expect(valueAt(doc, path)).toEqual(value);
  });
});

describe('cellText', () => {
  it.each([
    ['undefined', undefined, ''],
    ['null', null, ''],
    ['a string', 'plain', 'plain'],
    ['a number', 2.5, '2.5'],
    ['a boolean', false, 'false'],
    ['a Date', new Date('2024-01-02T03:04:05.006Z'), '2024-01-02T03:04:05.006Z'],
    ['an invalid Date', new Date(Number.NaN), ''],
    ['an Int32', new Int32(-7), '-7'],
    ['a Double -0', new Double(-0), '-0'],
    ['an integral Double', new Double(3), '3'],
    ['a Long beyond 2^53', Long.fromString('9007199254740993'), '9007199254740993'],
    ['a Decimal128', Decimal128.fromString('1.10'), '1.10'],
    ['an ObjectId', new ObjectId('65a1b2c3d4e5f60718293a4b'), '65a1b2c3d4e5f60718293a4b'],
    ['a UUID', new UUID('123e4567-e89b-12d3-a456-426614174000').toBinary(), '123e4567-e89b-12d3-a456-426614174000'],
    ['other Binary', new Binary(Buffer.from('hi')), '{"$binary":{"base64":"aGk=","subType":"00"}}'],
    ['an array', [1, 'a'], '[1,"a"]'],
    ['a sub-document', { id: 1 }, '{"id":1}'],
    ['a formula', '=SUM(A1)', "'=SUM(A1)"],
  ])('%s', (_name, value, text) => {
    expect(cellText(value)).toBe(text);
  });
});

describe('escapeFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (text, escaped) => {
    expect(escapeFormula(text)).toBe(escaped);
  });
});
