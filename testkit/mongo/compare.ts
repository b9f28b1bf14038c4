/**
 * MongoDB's BSON comparison order and canonical (equality) keys.
 *
 * Type order: MinKey < undefined < null/missing < numbers < string/symbol < object < array < BinData
 * < ObjectId < bool < Date < Timestamp < regex < DBPointer < code < code with scope < MaxKey.
 * Numbers compare exactly across int/long/double/decimal.
 */
import {
  bsonType,
  compareNumbers,
  type BsonTypeName,
  type Doc,
  type Maybe,
  MISSING,
  numericKey,
  type Value,
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  ObjectId,
  Timestamp,
} from './values.js';
import { BSON_TYPE_RANK } from '../../providers/shared/bson-order';

/** String comparison/keying used when a non-simple collation applies. */
export interface StringCollator {
  compare(a: string, b: string): number;
  key(s: string): string;
}

/** MongoDB's canonical BSON type order (providers/shared/bson-order.ts); a missing field sorts as null. */
export const TYPE_RANK: Record<BsonTypeName, number> = { ...BSON_TYPE_RANK, missing: BSON_TYPE_RANK.null };

export function typeRank(v: Maybe): number {
  return TYPE_RANK[bsonType(v)];
}

/** Compares JS strings in UTF-8 byte order (mongod's simple collation). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa === sb) return ca < cb ? -1 : 1;
    // a surrogate encodes a code point >= U+10000, above every BMP character in UTF-8 order
    return sa ? 1 : -1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return sign(Buffer.compare(a, b));
}

export function stringOf(v: Maybe): string {
  if (typeof v === 'string') return v;
  if (v instanceof BSONSymbol) return v.value;
  return String(v);
}

export function dbRefToDoc(r: DBRef): Doc {
  const d: Doc = { $ref: r.collection, $id: r.oid as Value };
  if (r.db) d.$db = r.db;
  for (const [k, v] of Object.entries(r.fields ?? {})) d[k] = v as Value;
  return d;
}

function docEntries(v: Value): Array<[string, Value]> {
  if (v instanceof DBRef) return Object.entries(dbRefToDoc(v));
  return Object.entries(v as Doc);
}

export function compareDocs(a: Value, b: Value, coll?: StringCollator): number {
  const ea = docEntries(a);
  const eb = docEntries(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const [ka, va] = ea[i];
    const [kb, vb] = eb[i];
    const ra = typeRank(va);
    const rb = typeRank(vb);
    if (ra !== rb) return ra < rb ? -1 : 1;
    const c = compareStrings(ka, kb);
    if (c !== 0) return c;
    const cv = compareValues(va, vb, coll);
    if (cv !== 0) return cv;
  }
  return ea.length < eb.length ? -1 : ea.length > eb.length ? 1 : 0;
}

function compareArrays(a: Value[], b: Value[], coll?: StringCollator): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ra = typeRank(a[i]);
    const rb = typeRank(b[i]);
    if (ra !== rb) return ra < rb ? -1 : 1;
    const c = compareValues(a[i], b[i], coll);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Total BSON order used by sort, $min/$max and range comparisons. */
export function compareValues(a: Maybe, b: Maybe, coll?: StringCollator): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case -1:
    case 0:
    case 5:
    case 127:
      return 0;
    case 10:
      return compareNumbers(a, b);
    case 15:
      return coll ? sign(coll.compare(stringOf(a), stringOf(b))) : compareStrings(stringOf(a), stringOf(b));
    case 20:
      return compareDocs(a as Value, b as Value, coll);
    case 25:
      return compareArrays(a as Value[], b as Value[], coll);
    case 30: {
      const ba = a as Binary;
      const bb = b as Binary;
      const la = ba.position;
      const lb = bb.position;
      if (la !== lb) return la < lb ? -1 : 1;
      if (ba.sub_type !== bb.sub_type) return ba.sub_type < bb.sub_type ? -1 : 1;
      return compareBytes(ba.buffer.subarray(0, la), bb.buffer.subarray(0, lb));
    }
    case 35:
      return compareBytes((a as ObjectId).id, (b as ObjectId).id);
    case 40:
      return a === b ? 0 : a ? 1 : -1;
    case 45:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 47: {
      const ta = a as Timestamp;
      const tb = b as Timestamp;
      if (ta.t !== tb.t) return ta.t < tb.t ? -1 : 1;
      return ta.i < tb.i ? -1 : ta.i > tb.i ? 1 : 0;
    }
    case 50: {
      const [pa, fa] = regexParts(a as Value);
      const [pb, fb] = regexParts(b as Value);
      return compareStrings(pa, pb) || compareStrings(fa, fb);
    }
    case 60:
    case 65: {
      const ca = a as Code;
      const cb = b as Code;
      const c = compareStrings(String(ca.code), String(cb.code));
      if (c !== 0 || ra === 60) return c;
      return compareDocs((ca.scope ?? {}) as Doc, (cb.scope ?? {}) as Doc, coll);
    }
    default:
      return 0;
  }
}

export function regexParts(v: Value): [string, string] {
  if (v instanceof BSONRegExp) return [v.pattern, v.options];
  if (v instanceof RegExp) return [v.source, v.flags];
  return ['', ''];
}

export function valuesEqual(a: Maybe, b: Maybe, coll?: StringCollator): boolean {
  return typeRank(a) === typeRank(b) && compareValues(a, b, coll) === 0;
}

/**
 * A string that is equal for two values iff they compare equal (numbers normalised across types).
 * Used for the _id index, unique indexes, $group, distinct and $addToSet.
 */
export function canonicalKey(v: Maybe, coll?: StringCollator, nested = false): string {
  const t = bsonType(v);
  switch (t) {
    case 'missing':
    case 'null':
      return 'z';
    case 'undefined':
      return 'u';
    case 'minKey':
      return 'm';
    case 'maxKey':
      return 'M';
    case 'int':
    case 'long':
    case 'double':
    case 'decimal':
      return numericKey(v);
    case 'string':
    case 'symbol': {
      const s = coll ? coll.key(stringOf(v)) : stringOf(v);
      return nested ? 's' + JSON.stringify(s) : 's' + s;
    }
    case 'objectId':
      return 'i' + Buffer.from((v as ObjectId).id).toString('latin1');
    case 'bool':
      return v ? 'b1' : 'b0';
    case 'date':
      return 'd' + (v as Date).getTime();
    case 'timestamp':
      return `T${(v as Timestamp).t}:${(v as Timestamp).i}`;
    case 'binData': {
      const b = v as Binary;
      return `B${b.sub_type}:${Buffer.from(b.buffer.subarray(0, b.position)).toString('base64')}`;
    }
    case 'regex':
      return 'r' + JSON.stringify(regexParts(v as Value));
    case 'javascript':
      return 'c' + JSON.stringify(String((v as Code).code));
    case 'javascriptWithScope':
      return 'C' + JSON.stringify(String((v as Code).code)) + canonicalKey((v as Code).scope as Doc, coll, true);
    case 'array':
      return 'a[' + (v as Value[]).map((x) => canonicalKey(x, coll, true)).join(',') + ']';
    case 'object':
      return (
        'o{' +
        docEntries(v as Value)
          .map(([k, x]) => JSON.stringify(k) + ':' + canonicalKey(x, coll, true))
          .join(',') +
        '}'
      );
    default:
      return '?' + String(v);
  }
}

/** Builds a collator approximation (Intl.Collator) for a mongod collation document. */
export function collatorFor(collation: Maybe): StringCollator | undefined {
  if (collation === undefined || collation === null || collation === MISSING || typeof collation !== 'object')
    return undefined;
  const c = collation as Doc;
  const locale = typeof c.locale === 'string' ? c.locale : 'simple';
  if (locale === 'simple') return undefined;
  const strength = Number(c.strength ?? 3);
  const sensitivity = strength <= 1 ? 'base' : strength === 2 ? 'accent' : 'variant';
  const caseFirst = c.caseFirst === 'upper' ? 'upper' : c.caseFirst === 'lower' ? 'lower' : 'false';
  let intl: Intl.Collator;
  try {
    intl = new Intl.Collator(locale.replace('_', '-'), { sensitivity, caseFirst, numeric: c.numericOrdering === true });
  } catch {
    intl = new Intl.Collator('en', { sensitivity, caseFirst, numeric: c.numericOrdering === true });
  }
  return {
    compare: (a, b) => intl.compare(a, b),
    key: (s) => {
      if (strength <= 1) return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      if (strength === 2) return s.toLowerCase();
      return s;
    },
  };
}
