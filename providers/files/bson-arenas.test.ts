/**
 * Documents encoded into reused arenas (bson-arenas.ts) are the bytes BSON.serialize gives, stay intact
 * until released, and a few arenas serve any number of documents.
 */
import { BSON, Decimal128, Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { BsonArenas } from './bson-arenas';

const doc = (i: number) => ({
  _id: new ObjectId(),
  n: i,
  long: Long.fromNumber(i * 1000),
  price: Decimal128.fromString(`${i}.25`),
  text: 'x'.repeat((i * 131) % 5000),
  nested: { a: [i, String(i), null], when: new Date(1_700_000_000_000 + i) },
});

describe('BSON arenas', () => {
  it('give the bytes BSON.serialize gives, and keep them until released', () => {
    const arenas = new BsonArenas();
    const kept: Array<{ raw: Uint8Array; expected: Buffer }> = [];
    for (let i = 0; i < 3000; i++) {
      const d = doc(i);
      const raw = arenas.encode(d, i);
      const expected = Buffer.from(BSON.serialize(d));
      expect(Buffer.compare(Buffer.from(raw), expected)).toBe(0);
      kept.push({ raw, expected });
      // Released two "batches" behind, as the import does: what is not released yet must not change.
      if (i % 500 === 499 && i >= 1000) arenas.release(i - 1000);
    }
    for (const { raw, expected } of kept.slice(-1000)) expect(Buffer.compare(Buffer.from(raw), expected)).toBe(0);
  });

  it('use a few arenas however many documents pass through', () => {
    const arenas = new BsonArenas();
    for (let i = 0; i < 20_000; i++) {
      arenas.encode(doc(i), i);
      if (i % 1000 === 999) arenas.release(i - 1000);
    }
    expect(arenas.arenas).toBeLessThanOrEqual(8);
  });

  it('give a document larger than an arena a buffer of its own, and refuse what BSON cannot hold as it does', () => {
    const arenas = new BsonArenas();
    arenas.encode(doc(1), 0);
    const big = { _id: 1, blob: 'y'.repeat(3 * 1024 * 1024) };
    const raw = arenas.encode(big, 1);
    expect(Buffer.compare(Buffer.from(raw), Buffer.from(BSON.serialize(big)))).toBe(0);
    const cyclic: Record<string, unknown> = { _id: 2 };
    cyclic.self = cyclic;
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message(() => arenas.encode(cyclic, 2))).toBe(message(() => BSON.serialize(cyclic)));
    expect(message(() => arenas.encode(cyclic, 2))).not.toBe('no error');
  });
});
