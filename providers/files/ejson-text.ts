/**
 * Extended JSON text (canonical or relaxed) written straight from a document's BSON bytes, without
 * decoding it into JavaScript objects first: the export's hot path (issue 14). The text is byte for byte
 * what `BSON.EJSON.stringify(BSON.deserialize(raw, EXACT), { relaxed })` writes, which stays the
 * reference: a document holding anything this writer does not reproduce itself (Decimal128, regular
 * expressions, timestamps, code, min/max keys, old binary subtype 2, vectors, keys starting with `$`
 * (a possible DBRef), keys starting with a digit (JavaScript orders integer keys first), `__proto__`,
 * repeated keys, invalid UTF-8, malformed lengths) goes through bson's own functions instead.
 */
import { BSON } from 'mongodb';
import { EXACT } from './formats';

const TWO_PWR_32 = 4294967296;
/** Relaxed dates are ISO strings from 1970 up to (not including) the year 10000 (bson's own range). */
const MAX_RELAXED_DATE_MS = 253402300800000;
/** Beyond this a JavaScript Date is invalid. */
const MAX_DATE_MS = 8.64e15;

/** The document as one line of Extended JSON. */
export function ejsonText(raw: Uint8Array, relaxed: boolean): string {
  return ejsonFromBytes(raw, relaxed) ?? BSON.EJSON.stringify(BSON.deserialize(raw, EXACT), { relaxed });
}

/** The fast path alone: undefined when the document needs bson's own functions (see above). */
export function ejsonFromBytes(raw: Uint8Array, relaxed: boolean): string | undefined {
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (buffer.length < 5 || buffer.readInt32LE(0) !== buffer.length) return undefined;
  return writeDocument(buffer, 0, relaxed, false);
}

function writeDocument(b: Buffer, start: number, relaxed: boolean, isArray: boolean): string | undefined {
  const size = b.readInt32LE(start);
  const end = start + size - 1; // the terminating 0
  if (size < 5 || end >= b.length || b[end] !== 0) return undefined;
  let out = isArray ? '[' : '{';
  let keys: Set<string> | undefined;
  let i = start + 4;
  while (i < end) {
    const type = b[i++];
    const keyEnd = b.indexOf(0, i);
    if (keyEnd < 0 || keyEnd >= end) return undefined;
    if (out.length > 1) out += ',';
    if (!isArray) {
      const first = b[i];
      // `$` (36): a possible DBRef; a digit (48-57): JavaScript puts integer keys first.
      if (first === 36 || (first >= 48 && first <= 57)) return undefined;
      const key = b.toString('utf8', i, keyEnd);
      if (key === '__proto__' || key.includes('\uFFFD')) return undefined;
      if (keys === undefined) keys = new Set();
      else if (keys.has(key)) return undefined;
      keys.add(key);
      out += JSON.stringify(key);
      out += ':';
    }
    i = keyEnd + 1;
    switch (type) {
      case 0x01: {
        if (i + 8 > end) return undefined;
        const v = b.readDoubleLE(i);
        i += 8;
        if (relaxed && Number.isFinite(v)) out += String(v);
        else if (Object.is(v, -0)) out += '{"$numberDouble":"-0.0"}';
        else out += `{"$numberDouble":"${Number.isInteger(v) ? v.toFixed(1) : String(v)}"}`;
        break;
      }
      case 0x02: {
        if (i + 4 > end) return undefined;
        const length = b.readInt32LE(i);
        const stringEnd = i + 4 + length - 1;
        if (length < 1 || stringEnd >= end || b[stringEnd] !== 0) return undefined;
        const text = b.toString('utf8', i + 4, stringEnd);
        if (text.includes('\uFFFD')) return undefined; // invalid UTF-8 (or a real U+FFFD): bson decides
        out += JSON.stringify(text);
        i = stringEnd + 1;
        break;
      }
      case 0x03:
      case 0x04: {
        if (i + 4 > end) return undefined;
        const inner = writeDocument(b, i, relaxed, type === 0x04);
        if (inner === undefined) return undefined;
        out += inner;
        i += b.readInt32LE(i);
        break;
      }
      case 0x05: {
        if (i + 5 > end) return undefined;
        const length = b.readInt32LE(i);
        const subType = b[i + 4];
        const dataEnd = i + 5 + length;
        if (length < 0 || dataEnd > end || subType === 0x02 || subType === 0x09) return undefined;
        const hex = subType.toString(16);
        out += `{"$binary":{"base64":"${b.toString('base64', i + 5, dataEnd)}","subType":"${hex.length === 1 ? `0${hex}` : hex}"}}`;
        i = dataEnd;
        break;
      }
      case 0x07:
        if (i + 12 > end) return undefined;
        out += `{"$oid":"${b.toString('hex', i, i + 12)}"}`;
        i += 12;
        break;
      case 0x08:
        if (b[i] !== 0 && b[i] !== 1) return undefined;
        out += b[i] === 1 ? 'true' : 'false';
        i += 1;
        break;
      case 0x09: {
        if (i + 8 > end) return undefined;
        const ms = b.readInt32LE(i + 4) * TWO_PWR_32 + b.readUInt32LE(i);
        i += 8;
        if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return undefined;
        if (relaxed && ms > -1 && ms < MAX_RELAXED_DATE_MS) {
          const iso = new Date(ms).toISOString();
          out += `{"$date":"${ms % 1000 !== 0 ? iso : `${iso.slice(0, -5)}Z`}"}`;
        } else out += `{"$date":{"$numberLong":"${String(ms + 0)}"}}`;
        break;
      }
      case 0x0a:
        out += 'null';
        break;
      case 0x10: {
        if (i + 4 > end) return undefined;
        const v = b.readInt32LE(i);
        i += 4;
        out += relaxed ? String(v) : `{"$numberInt":"${v}"}`;
        break;
      }
      case 0x12: {
        if (i + 8 > end) return undefined;
        out += relaxed ? String(b.readInt32LE(i + 4) * TWO_PWR_32 + b.readUInt32LE(i)) : `{"$numberLong":"${b.readBigInt64LE(i)}"}`;
        i += 8;
        break;
      }
      default:
        return undefined;
    }
  }
  if (i !== end) return undefined;
  return out + (isArray ? ']' : '}');
}
