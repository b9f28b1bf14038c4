/**
 * Test data shared by the suites that must carry every BSON type byte for byte (copy, files).
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
  ObjectId,
  Timestamp,
  UUID,
} from 'mongodb';

/** A document holding every BSON type, with the edge values that lose their type when handled loosely. */
export function everyTypeDocument(i: number) {
  return {
    _id: new ObjectId(),
    i: new Int32(i),
    long: Long.fromString('9223372036854775807'),
    smallLong: Long.fromNumber(5),
    dbl: new Double(1.0),
    negZero: new Double(-0),
    nan: new Double(Number.NaN),
    inf: new Double(Number.POSITIVE_INFINITY),
    dec: Decimal128.fromString('1234567890.123456789012345678901234'),
    str: `név ключ 名前 🚀 ${i}\n"quoted", comma`,
    date: new Date(1_700_000_000_000 + i),
    oldDate: new Date(-2_208_988_800_000),
    ts: new Timestamp({ t: 1_700_000_000, i }),
    bin: new Binary(Buffer.from([0, 1, 2, 255]), 0),
    fn: new Binary(Buffer.from('f'), 1),
    uuid: new UUID('01234567-89ab-cdef-0123-456789abcdef'),
    md5: new Binary(Buffer.alloc(16, 7), 5),
    custom: new Binary(Buffer.from('x'), 0x80),
    re: new BSONRegExp('^a.c$', 'imsux'),
    code: new Code('function () { return 1; }'),
    min: new MinKey(),
    max: new MaxKey(),
    nil: null,
    bool: i % 2 === 0,
    nested: { arr: [[1, 2, [3]], { ключ: 'значение' }], empty: {}, emptyArr: [] },
  };
}
