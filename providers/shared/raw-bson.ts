/**
 * Small operations on documents kept as raw BSON, so that the copy and its verification never decode a
 * whole document: find the `_id` element (with bson's own element parser, `BSON.onDemand`), decode just
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

/** The bytes of the document's `_id` element (type, name and value), if it has one; throws on malformed BSON. */
export function findIdElement(raw: Uint8Array): Uint8Array | undefined {
  for (const [, nameOffset, nameLength, valueOffset, valueLength] of BSON.onDemand.parseToElements(raw)) {
    if (
      nameLength === 3 &&
      raw[nameOffset] === ID[0] &&
      raw[nameOffset + 1] === ID[1] &&
      raw[nameOffset + 2] === ID[2]
    ) {
      return raw.subarray(nameOffset - 1, valueOffset + valueLength);
    }
  }
  return undefined;
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
