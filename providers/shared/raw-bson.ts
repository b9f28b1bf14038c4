/**
 * Small operations on documents kept as raw BSON, so that the copy and its verification never decode a
 * whole document: find the `_id` element (walking the top-level elements as bson's `onDemand.parseToElements` does), decode just
 * the `_id`, and build a document around elements that are already encoded.
 */
import { BSON } from 'mongodb';

/** Decoding that keeps every BSON type as it was (Int32, Double, Long, Decimal128, regex flags), so the document re-encodes to the same bytes. */
export const EXACT_BSON = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

export const TYPE_DOCUMENT = 0x03;
export const TYPE_BOOLEAN = 0x08;
const ID = BSON.onDemand.ByteUtils.fromUTF8('_id');

/**
 * The size of each element type's value, when it is fixed (-1: read from the value, -2: no such type).
 * The walk below is bson's `onDemand.parseToElements` (bson 6.10) without its array of arrays per
 * document, which cost a restore's reading thread more than a tenth of its CPU (issue 14): the same
 * checks, in the same order, with the same messages.
 */
const VALUE_SIZE = new Int8Array(256).fill(-2);
for (const [type, size] of [
  [0x01, 8], // double
  [0x02, -1], // string
  [0x03, -1], // document
  [0x04, -1], // array
  [0x05, -1], // binary
  [0x06, 0], // undefined
  [0x07, 12], // ObjectId
  [0x08, 1], // boolean
  [0x09, 8], // date
  [0x0a, 0], // null
  [0x0b, -1], // regex
  [0x0c, -1], // DBPointer
  [0x0d, -1], // JavaScript
  [0x0e, -1], // symbol
  [0x0f, -1], // JavaScript with scope
  [0x10, 4], // int32
  [0x11, 8], // timestamp
  [0x12, 8], // int64
  [0x13, 16], // Decimal128
  [0x7f, 0], // MaxKey
  [0xff, 0], // MinKey
]) {
  VALUE_SIZE[type] = size;
}

function offsetError(message: string, offset: number): Error {
  return new BSON.BSONOffsetError(message, offset);
}

function sizeAt(raw: Uint8Array, offset: number): number {
  const size = raw[offset] | (raw[offset + 1] << 8) | (raw[offset + 2] << 16) | (raw[offset + 3] << 24);
  if (size < 0) throw offsetError('BSON size cannot be negative', offset);
  return size;
}

function nullAfter(raw: Uint8Array, offset: number): number {
  let at = offset;
  while (raw[at]) at++;
  if (at >= raw.length - 1) throw offsetError('Null terminator not found', offset);
  return at;
}

/** Where the walk found the `_id` element's value to end (set by `idElementStart`, read right after it). */
let idEnd = 0;

/** The bytes of the document's `_id` element (type, name and value), if it has one; throws on malformed BSON. */
export function findIdElement(raw: Uint8Array): Uint8Array | undefined {
  const start = idElementStart(raw);
  return start < 0 ? undefined : raw.subarray(start, idEnd);
}

/** Whether the document has an `_id` element (without a view of it: one object less per document read); throws on malformed BSON. */
export function hasIdElement(raw: Uint8Array): boolean {
  return idElementStart(raw) >= 0;
}

/** The offset of the first `_id` element (its type byte), or -1, after checking every top-level element; its end goes to `idEnd`. */
function idElementStart(raw: Uint8Array): number {
  if (raw.length < 5) throw offsetError(`Input must be at least 5 bytes, got ${raw.length} bytes`, 0);
  const size = sizeAt(raw, 0);
  if (size > raw.length) {
    throw offsetError(`Parsed documentSize (${size} bytes) does not match input length (${raw.length} bytes)`, 0);
  }
  if (raw[size - 1] !== 0) throw offsetError('BSON documents must end in 0x00', size);
  let found = -1;
  let offset = 4;
  while (offset <= size) {
    const type = raw[offset++];
    if (type === 0) {
      if (offset !== size) throw offsetError('Invalid 0x00 type byte', offset);
      break;
    }
    const nameOffset = offset;
    const nameLength = nullAfter(raw, offset) - nameOffset;
    offset += nameLength + 1;
    let length: number = VALUE_SIZE[type];
    if (length === -1) {
      if (type === 0x0b) length = nullAfter(raw, nullAfter(raw, offset) + 1) + 1 - offset;
      else if (type === 0x03 || type === 0x04 || type === 0x0f) length = sizeAt(raw, offset);
      else length = sizeAt(raw, offset) + 4 + (type === 0x05 ? 1 : type === 0x0c ? 12 : 0);
    } else if (length === -2) {
      throw offsetError(`Invalid 0x${type.toString(16).padStart(2, '0')} type byte`, offset);
    }
    if (offset + length > size - 1) throw offsetError('value reports length larger than document', offset);
    if (
      found < 0 &&
      nameLength === 3 &&
      raw[nameOffset] === ID[0] &&
      raw[nameOffset + 1] === ID[1] &&
      raw[nameOffset + 2] === ID[2]
    ) {
      found = nameOffset - 1;
      idEnd = offset + length;
    }
    offset += length;
  }
  return found;
}

/** The bytes of the document's `_id` element (type, name and value). */
export function idElement(raw: Uint8Array): Uint8Array {
  const id = findIdElement(raw);
  if (!id) throw new Error('The document has no _id.');
  return id;
}

/** The document's `_id`, decoded with its exact BSON type (an Int32 stays an Int32). */
export function idOf(raw: Uint8Array): unknown {
  return BSON.deserialize(bsonDocument([idElement(raw)]), EXACT_BSON)._id;
}

/** One element: type, name, value bytes. */
export function element(type: number, name: string, value: Uint8Array): Uint8Array {
  const key = BSON.onDemand.ByteUtils.fromUTF8(name);
  const out = new Uint8Array(1 + key.length + 1 + value.length);
  out[0] = type;
  out.set(key, 1);
  out.set(value, key.length + 2); // after the name's terminating 0
  return out;
}

/** A BSON document of the given elements: int32 length, the elements, a terminating 0. */
export function bsonDocument(elements: Uint8Array[]): Uint8Array {
  const length = 4 + elements.reduce((sum, e) => sum + e.length, 0) + 1;
  const out = new Uint8Array(length);
  new DataView(out.buffer).setInt32(0, length, true);
  let offset = 4;
  for (const e of elements) {
    out.set(e, offset);
    offset += e.length;
  }
  return out;
}
