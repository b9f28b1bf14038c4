/**
 * The fast Extended JSON reading of JSON Lines imports against the library it stands in for: every
 * document (random ones of every BSON type, and hand-picked odd ones) must come out as the same BSON
 * bytes as `BSON.EJSON.parse(text, { relaxed: false })` gives, or fail with the same message; and the
 * number-literal pass must rewrite texts exactly as the regular expression it replaced did.
 */
import { describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import { parseCanonicalEjson } from './ejson-parse';
import { keepNumberLiterals, MAX_JSON_DEPTH, TooDeep, numberFromLiteral } from './json-numbers';

const { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID, DBRef, Code } =
  BSON;

function outcome(parse: (text: string) => unknown, text: string): { bytes?: string; error?: string } {
  try {
    const value = parse(text);
    return { bytes: Buffer.from(BSON.serialize({ v: value } as BSON.Document)).toString('hex') };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const library = (text: string) => BSON.EJSON.parse(text, { relaxed: false });

function expectSame(text: string): void {
  expect(outcome(parseCanonicalEjson, text), text).toEqual(outcome(library, text));
}

/** A small deterministic generator (the same documents every run). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 16 : 19));
  switch (pick) {
    case 0:
      return new Int32(Math.floor(next() * 2 ** 32) - 2 ** 31);
    case 1:
      return Long.fromString(String(BigInt(Math.floor(next() * 2 ** 53)) * 1024n * (next() < 0.5 ? -1n : 1n)));
    case 2:
      return new Double(
        [0, -0, 1.5, 10, -7e300, 1e-320, Number.NaN, Infinity, -Infinity, next() * 1000][Math.floor(next() * 10)],
      );
    case 3:
      return Decimal128.fromString(['1.5', '-0', '1E+6144', 'NaN', '12.345678901234567890'][Math.floor(next() * 5)]);
    case 4:
      return new Date(Math.floor((next() - 0.3) * 2 ** 44));
    case 5:
      return new ObjectId();
    case 6:
      return ['', 'plain', 'quote " back \\ slash', 'é 中文 😀', '\u2028', '$notakey', '{"$oid":"x"}'][
        Math.floor(next() * 7)
      ];
    case 7:
      return next() < 0.5;
    case 8:
      return null;
    case 9:
      return new Binary(Buffer.from([1, 2, 3, Math.floor(next() * 255)]), Math.floor(next() * 6));
    case 10:
      return new UUID();
    case 11:
      return new BSONRegExp('^a.*b$', 'imx');
    case 12:
      return new Timestamp({ t: Math.floor(next() * 2 ** 32), i: 7 });
    case 13:
      return next() < 0.5 ? new MinKey() : new MaxKey();
    case 14:
      return new Code('function () {}');
    case 15:
      return new DBRef('coll', new ObjectId(), next() < 0.5 ? 'db' : undefined);
    case 16:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return randomDocument(next, depth + 1);
  }
}

function randomDocument(next: () => number, depth = 0): BSON.Document {
  const doc: BSON.Document = {};
  const fields = 1 + Math.floor(next() * 6);
  for (let i = 0; i < fields; i++)
    doc[['a', 'b', 'date', 'n', '10', 'x.y', 'ü'][Math.floor(next() * 7)] + i] = randomValue(next, depth);
  return doc;
}

describe('parseCanonicalEjson', () => {
  it('gives the same BSON as the library for 2,000 random documents of every type, canonical and relaxed text', () => {
    const next = random(14);
    for (let i = 0; i < 2000; i++) {
      const doc = randomDocument(next);
      expectSame(BSON.EJSON.stringify(doc, { relaxed: false }));
      expectSame(BSON.EJSON.stringify(doc, { relaxed: true }));
    }
  });

  it('gives the same BSON, or the same error, for odd wrappers and plain numbers', () => {
    const texts = [
      '{"a":1,"b":-0,"c":2147483648,"d":-2147483649,"e":9007199254740993,"f":1e300,"g":1.5,"h":-2147483648,"i":9223372036854775807}',
      '{"a":{"$oid":"65a000000000000000000001"},"b":{"$oid":"zz"},"c":{"$oid":1},"d":{"$oid":null}}',
      '{"a":{"$numberInt":"12"},"b":{"$numberInt":"x"},"c":{"$numberInt":"2147483648"},"d":{"$numberInt":12}}',
      '{"a":{"$numberDouble":"-0.0"},"b":{"$numberDouble":"Infinity"},"c":{"$numberDouble":"NaN"},"d":{"$numberDouble":"1e-400"}}',
      '{"a":{"$numberLong":"9223372036854775807"},"b":{"$numberLong":"9223372036854775808"},"c":{"$numberLong":"-9223372036854775808"},"d":{"$numberLong":"12345678901234567890123"}}',
      '{"a":{"$numberLong":"1.5"},"b":{"$numberLong":"+1"},"c":{"$numberLong":""},"d":{"$numberLong":"0x10"}}',
      '{"a":{"$date":{"$numberLong":"1700000000000"}},"b":{"$date":"2024-01-02T03:04:05.678Z"},"c":{"$date":"not a date"},"d":{"$date":{"$numberLong":"-62135596800000"}}}',
      '{"a":{"$date":1700000000000}}',
      '{"a":{"$date":{"$numberLong":"1","x":1}}}',
      '{"a":{"$date":{"$numberLong":"99999999999999999999"}}}',
      '{"a":{"$oid":"65a000000000000000000001","b":1}}',
      '{"a":{"b":1,"$oid":"65a000000000000000000001"}}',
      '{"a":{"$undefined":true},"b":{"$foo":1,"c":2},"c":{"$ref":"x","$id":1},"d":{"$regex":"a","$options":"i"}}',
      '{"a\\u0000b":1}',
      '{"a":{"a\\u0000b":{"$numberInt":"x"}}}',
      '{"__proto__":{"$numberInt":"1"},"constructor":1}',
      '{"b":1,"2":2,"a":3,"1":{"$numberInt":"4"}}',
      '[1,{"$numberInt":"2"},[{"$oid":"65a000000000000000000001"}]]',
      '{"a":[]}',
      '{"a":',
      '{"a":1,}',
      '"just a string"',
    ];
    for (const text of texts) expectSame(text);
  });
});

/** The rewriting pass as it was, a regular expression: the reference for the scanner that replaced it. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[[{]|[\]}]/g;
const DOLLAR_KEY = /"\$[^"]*"\s*:\s*$/;
function byRegex(text: string): string {
  let out: string[] | undefined;
  let last = 0;
  let depth = 0;
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
    const token = m[0];
    const c = token.charCodeAt(0);
    if (c === 34) continue;
    if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) throw new TooDeep();
      continue;
    }
    if (c === 125 || c === 93) {
      depth--;
      continue;
    }
    const value = numberFromLiteral(token);
    if (typeof value === 'number') continue;
    if (DOLLAR_KEY.test(text.slice(Math.max(0, m.index - 64), m.index))) continue;
    (out ??= []).push(text.slice(last, m.index), JSON.stringify(value));
    last = m.index + token.length;
  }
  if (!out) return text;
  out.push(text.slice(last));
  return out.join('');
}

describe('keepNumberLiterals', () => {
  it('rewrites valid JSON texts exactly as the regular expression did', () => {
    const next = random(7);
    const pieces = [
      '1',
      '-0',
      '10.0',
      '1e3',
      '1E-2',
      '-1.5e+10',
      '9007199254740993',
      '123456789012345678901234',
      '0.5',
      '"s"',
      '"a\\"1.0"',
      '"\\\\"',
      '"x\\\\\\"2.0"',
      '{"$numberDouble":1.0}',
      '{"$date":1.0}',
    ];
    for (let i = 0; i < 3000; i++) {
      const items = Array.from(
        { length: 1 + Math.floor(next() * 8) },
        () => pieces[Math.floor(next() * pieces.length)],
      );
      const text = next() < 0.5 ? `[${items.join(',')}]` : `{${items.map((v, k) => `"k${k}":${v}`).join(', ')}}`;
      expect(keepNumberLiterals(text), text).toBe(byRegex(text));
    }
  });

  it('refuses nesting deeper than MongoDB stores, and leaves strings alone', () => {
    expect(() => keepNumberLiterals('['.repeat(MAX_JSON_DEPTH + 1))).toThrow(TooDeep);
    expect(keepNumberLiterals('{"a":"[[[ 1.0 ]]]","b":1.0}')).toBe('{"a":"[[[ 1.0 ]]]","b":{"$numberDouble":"1.0"}}');
  });
});
