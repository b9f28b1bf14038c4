/**
 * The export's Extended JSON writer (ejson-text.ts) against bson's own EJSON.stringify of the decoded
 * document, canonical and relaxed: byte for byte on every BSON type, edge values and awkward keys, and on
 * random documents. Types it does not write itself must take bson's path, never a wrong text.
 */
import {
  BSON,
  Binary,
  BSONRegExp,
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
  type Document,
} from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ejsonFromBytes, ejsonText } from './ejson-text';
import { EXACT } from './formats';

const reference = (raw: Uint8Array, relaxed: boolean) =>
  BSON.EJSON.stringify(BSON.deserialize(raw, EXACT), { relaxed });

/** Documents of the types the writer handles itself. */
const PLAIN: Document[] = [
  {},
  { _id: new ObjectId('6b083f0b5e8e6ea7440bef50'), a: 1, b: 'text' },
  {
    d: [
      new Double(0),
      new Double(-0),
      new Double(1),
      new Double(-1.5),
      new Double(1e21),
      new Double(1e-7),
      new Double(5e-324),
      new Double(Number.MAX_VALUE),
    ],
  },
  {
    d: [
      new Double(NaN),
      new Double(Infinity),
      new Double(-Infinity),
      new Double(0.1 + 0.2),
      new Double(3.154505975544453e-5),
      new Double(2 ** 53),
      new Double(123456789.125),
    ],
  },
  { i: [new Int32(0), new Int32(-1), new Int32(2147483647), new Int32(-2147483648)] },
  {
    l: [
      Long.fromInt(0),
      Long.fromInt(-1),
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      Long.fromNumber(2 ** 53 + 1),
      Long.fromString('-9007199254740993'),
      Long.fromNumber(4294967296),
    ],
  },
  {
    t: [
      new Date(0),
      new Date(-1),
      new Date(1),
      new Date(1700000000000),
      new Date(1700000000123),
      new Date(253402300799999),
      new Date(253402300800000),
      new Date(-62135596800000),
      new Date(8.64e15),
      new Date(-8.64e15),
    ],
  },
  {
    s: [
      '',
      'plain',
      'quote " backslash \\ slash /',
      'control \u0000 \u0001 \n \t \u001f \u007f',
      'é ü ß 中文 😀 \u2028 \u2029',
      '\ud7ff\ue000\uffff',
    ],
  },
  { n: null, yes: true, no: false, nested: { deeper: { deepest: [1, [2, [3, {}]], []] } } },
  { keys: { '': 1, 'with space': 2, 'quo"te': 3, 'back\\slash': 4, 'uni ü 😀': 5, 'new\nline': 6, a$: 7, 'x.y': 8 } },
  {
    bin: [
      new Binary(Buffer.from([])),
      new Binary(Buffer.from([0, 1, 2, 255]), 0),
      new Binary(Buffer.from('abc'), 0x80),
      new Binary(Buffer.from('0123456789abcdef'), 3),
    ],
  },
  { uuid: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'), short4: new Binary(Buffer.from([1, 2, 3]), 4) },
  { arr: ['a', new Int32(1), new Double(2), Long.fromInt(3), new Date(5), null, true, { x: [] }] },
];

/** Documents that need bson's own functions (the writer must step aside, and the text still matches). */
const OTHERS: Document[] = [
  { dec: Decimal128.fromString('1.10') },
  { re: new BSONRegExp('a+b', 'imsx') },
  { ts: new Timestamp({ t: 1700000000, i: 7 }) },
  { min: new MinKey(), max: new MaxKey() },
  { code: new Code('function () {}'), scoped: new Code('x', { a: 1 }) },
  { ref: new DBRef('coll', new ObjectId('6b083f0b5e8e6ea7440bef50'), 'db') },
  { $weird: 1 },
  { nested: { $ref: 'coll', $id: 1 } },
  { b: 1, 2: 'two', 1: 'one' },
  { old: new Binary(Buffer.from([1, 2, 3]), 2) },
  JSON.parse('{"a":1,"__proto__":{"b":2}}') as Document,
];

describe('Extended JSON straight from BSON bytes', () => {
  for (const relaxed of [false, true]) {
    const mode = relaxed ? 'relaxed' : 'canonical';

    it(`writes ${mode} Extended JSON byte for byte as bson does, without decoding the plain types`, () => {
      for (const doc of PLAIN) {
        const raw = BSON.serialize(doc);
        const fast = ejsonFromBytes(raw, relaxed);
        expect(fast, JSON.stringify(reference(raw, relaxed))).toBeDefined();
        expect(fast).toBe(reference(raw, relaxed));
      }
    });

    it(`leaves other types, DBRef-like and integer keys to bson (${mode})`, () => {
      for (const doc of OTHERS) {
        const raw = BSON.serialize(doc);
        expect(ejsonFromBytes(raw, relaxed), JSON.stringify(doc)).toBeUndefined();
        expect(ejsonText(raw, relaxed)).toBe(reference(raw, relaxed));
      }
    });

    it(`matches bson on random documents (${mode})`, () => {
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const value = (depth: number): unknown => {
        switch (Math.floor(random() * (depth > 2 ? 9 : 11))) {
          case 0:
            return new Double((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
          case 1:
            return new Int32(Math.floor((random() - 0.5) * 2 ** 32));
          case 2:
            return Long.fromBits(Math.floor(random() * 2 ** 32) | 0, Math.floor((random() - 0.5) * 2 ** 32) | 0);
          case 3:
            return new Date(Math.floor((random() - 0.3) * 300000000000000));
          case 4:
            return String.fromCodePoint(
              ...Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * 0x2fff)).filter(
                (c) => c < 0xd800 || c > 0xdfff,
              ),
            );
          case 5:
            return new ObjectId();
          case 6:
            return random() < 0.5;
          case 7:
            return null;
          case 8:
            return new Binary(
              Buffer.from(Array.from({ length: Math.floor(random() * 20) }, () => Math.floor(random() * 256))),
              Math.floor(random() * 8) === 2 ? 0 : Math.floor(random() * 8),
            );
          case 9:
            return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
          default:
            return Object.fromEntries(
              Array.from({ length: Math.floor(random() * 5) }, (_, k) => [
                `k${k}_${Math.floor(random() * 100)}`,
                value(depth + 1),
              ]),
            );
        }
      };
      for (let n = 0; n < 2_000; n++) {
        const raw = BSON.serialize({ _id: n, doc: value(0), list: value(1) });
        expect(ejsonText(raw, relaxed)).toBe(reference(raw, relaxed));
      }
    });
  }

  it('leaves repeated keys and invalid UTF-8 to bson', () => {
    // { a: 1, a: 2 } and { s: "\xff" }, written by hand (a serializer would not).
    const repeated = Buffer.from([19, 0, 0, 0, 0x10, 0x61, 0, 1, 0, 0, 0, 0x10, 0x61, 0, 2, 0, 0, 0, 0]);
    expect(ejsonFromBytes(repeated, false)).toBeUndefined();
    expect(ejsonText(repeated, false)).toBe(reference(repeated, false));
    // A date beyond JavaScript's range: an int64 element retyped as a date.
    const far = Buffer.from(BSON.serialize({ date: Long.fromNumber(8.64e15 + 1) }));
    far[4] = 0x09;
    expect(ejsonFromBytes(far, false)).toBeUndefined();
    expect(ejsonText(far, false)).toBe(reference(far, false));
    const invalid = Buffer.from([14, 0, 0, 0, 0x02, 0x73, 0, 2, 0, 0, 0, 0xff, 0, 0]);
    expect(ejsonFromBytes(invalid, true)).toBeUndefined();
    expect(() => ejsonText(invalid, true)).toThrow(/utf-?8/i);
  });
});
