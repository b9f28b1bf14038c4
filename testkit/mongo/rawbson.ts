/**
 * Raw BSON helpers: walking top-level elements without decoding, validating client documents,
 * `_id` extraction/placement, partial decoding, and a reply encoder that splices stored document
 * bytes into replies without re-encoding them.
 */
import { BSON, Double, Int32, Long, ObjectId } from 'bson';
import { canonicalKey } from './compare.js';
import { decode, DECODE_OPTIONS, type Doc, numericKey, type Value } from './values.js';

export class BsonFormatError extends Error {}

export interface RawElement {
  type: number;
  name: string;
  /** offset of the type byte */
  start: number;
  /** offset of the value */
  valueStart: number;
  /** offset just past the value */
  end: number;
}

/** Offset just past a value of `type` starting at `pos`; throws BsonFormatError on malformed input. */
export function valueEnd(buf: Buffer, type: number, pos: number, limit: number): number {
  let end: number;
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      end = pos + 8;
      break;
    case 0x02:
    case 0x0d:
    case 0x0e: {
      if (pos + 4 > limit) throw new BsonFormatError('truncated string');
      const len = buf.readInt32LE(pos);
      if (len < 1) throw new BsonFormatError('bad string length');
      end = pos + 4 + len;
      if (end > limit || buf[end - 1] !== 0) throw new BsonFormatError('string not terminated');
      break;
    }
    case 0x03:
    case 0x04:
    case 0x0f: {
      if (pos + 4 > limit) throw new BsonFormatError('truncated document');
      const len = buf.readInt32LE(pos);
      if (len < 5) throw new BsonFormatError('bad document length');
      end = pos + len;
      if (end > limit || buf[end - 1] !== 0) throw new BsonFormatError('document not terminated');
      break;
    }
    case 0x05: {
      if (pos + 4 > limit) throw new BsonFormatError('truncated binary');
      const len = buf.readInt32LE(pos);
      if (len < 0) throw new BsonFormatError('bad binary length');
      end = pos + 5 + len;
      break;
    }
    case 0x06:
    case 0x0a:
    case 0xff:
    case 0x7f:
      end = pos;
      break;
    case 0x07:
      end = pos + 12;
      break;
    case 0x08:
      end = pos + 1;
      break;
    case 0x0b: {
      const p1 = buf.indexOf(0, pos);
      if (p1 < 0 || p1 >= limit) throw new BsonFormatError('bad regex');
      const p2 = buf.indexOf(0, p1 + 1);
      if (p2 < 0 || p2 >= limit) throw new BsonFormatError('bad regex');
      end = p2 + 1;
      break;
    }
    case 0x0c: {
      if (pos + 4 > limit) throw new BsonFormatError('truncated dbpointer');
      const len = buf.readInt32LE(pos);
      if (len < 1) throw new BsonFormatError('bad dbpointer');
      end = pos + 4 + len + 12;
      break;
    }
    case 0x10:
      end = pos + 4;
      break;
    case 0x13:
      end = pos + 16;
      break;
    default:
      throw new BsonFormatError(`unknown BSON type 0x${type.toString(16)}`);
  }
  if (end > limit) throw new BsonFormatError('value runs past end of document');
  return end;
}

/** Iterates the top-level elements of the document at `offset`. */
export function* elements(buf: Buffer, offset = 0): Generator<RawElement> {
  const docEnd = offset + buf.readInt32LE(offset);
  let pos = offset + 4;
  while (pos < docEnd - 1) {
    const type = buf[pos];
    const nameEnd = buf.indexOf(0, pos + 1);
    if (nameEnd < 0 || nameEnd >= docEnd) throw new BsonFormatError('unterminated field name');
    const name = buf.toString('utf8', pos + 1, nameEnd);
    const end = valueEnd(buf, type, nameEnd + 1, docEnd - 1);
    yield { type, name, start: pos, valueStart: nameEnd + 1, end };
    pos = end;
  }
}

/** Offset of the NUL terminating the cstring at `pos` (or -1 before `limit`). */
function cstringEnd(buf: Buffer, pos: number, limit: number): number {
  // names are short: a JS loop beats indexOf's native-call overhead
  for (let i = pos; i < limit; i++) if (buf[i] === 0) return i;
  return -1;
}

/**
 * Checks a document's framing recursively. Returns the offset of the `_id` element's type byte
 * (or -1) so inserts need only one pass.
 */
export function validateDocument(buf: Buffer, offset: number, limit: number, depth = 0): number {
  if (offset + 5 > limit) throw new BsonFormatError('document too short');
  const len = buf.readInt32LE(offset);
  const docEnd = offset + len;
  if (len < 5 || docEnd > limit) throw new BsonFormatError('invalid document length');
  if (buf[docEnd - 1] !== 0) throw new BsonFormatError('document not null-terminated');
  if (depth > 180) throw new BsonFormatError('document nested too deeply');
  let pos = offset + 4;
  let idAt = -1;
  const last = docEnd - 1;
  while (pos < last) {
    const type = buf[pos];
    const nameStart = pos + 1;
    const nameEnd = cstringEnd(buf, nameStart, last);
    if (nameEnd < 0) throw new BsonFormatError('unterminated field name');
    const v = nameEnd + 1;
    let end: number;
    switch (type) {
      case 0x01:
      case 0x09:
      case 0x11:
      case 0x12:
        end = v + 8;
        break;
      case 0x10:
        end = v + 4;
        break;
      case 0x07:
        end = v + 12;
        break;
      case 0x08:
        end = v + 1;
        break;
      case 0x02: {
        if (v + 4 > last) throw new BsonFormatError('truncated string');
        const sl = buf.readInt32LE(v);
        end = v + 4 + sl;
        if (sl < 1 || end > last || buf[end - 1] !== 0) throw new BsonFormatError('string not terminated');
        break;
      }
      case 0x03:
      case 0x04:
        if (v + 4 > last) throw new BsonFormatError('truncated document');
        end = v + buf.readInt32LE(v);
        validateDocument(buf, v, last, depth + 1);
        break;
      default:
        end = valueEnd(buf, type, v, last);
        if (type === 0x0f) validateDocument(buf, v + 4 + 4 + buf.readInt32LE(v + 4), end, depth + 1);
    }
    if (end > last) throw new BsonFormatError('value runs past end of document');
    if (
      depth === 0 &&
      nameEnd - nameStart === 3 &&
      buf[nameStart] === 0x5f &&
      buf[nameStart + 1] === 0x69 &&
      buf[nameStart + 2] === 0x64
    ) {
      idAt = pos;
    }
    pos = end;
  }
  if (pos !== last) throw new BsonFormatError('document length mismatch');
  return idAt;
}

// Documents are copied into shared slabs: one allocation per ~1 MB instead of per document.
const SLAB_SIZE = 1024 * 1024;
const SLAB_MAX_DOC = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

/** An owned buffer of `len` bytes (sliced from a slab for small documents). */
export function allocDocument(len: number): Buffer {
  if (len > SLAB_MAX_DOC) return Buffer.allocUnsafeSlow(len);
  if (slabUsed + len > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + len);
  slabUsed += (len + 7) & ~7;
  return out;
}

/** Decodes a single element (type byte at `start`, value ending at `end`) by wrapping it as a document. */
export function decodeElement(buf: Buffer, start: number, end: number): Value {
  const mini = Buffer.allocUnsafe(end - start + 5);
  mini.writeInt32LE(mini.length, 0);
  buf.copy(mini, 4, start, end);
  mini[mini.length - 1] = 0;
  const d = BSON.deserialize(mini, DECODE_OPTIONS) as Doc;
  const k = Object.keys(d)[0];
  return d[k];
}

/** Canonical key of the `_id` element whose type byte is at `start`. Matches canonicalKey(). */
export function idKeyFromElement(buf: Buffer, start: number, end: number): string {
  const type = buf[start];
  const v = start + 5; // type byte + "_id\0"
  switch (type) {
    case 0x07:
      return 'i' + buf.toString('latin1', v, v + 12);
    case 0x02:
      return 's' + buf.toString('utf8', v + 4, end - 1);
    case 0x10:
      return 'n' + buf.readInt32LE(v);
    case 0x12:
      return 'n' + buf.readBigInt64LE(v).toString();
    case 0x01:
      return numericKey(buf.readDoubleLE(v));
    default:
      return canonicalKey(decodeElement(buf, start, end));
  }
}

export interface PreparedDoc {
  /** stored bytes, `_id` first, owned copy */
  bytes: Buffer;
  idKey: string;
  /** offset just past the `_id` element */
  idEnd: number;
}

const ID_NAME = Buffer.from('_id\0', 'latin1');

/**
 * Validates a client document and returns an owned copy with `_id` as the first field
 * (generating an ObjectId when missing), like mongod does on insert.
 */
export function prepareForInsert(src: Buffer, offset = 0): PreparedDoc {
  const len = src.readInt32LE(offset);
  const idAt = validateDocument(src, offset, offset + len);
  if (idAt === offset + 4) {
    const bytes = allocDocument(len);
    src.copy(bytes, 0, offset, offset + len);
    const idEnd = valueEnd(bytes, bytes[4], 4 + 5, len - 1);
    checkIdType(bytes, 4, idEnd);
    return { bytes, idKey: idKeyFromElement(bytes, 4, idEnd), idEnd };
  }
  let idElem: Buffer;
  if (idAt < 0) {
    idElem = Buffer.allocUnsafe(1 + 4 + 12);
    idElem[0] = 0x07;
    ID_NAME.copy(idElem, 1);
    Buffer.from(new ObjectId().id).copy(idElem, 5);
  } else {
    const end = valueEnd(src, src[idAt], idAt + 5, offset + len - 1);
    idElem = src.subarray(idAt, end);
  }
  const total = len + (idAt < 0 ? idElem.length : 0);
  const bytes = allocDocument(total);
  bytes.writeInt32LE(total, 0);
  idElem.copy(bytes, 4);
  let pos = 4 + idElem.length;
  if (idAt < 0) {
    src.copy(bytes, pos, offset + 4, offset + len);
  } else {
    src.copy(bytes, pos, offset + 4, idAt);
    pos += idAt - (offset + 4);
    src.copy(bytes, pos, idAt + idElem.length, offset + len);
  }
  const idEnd = 4 + idElem.length;
  checkIdType(bytes, 4, idEnd);
  return { bytes, idKey: idKeyFromElement(bytes, 4, idEnd), idEnd };
}

export class IdTypeError extends Error {}

function checkIdType(buf: Buffer, start: number, end: number): void {
  const t = buf[start];
  if (t === 0x04) throw new IdTypeError("The '_id' value cannot be of type array");
  if (t === 0x0b) throw new IdTypeError("can't use a regex for _id");
  if (t === 0x06) throw new IdTypeError("can't use a undefined for _id");
  if (t === 0x03) {
    // embedded documents may not contain $-prefixed top-level fields
    for (const e of elements(buf, start + 5)) {
      if (e.name.startsWith('$'))
        throw new IdTypeError(`_id fields may not contain '$'-prefixed fields: ${e.name} is not valid for storage.`);
    }
  }
  void end;
}

/** Reads the `_id` value of a stored document (always the first field). */
export function storedId(bytes: Buffer): Value {
  switch (bytes[4]) {
    case 0x07:
      return new ObjectId(Uint8Array.prototype.slice.call(bytes, 9, 21));
    case 0x02:
      return bytes.toString('utf8', 13, 13 + bytes.readInt32LE(9) - 1);
    case 0x10:
      return new Int32(bytes.readInt32LE(9));
    case 0x12:
      return Long.fromBigInt(bytes.readBigInt64LE(9));
    case 0x01:
      return new Double(bytes.readDoubleLE(9));
    default: {
      const end = valueEnd(bytes, bytes[4], 9, bytes.length - 1);
      return decodeElement(bytes, 4, end);
    }
  }
}

const nameBytesCache = new WeakMap<ReadonlySet<string>, Array<{ name: string; bytes: Buffer }>>();

function nameBytes(names: ReadonlySet<string>): Array<{ name: string; bytes: Buffer }> {
  let list = nameBytesCache.get(names);
  if (!list) {
    list = [...names].map((name) => ({ name, bytes: Buffer.from(name, 'utf8') }));
    nameBytesCache.set(names, list);
  }
  return list;
}

function matchName(
  buf: Buffer,
  start: number,
  end: number,
  list: Array<{ name: string; bytes: Buffer }>,
): string | undefined {
  const len = end - start;
  outer: for (let k = 0; k < list.length; k++) {
    const b = list[k].bytes;
    if (b.length !== len) continue;
    for (let i = 0; i < len; i++) if (buf[start + i] !== b[i]) continue outer;
    return list[k].name;
  }
  return undefined;
}

/** Decodes common scalar values directly (same results as BSON.deserialize with promoteValues: false). */
function decodeScalar(buf: Buffer, type: number, v: number, end: number): Value | typeof NOT_SCALAR {
  switch (type) {
    case 0x01:
      return new Double(buf.readDoubleLE(v));
    case 0x02:
      return buf.toString('utf8', v + 4, end - 1);
    case 0x07:
      return new ObjectId(Uint8Array.prototype.slice.call(buf, v, v + 12));
    case 0x08:
      return buf[v] === 1;
    case 0x09:
      return new Date(Number(buf.readBigInt64LE(v)));
    case 0x0a:
      return null;
    case 0x10:
      return new Int32(buf.readInt32LE(v));
    case 0x12:
      return Long.fromBits(buf.readInt32LE(v), buf.readInt32LE(v + 4));
    default:
      return NOT_SCALAR;
  }
}
const NOT_SCALAR: unique symbol = Symbol('not-scalar');

/**
 * Decodes only the named top-level fields of a document (all fields when `names` is null).
 * Unnamed fields are simply absent from the result. Scalars are decoded directly; other values
 * go through the BSON decoder.
 */
export function decodeFields(buf: Buffer, names: ReadonlySet<string> | null): Doc {
  if (names === null) return decode(buf);
  if (names.size === 0) return {};
  const list = nameBytes(names);
  const out: Doc = {};
  let ranges: number[] | null = null;
  let size = 5;
  const last = buf.readInt32LE(0) - 1;
  let pos = 4;
  let found = 0;
  while (pos < last && found < list.length) {
    const type = buf[pos];
    let nameEnd = pos + 1;
    while (buf[nameEnd] !== 0) nameEnd++;
    const v = nameEnd + 1;
    const end = valueEnd(buf, type, v, last);
    const name = matchName(buf, pos + 1, nameEnd, list);
    if (name !== undefined) {
      found++;
      const scalar = decodeScalar(buf, type, v, end);
      if (scalar !== NOT_SCALAR) out[name] = scalar;
      else {
        (ranges ??= []).push(pos, end);
        size += end - pos;
      }
    }
    pos = end;
  }
  if (ranges === null) return out;
  const mini = Buffer.allocUnsafe(size);
  mini.writeInt32LE(size, 0);
  let w = 4;
  for (let i = 0; i < ranges.length; i += 2) {
    buf.copy(mini, w, ranges[i], ranges[i + 1]);
    w += ranges[i + 1] - ranges[i];
  }
  mini[w] = 0;
  return Object.assign(out, decode(mini));
}

/** Builds a new document from a subset of the top-level elements of `buf` (raw projection). */
export function pickElements(buf: Buffer, keep: (name: string) => boolean): Buffer {
  const parts: Array<[number, number]> = [];
  let size = 5;
  for (const e of elements(buf)) {
    if (keep(e.name)) {
      parts.push([e.start, e.end]);
      size += e.end - e.start;
    }
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let w = 4;
  for (const [s, e] of parts) {
    buf.copy(out, w, s, e);
    w += e - s;
  }
  out[w] = 0;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reply encoding with raw document splicing.

/** A document whose bytes are copied verbatim into a reply. */
export class RawDoc {
  constructor(readonly bytes: Buffer) {}
}

export type ReplyValue = Value | RawDoc | ReplyValue[] | { [key: string]: ReplyValue };
export type ReplyDoc = { [key: string]: ReplyValue };

interface Planned {
  size: number;
  items: PlanItem[];
}
type PlanItem =
  | { kind: 'bytes'; bytes: Buffer } // a complete pre-serialized element
  | { kind: 'raw'; name: string; raw: Buffer; type: number }
  | { kind: 'rawArray'; name: string; docs: RawDoc[]; size: number }
  | { kind: 'nested'; name: string; type: number; plan: Planned };

function digits(i: number): number {
  return i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : i < 10000 ? 4 : i < 100000 ? 5 : String(i).length;
}

function containsRaw(v: ReplyValue): boolean {
  if (v instanceof RawDoc) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (containsRaw(x)) return true;
    return false;
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const k in v) if (containsRaw((v as Record<string, ReplyValue>)[k])) return true;
  }
  return false;
}

function plan(entries: Iterable<[string, ReplyValue]>): Planned {
  const items: PlanItem[] = [];
  let size = 5;
  for (const [name, v] of entries) {
    if (v === undefined) continue;
    const nameLen = Buffer.byteLength(name, 'utf8') + 1;
    if (v instanceof RawDoc) {
      items.push({ kind: 'raw', name, raw: v.bytes, type: 0x03 });
      size += 1 + nameLen + v.bytes.length;
    } else if (Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof RawDoc)) {
      // the hot path: a batch of stored documents
      const docs = v as RawDoc[];
      let arraySize = 5;
      for (let i = 0; i < docs.length; i++) arraySize += 2 + digits(i) + docs[i].bytes.length;
      items.push({ kind: 'rawArray', name, docs, size: arraySize });
      size += 1 + nameLen + arraySize;
    } else if (Array.isArray(v) && containsRaw(v)) {
      const p = plan(v.map((x, i) => [String(i), x] as [string, ReplyValue]));
      items.push({ kind: 'nested', name, type: 0x04, plan: p });
      size += 1 + nameLen + p.size;
    } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && containsRaw(v)) {
      const p = plan(Object.entries(v as Record<string, ReplyValue>));
      items.push({ kind: 'nested', name, type: 0x03, plan: p });
      size += 1 + nameLen + p.size;
    } else {
      const b = BSON.serialize({ [name]: v }, { ignoreUndefined: false }) as Buffer;
      const bytes = b.subarray(4, b.length - 1);
      items.push({ kind: 'bytes', bytes });
      size += bytes.length;
    }
  }
  return { size, items };
}

function writePlan(p: Planned, out: Buffer, pos: number): number {
  out.writeInt32LE(p.size, pos);
  pos += 4;
  for (const it of p.items) {
    if (it.kind === 'bytes') {
      it.bytes.copy(out, pos);
      pos += it.bytes.length;
      continue;
    }
    out[pos++] = it.kind === 'rawArray' ? 0x04 : it.type;
    pos += out.write(it.name, pos, 'utf8');
    out[pos++] = 0;
    if (it.kind === 'raw') {
      it.raw.copy(out, pos);
      pos += it.raw.length;
    } else if (it.kind === 'rawArray') {
      out.writeInt32LE(it.size, pos);
      pos += 4;
      const docs = it.docs;
      for (let i = 0; i < docs.length; i++) {
        out[pos++] = 0x03;
        pos += out.write(String(i), pos, 'latin1');
        out[pos++] = 0;
        const b = docs[i].bytes;
        b.copy(out, pos);
        pos += b.length;
      }
      out[pos++] = 0;
    } else {
      pos = writePlan(it.plan, out, pos);
    }
  }
  out[pos++] = 0;
  return pos;
}

/** Serializes a reply document, leaving `headroom` bytes in front for the wire header. */
export function encodeReply(doc: ReplyDoc, headroom = 0): Buffer {
  const p = plan(Object.entries(doc));
  const out = Buffer.allocUnsafe(headroom + p.size);
  writePlan(p, out, headroom);
  return out;
}

/** Total size in bytes of a reply document. */
export function bsonSize(doc: ReplyDoc): number {
  return plan(Object.entries(doc)).size;
}
