/** The one BSON type order and the $type names of the driver's classes. */
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
} from 'bson';
import { describe, expect, it } from 'vitest';
import { BSON_TYPE_ORDER, BSON_TYPE_RANK, taggedTypeAlias } from './bson-order';

describe('BSON type order', () => {
  it('is MongoDB’s: MinKey < undefined < null < numbers < strings < objects < arrays < … < MaxKey', () => {
    expect(BSON_TYPE_ORDER).toEqual([
      'minKey',
      'undefined',
      'null',
      'int',
      'long',
      'double',
      'decimal',
      'string',
      'symbol',
      'object',
      'array',
      'binData',
      'objectId',
      'bool',
      'date',
      'timestamp',
      'regex',
      'dbPointer',
      'javascript',
      'javascriptWithScope',
      'maxKey',
    ]);
    expect(BSON_TYPE_RANK.int).toBe(BSON_TYPE_RANK.decimal);
    expect(BSON_TYPE_RANK.string).toBe(BSON_TYPE_RANK.symbol);
  });

  it('names the driver’s classes as $type does', () => {
    const cases: Array<[object, string | undefined]> = [
      [new Int32(1), 'int'],
      [new Double(1.5), 'double'],
      [Long.fromNumber(1), 'long'],
      [Decimal128.fromString('1.1'), 'decimal'],
      [new ObjectId(), 'objectId'],
      [new Binary(Buffer.from('x')), 'binData'],
      [new UUID(), 'binData'],
      [new BSONRegExp('a', 'i'), 'regex'],
      [new BSONSymbol('s'), 'symbol'],
      [new Code('x()'), 'javascript'],
      [new Code('x()', { a: 1 }), 'javascriptWithScope'],
      [new Timestamp({ t: 1, i: 1 }), 'timestamp'],
      [new MinKey(), 'minKey'],
      [new MaxKey(), 'maxKey'],
      [new DBRef('c', new ObjectId()), 'object'],
      [{ a: 1 }, undefined],
      [[1], undefined],
    ];
    for (const [value, alias] of cases) expect(taggedTypeAlias(value), String(value)).toBe(alias);
  });
});
