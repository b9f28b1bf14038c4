/**
 * Typed BSON values as decoded with `promoteValues: false` (Int32 / Double / Long wrappers stay wrappers),
 * their BSON type names, and exact numeric helpers.
 */
import {
  Binary,
  BSON,
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
} from 'bson';
import { taggedTypeAlias } from '../../providers/shared/bson-order';

export interface Doc {
  [key: string]: Value;
}
export type Value =
  | null
  | undefined
  | string
  | boolean
  | number
  | bigint
  | Date
  | RegExp
  | Int32
  | Double
  | Long
  | Decimal128
  | ObjectId
  | Binary
  | BSONRegExp
  | BSONSymbol
  | Code
  | Timestamp
  | MinKey
  | MaxKey
  | DBRef
  | Value[]
  | Doc;

export const DECODE_OPTIONS = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

export function decode(buf: Uint8Array): Doc {
  return BSON.deserialize(buf, DECODE_OPTIONS) as Doc;
}

export function encode(doc: Doc): Buffer {
  return BSON.serialize(doc, { ignoreUndefined: false }) as Buffer;
}

export type BsonTypeName =
  | 'double'
  | 'string'
  | 'object'
  | 'array'
  | 'binData'
  | 'undefined'
  | 'objectId'
  | 'bool'
  | 'date'
  | 'null'
  | 'regex'
  | 'dbPointer'
  | 'javascript'
  | 'symbol'
  | 'javascriptWithScope'
  | 'int'
  | 'timestamp'
  | 'long'
  | 'decimal'
  | 'minKey'
  | 'maxKey'
  | 'missing';

export const TYPE_CODES: Record<Exclude<BsonTypeName, 'missing'>, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

interface Tagged {
  _bsontype?: string;
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for embedded documents, including DBRef (which BSON stores as a document). */
export function isDocument(v: unknown): v is Doc {
  return isPlainObject(v) || v instanceof DBRef;
}

export function bsonType(v: Value | typeof MISSING): BsonTypeName {
  if (v === MISSING) return 'missing';
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0) ? 'int' : 'double';
    case 'bigint':
      return 'long';
    default:
      break;
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  return taggedTypeAlias(v) ?? 'object';
}

/** Marker for a path that does not exist in a document. */
export const MISSING: unique symbol = Symbol('missing');
export type Maybe = Value | typeof MISSING;

export function isNumber(v: Maybe): v is number | Int32 | Double | Long | Decimal128 | bigint {
  const t = bsonType(v);
  return t === 'int' || t === 'double' || t === 'long' || t === 'decimal';
}

/** Lossy conversion of any numeric to a JS double (NaN for non-numbers). */
export function toDouble(v: Maybe): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === null || v === undefined || v === MISSING || typeof v !== 'object') return NaN;
  switch ((v as Tagged)._bsontype) {
    case 'Int32':
    case 'Double':
      return (v as Int32 | Double).value;
    case 'Long':
      return (v as Long).toNumber();
    case 'Decimal128':
      return decimalToDouble(v as Decimal128);
    default:
      return NaN;
  }
}

function decimalToDouble(d: Decimal128): number {
  const s = d.toString();
  if (s === 'NaN' || s === '-NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  return Number(s);
}

/** Integer value of a numeric option such as `limit`, `skip`, `batchSize`. */
export function toInt(v: Maybe, fallback = 0): number {
  if (v === undefined || v === null || v === MISSING) return fallback;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const d = toDouble(v);
  return Number.isNaN(d) ? fallback : Math.trunc(d);
}

export function isTruthyOption(v: Maybe): boolean {
  if (v === undefined || v === null || v === MISSING) return false;
  if (typeof v === 'boolean') return v;
  if (isNumber(v)) return toDouble(v) !== 0;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Exact decimal representation: value = coef * 10^exp (coef may be negative). Used for exact
// comparisons between Long / Decimal128 / Double and for canonical keys.

export interface Exact {
  coef: bigint;
  exp: number;
  negZero?: boolean;
}
export type ExactOrSpecial = Exact | 'nan' | 'inf' | '-inf';

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

export function exactFromDouble(d: number): ExactOrSpecial {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isInteger(d)) return normalizeExact({ coef: BigInt(d), exp: 0 });
  F64[0] = d;
  const bits = U64[0];
  const neg = bits >> 63n === 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let exp2: number;
  if (e === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = e - 1075;
  }
  // d = mant * 2^exp2 with exp2 < 0 (d is not an integer) = mant * 5^-exp2 * 10^exp2
  const coef = mant * 5n ** BigInt(-exp2);
  return normalizeExact({ coef: neg ? -coef : coef, exp: exp2 });
}

export function exactFromDecimal(d: Decimal128): ExactOrSpecial {
  const s = d.toString();
  if (s === 'NaN' || s === '-NaN') return 'nan';
  if (s === 'Infinity') return 'inf';
  if (s === '-Infinity') return '-inf';
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]?\d+))?$/i.exec(s);
  if (!m) return 'nan';
  const digits = m[2] + (m[3] ?? '');
  let exp = (m[4] ? parseInt(m[4], 10) : 0) - (m[3]?.length ?? 0);
  let coef = BigInt(digits);
  if (m[1] === '-') coef = -coef;
  if (coef === 0n) exp = 0;
  return normalizeExact({ coef, exp });
}

export function normalizeExact(x: Exact): Exact {
  let { coef, exp } = x;
  if (coef === 0n) return { coef: 0n, exp: 0 };
  while (coef % 10n === 0n) {
    coef /= 10n;
    exp += 1;
  }
  return { coef, exp };
}

export function toExact(v: Maybe): ExactOrSpecial {
  if (typeof v === 'number') return exactFromDouble(v);
  if (typeof v === 'bigint') return normalizeExact({ coef: v, exp: 0 });
  if (v === null || typeof v !== 'object') return 'nan';
  switch ((v as Tagged)._bsontype) {
    case 'Int32':
      return normalizeExact({ coef: BigInt((v as Int32).value), exp: 0 });
    case 'Double':
      return exactFromDouble((v as Double).value);
    case 'Long':
      return normalizeExact({ coef: BigInt((v as Long).toString()), exp: 0 });
    case 'Decimal128':
      return exactFromDecimal(v as Decimal128);
    default:
      return 'nan';
  }
}

function cmpExact(a: Exact, b: Exact): number {
  if (a.exp === b.exp) return a.coef < b.coef ? -1 : a.coef > b.coef ? 1 : 0;
  // align exponents
  if (a.exp > b.exp) {
    const ac = a.coef * 10n ** BigInt(a.exp - b.exp);
    return ac < b.coef ? -1 : ac > b.coef ? 1 : 0;
  }
  const bc = b.coef * 10n ** BigInt(b.exp - a.exp);
  return a.coef < bc ? -1 : a.coef > bc ? 1 : 0;
}

function specialRank(x: ExactOrSpecial): number {
  return x === 'nan' ? 0 : x === '-inf' ? 1 : x === 'inf' ? 3 : 2;
}

/** Exact comparison of two numeric values (NaN sorts below every other number, as in mongod). */
export function compareNumbers(a: Maybe, b: Maybe): number {
  const ta = bsonType(a);
  const tb = bsonType(b);
  const da = toDouble(a);
  const db = toDouble(b);
  const aNaN = Number.isNaN(da);
  const bNaN = Number.isNaN(db);
  if (aNaN || bNaN) {
    if (aNaN && bNaN) return 0;
    return aNaN ? -1 : 1;
  }
  if (da < db) return -1;
  if (da > db) return 1;
  // Rounding to double is monotonic, so only ties need an exact look.
  if ((ta === 'int' || ta === 'double') && (tb === 'int' || tb === 'double')) return 0;
  if (ta === 'long' && tb === 'long') {
    const la = a as Long;
    const lb = b as Long;
    return la.lessThan(lb) ? -1 : la.greaterThan(lb) ? 1 : 0;
  }
  const ea = toExact(a);
  const eb = toExact(b);
  if (typeof ea === 'string' || typeof eb === 'string') {
    const ra = specialRank(ea);
    const rb = specialRank(eb);
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  }
  return cmpExact(ea, eb);
}

/** Canonical string for a numeric value; equal for numerically equal values of any numeric type. */
export function numericKey(v: Maybe): string {
  if (typeof v === 'object' && v !== null) {
    const t = (v as Tagged)._bsontype;
    if (t === 'Int32') return 'n' + (v as Int32).value;
    if (t === 'Double') {
      const d = (v as Double).value;
      if (Number.isInteger(d) && Math.abs(d) <= Number.MAX_SAFE_INTEGER) return 'n' + (d === 0 ? 0 : d);
    }
  } else if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
    return 'n' + (v === 0 ? 0 : v);
  }
  const e = toExact(v);
  if (e === 'nan') return 'nNaN';
  if (e === 'inf') return 'nInf';
  if (e === '-inf') return 'n-Inf';
  if (e.exp >= 0) {
    if (e.exp > 400) return `n${e.coef}e${e.exp}`;
    return 'n' + (e.coef * 10n ** BigInt(e.exp)).toString();
  }
  return `n${e.coef}e${e.exp}`;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic with mongod's type widening: int -> long -> double, decimal wins over everything.

export type NumericValue = Int32 | Long | Double | Decimal128;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function numClass(v: Maybe): 0 | 1 | 2 | 3 {
  switch (bsonType(v)) {
    case 'int':
      return 0;
    case 'long':
      return 1;
    case 'double':
      return 2;
    default:
      return 3;
  }
}

function toBigIntExact(v: Maybe): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  const t = (v as Tagged)._bsontype;
  if (t === 'Int32') return BigInt((v as Int32).value);
  if (t === 'Long') return BigInt((v as Long).toString());
  return BigInt(Math.trunc(toDouble(v)));
}

export function exactToDecimal(x: ExactOrSpecial): Decimal128 {
  if (x === 'nan') return Decimal128.fromString('NaN');
  if (x === 'inf') return Decimal128.fromString('Infinity');
  if (x === '-inf') return Decimal128.fromString('-Infinity');
  return Decimal128.fromStringWithRounding(`${x.coef}E${x.exp}`);
}

function toDecimalExact(v: Maybe): ExactOrSpecial {
  if (bsonType(v) === 'double' || typeof v === 'number') {
    // mongod converts doubles to decimal with 15 significant digits
    const d = toDouble(v);
    if (!Number.isFinite(d)) return exactFromDouble(d);
    return exactFromDecimal(Decimal128.fromStringWithRounding(d.toPrecision(15)));
  }
  return toExact(v);
}

function fromBigInt(r: bigint, intOk: boolean): NumericValue {
  if (intOk && r >= BigInt(INT32_MIN) && r <= BigInt(INT32_MAX)) return new Int32(Number(r));
  if (r >= INT64_MIN && r <= INT64_MAX) return Long.fromBigInt(r);
  return new Double(Number(r));
}

export function addNumbers(a: Maybe, b: Maybe): NumericValue {
  const c = Math.max(numClass(a), numClass(b));
  if (c === 3) {
    const ea = toDecimalExact(a);
    const eb = toDecimalExact(b);
    if (typeof ea === 'string' || typeof eb === 'string') return exactToDecimal(specialAdd(ea, eb));
    const exp = Math.min(ea.exp, eb.exp);
    const coef = ea.coef * 10n ** BigInt(ea.exp - exp) + eb.coef * 10n ** BigInt(eb.exp - exp);
    return exactToDecimal({ coef, exp });
  }
  if (c === 2) return new Double(toDouble(a) + toDouble(b));
  return fromBigInt(toBigIntExact(a) + toBigIntExact(b), c === 0);
}

function specialAdd(a: ExactOrSpecial, b: ExactOrSpecial): ExactOrSpecial {
  if (a === 'nan' || b === 'nan') return 'nan';
  if ((a === 'inf' && b === '-inf') || (a === '-inf' && b === 'inf')) return 'nan';
  if (a === 'inf' || b === 'inf') return 'inf';
  return '-inf';
}

export function subtractNumbers(a: Maybe, b: Maybe): NumericValue {
  return addNumbers(a, negate(b));
}

export function negate(v: Maybe): NumericValue {
  switch (bsonType(v)) {
    case 'int':
      return fromBigInt(-toBigIntExact(v), true);
    case 'long':
      return fromBigInt(-toBigIntExact(v), false);
    case 'decimal': {
      const s = (v as Decimal128).toString();
      return Decimal128.fromString(s.startsWith('-') ? s.slice(1) : '-' + s);
    }
    default:
      return new Double(-toDouble(v));
  }
}

export function multiplyNumbers(a: Maybe, b: Maybe): NumericValue {
  const c = Math.max(numClass(a), numClass(b));
  if (c === 3) {
    const ea = toDecimalExact(a);
    const eb = toDecimalExact(b);
    if (typeof ea === 'string' || typeof eb === 'string')
      return Decimal128.fromString(String(toDouble(a) * toDouble(b)));
    return exactToDecimal({ coef: ea.coef * eb.coef, exp: ea.exp + eb.exp });
  }
  if (c === 2) return new Double(toDouble(a) * toDouble(b));
  return fromBigInt(toBigIntExact(a) * toBigIntExact(b), c === 0);
}

export function divideNumbers(a: Maybe, b: Maybe): NumericValue {
  const c = Math.max(numClass(a), numClass(b));
  if (c === 3) return Decimal128.fromStringWithRounding((toDouble(a) / toDouble(b)).toPrecision(17));
  return new Double(toDouble(a) / toDouble(b));
}

/** Wraps a plain JS number the way mongod would type a computed result. */
export function wrapNumber(n: number): NumericValue {
  if (Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX && !Object.is(n, -0)) return new Int32(n);
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return Long.fromNumber(n);
  return new Double(n);
}

export {
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
};
