/**
 * The `_id` element finder walks a document's top-level elements itself (without bson's array per
 * element): it must find the same element and refuse the same malformed bytes as bson's
 * `onDemand.parseToElements`, on every element type and on damaged copies of them.
 */
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { findIdElement, hasIdElement } from './raw-bson';

/** The finder as it was, on bson's own element parser. */
function reference(raw: Uint8Array): Uint8Array | undefined {
  for (const [, nameOffset, nameLength, valueOffset, valueLength] of BSON.onDemand.parseToElements(raw)) {
    const name = Buffer.from(raw.subarray(nameOffset, nameOffset + nameLength)).toString('latin1');
    if (name === '_id') return raw.subarray(nameOffset - 1, valueOffset + valueLength);
  }
  return undefined;
}

function outcome(find: (raw: Uint8Array) => Uint8Array | undefined, raw: Uint8Array): string {
  try {
    const id = find(raw);
    return id ? `${Buffer.from(id).toString('hex')} at ${id.byteOffset - raw.byteOffset}` : 'no _id';
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

const EVERY_TYPE = {
  a: 1,
  d: 1.5,
  s: 'héllo',
  o: { _id: 3 },
  arr: [1, 'x'],
  bin: new BSON.Binary(Buffer.from('xyz'), 4),
  u: undefined,
  _id: new BSON.ObjectId('65a1b2c3d4e5f60718293a4b'),
  b: true,
  dt: new Date(1_700_000_000_000),
  n: null,
  r: new BSON.BSONRegExp('ab+c', 'im'),
  code: new BSON.Code('y'),
  sym: new BSON.BSONSymbol('s'),
  scope: new BSON.Code('x', { a: 1 }),
  ts: new BSON.Timestamp({ t: 1, i: 2 }),
  l: BSON.Long.fromNumber(5),
  dec: BSON.Decimal128.fromString('1.2'),
  mk: new BSON.MaxKey(),
  mn: new BSON.MinKey(),
};

/** A document of one DBPointer element (deprecated type 0x0C, which the driver has no class to write) and an _id. */
function withDbPointer(): Uint8Array {
  const ns = Buffer.from('db.c\0');
  const namespaceLength = Buffer.alloc(4);
  namespaceLength.writeInt32LE(ns.length);
  const pointer = Buffer.concat([Buffer.from([0x0c]), Buffer.from('p\0'), namespaceLength, ns, Buffer.alloc(12, 7)]);
  const id = Buffer.from([0x10, ...Buffer.from('_id\0'), 9, 0, 0, 0]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + pointer.length + id.length + 1);
  return Buffer.concat([size, pointer, id, Buffer.from([0])]);
}

describe('findIdElement', () => {
  it('finds the first _id among elements of every type, and says when there is none', () => {
    const raw = BSON.serialize(EVERY_TYPE, { ignoreUndefined: false });
    const id = findIdElement(raw)!;
    expect(id[0]).toBe(0x07);
    expect(Buffer.from(id.subarray(1, 5)).toString('latin1')).toBe('_id\0');
    expect(Buffer.from(id.subarray(5)).toString('hex')).toBe('65a1b2c3d4e5f60718293a4b');
    expect(outcome(findIdElement, raw)).toBe(outcome(reference, raw));
    expect(hasIdElement(raw)).toBe(true);
    const afterPointer = findIdElement(withDbPointer())!;
    expect(Buffer.from(afterPointer).toString('hex')).toBe('105f69640009000000');
    const none = BSON.serialize({ x: { _id: 1 }, _idx: 2 });
    expect(findIdElement(none)).toBeUndefined();
    expect(hasIdElement(none)).toBe(false);
  });

  it('refuses damaged documents as bson does, and finds what bson finds in the rest', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const typeBytes = [0, 1, 2, 3, 4, 5, 0x0b, 0x0c, 0x0f, 0x7f, 0xff, 0x14, 0x80];
    let refused = 0;
    const documents = [EVERY_TYPE, { _id: 'a', x: [1, 2, { y: /re/ }] }, {}].map((doc) =>
      BSON.serialize(doc, { ignoreUndefined: false }),
    );
    for (const base of [...documents, withDbPointer()]) {
      const cases: Uint8Array[] = [base, base.subarray(0, base.length - 1), Buffer.concat([base, Buffer.from([0])])];
      for (let i = 0; i < 3000; i++) {
        const damaged = Buffer.from(base);
        for (let j = 0; j < 1 + Math.floor(random() * 3); j++) {
          damaged[Math.floor(random() * damaged.length)] =
            random() < 0.5 ? Math.floor(random() * 256) : typeBytes[Math.floor(random() * typeBytes.length)];
        }
        cases.push(damaged, damaged.subarray(0, Math.floor(random() * damaged.length)));
      }
      for (const raw of cases) {
        const expected = outcome(reference, raw);
        if (expected.startsWith('error')) refused++;
        expect(outcome(findIdElement, raw), Buffer.from(raw).toString('hex')).toBe(expected);
        if (!expected.startsWith('error')) expect(hasIdElement(raw)).toBe(expected !== 'no _id');
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
