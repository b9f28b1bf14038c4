/**
 * Canonical Extended JSON text → a document, as `BSON.EJSON.parse(text, { relaxed: false })` returns it,
 * several times faster (issue 14: JSON Lines imports spent most of their time there). The library hands a
 * reviver to `JSON.parse`, which V8 runs slowly and which is called for every value; here the text is
 * parsed without one and the values are converted in one walk, in the reviver's order (children before
 * their object, keys in order), so the first error thrown is the library's own.
 *
 * Plain numbers become Int32 / Long / Double as the library makes them. The wrappers every canonical
 * export is full of (`$oid`, `$numberInt`, `$numberDouble`, `$numberLong`, `$date` of either) are built
 * here with the same constructors the library calls; any other object with a `$` key (binary, regex,
 * timestamp, decimal, DBRef, `$date` of another form…) is given to the library itself, as its own text.
 * ejson-parse.test.ts compares the two, BSON byte for BSON byte.
 */
import { BSON } from 'mongodb';

const { Double, Int32, Long, ObjectId } = BSON;

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -2147483648;
const INT64_MAX = Math.pow(2, 63) - 1;
const INT64_MIN = -Math.pow(2, 63);
/** Decimal digits that `Long.fromExtendedJSON` accepts and hands to `Long.fromString` as they are. */
const LONG_DIGITS = /^-?\d{1,19}$/;

export function parseCanonicalEjson(text: string): BSON.Document {
  return revive(JSON.parse(text)) as BSON.Document;
}

function revive(value: unknown): unknown {
  if (typeof value === 'number') return number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  let wrapper = false;
  for (const key in object) {
    if (key.charCodeAt(0) === 36 /* $ */) {
      wrapper = true;
      break;
    }
  }
  if (wrapper) return extended(object);
  for (const key in object) {
    object[key] = revive(object[key]);
    if (key.indexOf('\x00') !== -1)
      throw new BSON.BSONError(`BSON Document field names cannot contain null bytes, found: ${JSON.stringify(key)}`);
  }
  return object;
}

/** What the library's reviver makes of a plain number (canonical mode). */
function number(value: number): unknown {
  if (Number.isInteger(value) && !Object.is(value, -0)) {
    if (value <= INT32_MAX && value >= INT32_MIN) return new Int32(value);
    if (value <= INT64_MAX && value >= INT64_MIN) return Long.fromNumber(value);
  }
  return new Double(value);
}

/** An object with a `$` key: one of the common wrappers, built here, or the library's business. */
function extended(object: Record<string, unknown>): unknown {
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const key = keys[0];
    const inner = object[key];
    if (typeof inner === 'string') {
      if (key === '$oid') return new ObjectId(inner);
      if (key === '$numberInt') return new Int32(inner);
      if (key === '$numberDouble') return new Double(parseFloat(inner));
      if (key === '$numberLong' && LONG_DIGITS.test(inner)) return Long.fromString(inner);
      if (key === '$date') return dateAt(Date.parse(inner));
    } else if (key === '$date' && inner !== null && typeof inner === 'object') {
      const innerKeys = Object.keys(inner);
      const long = (inner as Record<string, unknown>).$numberLong;
      if (innerKeys.length === 1 && typeof long === 'string' && LONG_DIGITS.test(long))
        return dateAt(Long.fromString(long).toNumber());
    }
  }
  return BSON.EJSON.parse(JSON.stringify(object), { relaxed: false });
}

function dateAt(ms: number): Date {
  const date = new Date();
  date.setTime(ms);
  return date;
}
