/**
 * CSV column types, table by table: the narrowest type of a cell, how two types merge across rows, what a
 * cell converts to (its BSON type and value) or the reason it does not, and the `types` preset.
 */
import { Decimal128, Double, Int32, Long, ObjectId, UUID } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { cellType, convertCell, formatTypeOverrides, mergeTypes, parseTypeOverrides, type CsvType } from './csv-types';

describe('cellType', () => {
  const cases: Array<[string, CsvType | undefined]> = [
    ['', undefined],
    ['null', undefined],
    ['0', 'int'],
    ['-2147483648', 'int'],
    ['2147483647', 'int'],
    ['2147483648', 'long'],
    ['-9223372036854775808', 'long'],
    ['9223372036854775808', 'decimal'],
    ['+7', 'int'],
    ['007', 'string'],
    ['0.5', 'double'],
    ['-0.0', 'double'],
    ['1e3', 'double'],
    ['.5', 'double'],
    ['3.141592653589793238', 'decimal'],
    ['00.5', 'string'],
    ['true', 'bool'],
    ['FALSE', 'bool'],
    ['2024-01-02', 'date'],
    ['2024-01-02T03:04:05Z', 'date'],
    ['2024-01-02 03:04', 'date'],
    ['2024-01-02T03:04:05.123+02:00', 'date'],
    ['2024-13-45', 'string'],
    ['65a1b2c3d4e5f60718293a4b', 'objectId'],
    ['65a1b2c3d4e5f60718293a4', 'string'],
    ['123e4567-e89b-12d3-a456-426614174000', 'uuid'],
    ['abc', 'string'],
    ['1,5', 'string'],
  ];
  it.each(cases)('%j is %s', (text, type) => {
    expect(cellType(text)).toBe(type);
  });
});

describe('mergeTypes', () => {
  const cases: Array<[CsvType | undefined, CsvType | undefined, CsvType | undefined]> = [
    [undefined, undefined, undefined],
    [undefined, 'int', 'int'],
    ['int', undefined, 'int'],
    ['int', 'int', 'int'],
    ['int', 'long', 'long'],
    ['long', 'int', 'long'],
    ['int', 'double', 'double'],
    ['long', 'double', 'decimal'],
    ['double', 'long', 'decimal'],
    ['double', 'decimal', 'decimal'],
    ['int', 'bool', 'string'],
    ['date', 'objectId', 'string'],
    ['bool', 'bool', 'bool'],
    ['string', 'int', 'string'],
  ];
  it.each(cases)('%s + %s = %s', (a, b, merged) => {
    expect(mergeTypes(a, b)).toBe(merged);
  });

  it('inferring over rows: ints then a long then a double end as decimal (neither Int64 nor Double holds both exactly)', () => {
    let type: CsvType | undefined;
    for (const cell of ['1', '', '5000000000', 'null', '2.5']) type = mergeTypes(type, cellType(cell));
    expect(type).toBe('decimal');
  });
});

describe('convertCell', () => {
  const converts: Array<[string, CsvType, string, string]> = [
    // cell, type, the BSON type it becomes, its value as text
    ['42', 'int', 'Int32', '42'],
    ['-7', 'int', 'Int32', '-7'],
    ['9007199254740993', 'long', 'Long', '9007199254740993'],
    ['42', 'long', 'Long', '42'],
    ['2.5', 'double', 'Double', '2.5'],
    ['-Infinity', 'double', 'Double', '-Infinity'],
    ['+1.10', 'decimal', 'Decimal128', '1.10'],
    ['0.1', 'decimal', 'Decimal128', '0.1'],
    ['True', 'bool', 'boolean', 'true'],
    ['false', 'bool', 'boolean', 'false'],
    ['2024-01-02', 'date', 'Date', '2024-01-02T00:00:00.000Z'],
    ['2024-01-02 03:04', 'date', 'Date', '2024-01-02T03:04:00.000Z'],
    ['2024-01-02T03:04:05+02:00', 'date', 'Date', '2024-01-02T01:04:05.000Z'],
    ['65a1b2c3d4e5f60718293a4b', 'objectId', 'ObjectId', '65a1b2c3d4e5f60718293a4b'],
    ['123e4567-e89b-12d3-a456-426614174000', 'uuid', 'UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['007', 'string', 'string', '007'],
    ['null', 'string', 'string', 'null'],
    ['null', 'int', 'null', 'null'],
    ['anything', 'null', 'null', 'null'],
  ];
  const bsonType = (value: unknown): string => {
    if (value === null) return 'null';
    if (value instanceof Int32) return 'Int32';
    if (value instanceof Long) return 'Long';
    if (value instanceof Double) return 'Double';
    if (value instanceof Decimal128) return 'Decimal128';
    if (value instanceof ObjectId) return 'ObjectId';
    if (value instanceof UUID) return 'UUID';
    if (value instanceof Date) return 'Date';
    return typeof value;
  };
  const asText = (value: unknown): string =>
    value instanceof Date ? value.toISOString() : value instanceof Double ? String(value.value) : String(value);
  it.each(converts)('%j as %s is a %s %s', (text, type, bson, shown) => {
    const value = convertCell(text, type);
    expect(bsonType(value)).toBe(bson);
    expect(asText(value)).toBe(shown);
  });

  const refuses: Array<[string, CsvType, RegExp]> = [
    ['abc', 'int', /"abc" is not a whole number/],
    ['1.5', 'int', /"1.5" is not a whole number/],
    ['2147483648', 'int', /2147483648 does not fit an Int32: choose long/],
    ['9223372036854775808', 'long', /does not fit an Int64: choose decimal/],
    ['1,5', 'double', /"1,5" is not a number/],
    ['twelve', 'decimal', /"twelve" is not a decimal number/],
    ['yes', 'bool', /"yes" is not true or false/],
    ['02/01/2024', 'date', /"02\/01\/2024" is not an ISO 8601 date/],
    ['2024-02-30T25:00', 'date', /is not an ISO 8601 date/],
    ['xyz', 'objectId', /"xyz" is not an ObjectId \(24 hex digits\)/],
    ['123', 'uuid', /"123" is not a UUID/],
    ['x'.repeat(60), 'int', new RegExp(`"${'x'.repeat(40)}…" is not a whole number`)],
  ];
  it.each(refuses)('%j as %s is refused: %s', (text, type, reason) => {
    expect(() => convertCell(text, type)).toThrow(reason);
  });
});

describe('type overrides (the types preset)', () => {
  it.each([
    ['age:int,born:date', { age: 'int', born: 'date' }],
    [' age : long , ', { age: 'long' }],
    ['a.b:c:string', { 'a.b:c': 'string' }],
    ['', {}],
  ])('%j', (text, types) => {
    expect(parseTypeOverrides(text)).toEqual(types);
  });

  it.each([
    ['age', /"age" should look like column:type/],
    [':int', /":int" should look like column:type/],
    ['age:integer', /unknown type "integer"; use one of int, long/],
  ])('%j is refused, naming the entry', (text, reason) => {
    expect(() => parseTypeOverrides(text)).toThrow(reason);
  });

  it('formatTypeOverrides writes what parseTypeOverrides reads', () => {
    const types = { age: 'int', 'address.zip': 'string' } as const;
    expect(formatTypeOverrides(types)).toBe('age:int,address.zip:string');
    expect(parseTypeOverrides(formatTypeOverrides(types))).toEqual(types);
  });
});
