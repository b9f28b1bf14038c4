/**
 * Extended JSON text (canonical or relaxed) written straight from a document's BSON bytes, without
 * decoding it into JavaScript objects first: the export's hot path (issue 14). The text is byte for byte
 * what `BSON.EJSON.stringify(BSON.deserialize(raw, EXACT), { relaxed })` writes, which stays the
 * reference: a document holding anything this writer does not reproduce itself (Decimal128, regular
 * expressions, timestamps, code, min/max keys, old binary subtype 2, vectors, keys starting with `$`
 * (a possible DBRef), keys starting with a digit (JavaScript orders integer keys first), `__proto__`,
 * repeated keys, invalid UTF-8, malformed lengths) goes through bson's own functions instead.
 *
 * EjsonBuffer writes the text as UTF-8 into one buffer, document after document: strings and keys are
 * copied as they are in the BSON (escaped where JSON needs it), so nothing is decoded, concatenated or
 * encoded again on the way to the file.
 */
import { isUtf8 } from 'node:buffer';
import { BSON } from 'mongodb';
import { EXACT } from './formats';

const TWO_PWR_32 = 4294967296;
/** Relaxed dates are ISO strings from 1970 up to (not including) the year 10000 (bson's own range). */
const MAX_RELAXED_DATE_MS = 253402300800000;
/** Beyond this a JavaScript Date is invalid. */
const MAX_DATE_MS = 8.64e15;

/** The document as one line of Extended JSON. */
export function ejsonText(raw: Uint8Array, relaxed: boolean): string {
  return ejsonFromBytes(raw, relaxed) ?? referenceText(raw, relaxed);
}

/** The fast path alone: undefined when the document needs bson's own functions (see above). */
export function ejsonFromBytes(raw: Uint8Array, relaxed: boolean): string | undefined {
  const writer = new EjsonBuffer(relaxed, 1024);
  return writer.tryDocument(raw) ? writer.take().toString('utf8') : undefined;
}

const referenceText = (raw: Uint8Array, relaxed: boolean) =>
  BSON.EJSON.stringify(BSON.deserialize(raw, EXACT), { relaxed });

const bytes = (text: string) => Buffer.from(text, 'latin1');
const NUMBER_INT = bytes('{"$numberInt":"');
const NUMBER_LONG = bytes('{"$numberLong":"');
const NUMBER_DOUBLE = bytes('{"$numberDouble":"');
const MINUS_ZERO = bytes('{"$numberDouble":"-0.0"}');
const DATE_LONG = bytes('{"$date":{"$numberLong":"');
const DATE_ISO = bytes('{"$date":"');
const OID = bytes('{"$oid":"');
const BINARY = bytes('{"$binary":{"base64":"');
const SUBTYPE = bytes('","subType":"');
const TRUE = bytes('true');
const FALSE = bytes('false');
const NULL = bytes('null');
const HEX = bytes('0123456789abcdef');
/** JSON.stringify's short escapes (\b \t \n \f \r); other control characters are \u00XX. */
const SHORT_ESCAPES: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 };
/** No element's Extended JSON is longer than this many times its BSON (an empty binary: 7 bytes, ~50 characters). */
const MAX_EXPANSION = 8;

/** Copies bytes; a short run byte by byte (Buffer#copy costs more than it moves for a key). */
function copyBytes(from: Buffer, to: Buffer, at: number, start: number, end: number): number {
  if (end - start > 24) return from.copy(to, at, start, end);
  for (let k = start; k < end; k++) to[at++] = from[k];
  return end - start;
}

/** Extended JSON of many documents, written into one buffer taken (and replaced) when full enough. */
export class EjsonBuffer {
  private out: Buffer;
  private pos = 0;

  constructor(
    private readonly relaxed: boolean,
    private readonly capacity = 256 * 1024,
  ) {
    this.out = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.pos;
  }

  /** The bytes written so far; the writer starts a new buffer. */
  take(): Buffer {
    const taken = this.out.subarray(0, this.pos);
    this.out = Buffer.allocUnsafe(this.capacity);
    this.pos = 0;
    return taken;
  }

  /** The end of a line. */
  newline(): void {
    this.reserve(1);
    this.out[this.pos++] = 0x0a;
  }

  /** Separators and brackets. */
  text(text: string): void {
    this.reserve(Buffer.byteLength(text));
    this.pos += this.out.write(text, this.pos, 'utf8');
  }

  /** One document: from its bytes, or through bson when it holds what only bson writes. */
  document(raw: Uint8Array): void {
    if (!this.tryDocument(raw)) this.text(referenceText(raw, this.relaxed));
  }

  /** Writes the document from its bytes; false (nothing written) when it needs bson's own functions. */
  tryDocument(raw: Uint8Array): boolean {
    const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (b.length < 5 || b.readInt32LE(0) !== b.length) return false;
    this.reserve(b.length * MAX_EXPANSION + 256);
    const start = this.pos;
    if (this.writeDocument(b, 0, false)) return true;
    this.pos = start;
    return false;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.capacity, (this.pos + bytes) * 2));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
  }

  private put(constant: Buffer): void {
    this.out.set(constant, this.pos);
    this.pos += constant.length;
  }

  /** An ASCII string (a number, a date, base64). */
  private ascii(text: string): void {
    const out = this.out;
    let p = this.pos;
    for (let k = 0; k < text.length; k++) out[p++] = text.charCodeAt(k);
    this.pos = p;
  }

  /** A JSON string from UTF-8 bytes, escaped as JSON.stringify escapes; false for invalid UTF-8. */
  private quoted(b: Buffer, start: number, end: number): boolean {
    const out = this.out;
    let p = this.pos;
    out[p++] = 0x22;
    let run = start;
    let ascii = true;
    for (let i = start; i < end; i++) {
      const c = b[i];
      if (c >= 0x80) ascii = false;
      else if (c < 0x20 || c === 0x22 || c === 0x5c) {
        p += copyBytes(b, out, p, run, i);
        out[p++] = 0x5c;
        if (c === 0x22 || c === 0x5c) out[p++] = c;
        else if (SHORT_ESCAPES[c] !== undefined) out[p++] = SHORT_ESCAPES[c];
        else {
          out[p++] = 0x75;
          out[p++] = 0x30;
          out[p++] = 0x30;
          out[p++] = HEX[c >> 4];
          out[p++] = HEX[c & 15];
        }
        run = i + 1;
      }
    }
    if (!ascii && !isUtf8(b.subarray(start, end))) return false;
    p += copyBytes(b, out, p, run, end);
    out[p++] = 0x22;
    this.pos = p;
    return true;
  }

  private writeDocument(b: Buffer, start: number, isArray: boolean): boolean {
    const size = b.readInt32LE(start);
    const end = start + size - 1; // the terminating 0
    if (size < 5 || end >= b.length || b[end] !== 0) return false;
    const relaxed = this.relaxed;
    const out = this.out;
    out[this.pos++] = isArray ? 0x5b : 0x7b;
    /** Each key's start, end and hash, to find a repeated key without decoding any. */
    const seen: number[] = [];
    let i = start + 4;
    let first = true;
    while (i < end) {
      const type = b[i++];
      let keyEnd = i;
      let hash = 0x811c9dc5;
      while (keyEnd < end && b[keyEnd] !== 0) hash = Math.imul(hash ^ b[keyEnd++], 0x01000193);
      if (keyEnd >= end) return false;
      if (!first) out[this.pos++] = 0x2c;
      first = false;
      if (!isArray) {
        const c = b[i];
        // `$` (36): a possible DBRef; a digit (48-57): JavaScript puts integer keys first.
        if (c === 36 || (c >= 48 && c <= 57)) return false;
        if (c === 0x5f && keyEnd - i === 9 && b.toString('latin1', i, keyEnd) === '__proto__') return false;
        for (let k = 0; k < seen.length; k += 3) {
          if (seen[k + 2] === hash && b.compare(b, i, keyEnd, seen[k], seen[k + 1]) === 0) return false;
        }
        seen.push(i, keyEnd, hash);
        if (!this.quoted(b, i, keyEnd)) return false;
        out[this.pos++] = 0x3a;
      }
      i = keyEnd + 1;
      switch (type) {
        case 0x01: {
          if (i + 8 > end) return false;
          const v = b.readDoubleLE(i);
          i += 8;
          if (relaxed && Number.isFinite(v)) this.ascii(String(v));
          else if (Object.is(v, -0)) this.put(MINUS_ZERO);
          else {
            this.put(NUMBER_DOUBLE);
            this.ascii(Number.isInteger(v) ? v.toFixed(1) : String(v));
            this.closeQuoted();
          }
          break;
        }
        case 0x02: {
          if (i + 4 > end) return false;
          const length = b.readInt32LE(i);
          const stringEnd = i + 4 + length - 1;
          if (length < 1 || stringEnd >= end || b[stringEnd] !== 0) return false;
          if (!this.quoted(b, i + 4, stringEnd)) return false; // invalid UTF-8: bson decides
          i = stringEnd + 1;
          break;
        }
        case 0x03:
        case 0x04: {
          if (i + 4 > end) return false;
          if (!this.writeDocument(b, i, type === 0x04)) return false;
          i += b.readInt32LE(i);
          break;
        }
        case 0x05: {
          if (i + 5 > end) return false;
          const length = b.readInt32LE(i);
          const subType = b[i + 4];
          const dataEnd = i + 5 + length;
          if (length < 0 || dataEnd > end || subType === 0x02 || subType === 0x09) return false;
          this.put(BINARY);
          this.ascii(b.toString('base64', i + 5, dataEnd));
          this.put(SUBTYPE);
          out[this.pos++] = HEX[subType >> 4];
          out[this.pos++] = HEX[subType & 15];
          this.closeQuoted();
          out[this.pos++] = 0x7d;
          i = dataEnd;
          break;
        }
        case 0x07: {
          if (i + 12 > end) return false;
          this.put(OID);
          let p = this.pos;
          for (let k = i; k < i + 12; k++) {
            out[p++] = HEX[b[k] >> 4];
            out[p++] = HEX[b[k] & 15];
          }
          this.pos = p;
          this.closeQuoted();
          i += 12;
          break;
        }
        case 0x08:
          if (b[i] !== 0 && b[i] !== 1) return false;
          this.put(b[i] === 1 ? TRUE : FALSE);
          i += 1;
          break;
        case 0x09: {
          if (i + 8 > end) return false;
          const ms = b.readInt32LE(i + 4) * TWO_PWR_32 + b.readUInt32LE(i);
          i += 8;
          if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return false;
          if (relaxed && ms > -1 && ms < MAX_RELAXED_DATE_MS) {
            const iso = new Date(ms).toISOString();
            this.put(DATE_ISO);
            this.ascii(ms % 1000 !== 0 ? iso : `${iso.slice(0, -5)}Z`);
            this.closeQuoted();
          } else {
            this.put(DATE_LONG);
            this.ascii(String(ms + 0));
            this.closeQuoted();
            out[this.pos++] = 0x7d;
          }
          break;
        }
        case 0x0a:
          this.put(NULL);
          break;
        case 0x10: {
          if (i + 4 > end) return false;
          const v = b.readInt32LE(i);
          i += 4;
          if (relaxed) this.ascii(String(v));
          else {
            this.put(NUMBER_INT);
            this.ascii(String(v));
            this.closeQuoted();
          }
          break;
        }
        case 0x12: {
          if (i + 8 > end) return false;
          if (relaxed) this.ascii(String(b.readInt32LE(i + 4) * TWO_PWR_32 + b.readUInt32LE(i)));
          else {
            this.put(NUMBER_LONG);
            this.ascii(String(b.readBigInt64LE(i)));
            this.closeQuoted();
          }
          i += 8;
          break;
        }
        default:
          return false;
      }
    }
    if (i !== end) return false;
    out[this.pos++] = isArray ? 0x5d : 0x7d;
    return true;
  }

  /** `"}`: the end of a `{"$…":"…"}` value. */
  private closeQuoted(): void {
    this.out[this.pos++] = 0x22;
    this.out[this.pos++] = 0x7d;
  }
}
