/**
 * Documents to CSV cells: field paths found in a sample (nested documents flattened to dotted paths,
 * arrays and other BSON values kept as relaxed Extended JSON in one cell), and formula injection
 * escaped: a text cell starting with = + - @ or a tab / carriage return gets a leading apostrophe so a
 * spreadsheet shows it as text instead of running it.
 */
import { BSON, type Document } from 'mongodb';

type Bsonish = { _bsontype?: string } & Record<string, unknown>;

function isNested(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && (value as Bsonish)._bsontype === undefined && !Buffer.isBuffer(value);
}

/** Adds the dotted leaf paths of `doc` to `paths` (in first-seen order). */
export function collectPaths(doc: Document, paths: Set<string>, prefix = ''): void {
  for (const [key, value] of Object.entries(doc)) {
    const name = prefix + key;
    if (isNested(value) && Object.keys(value).length > 0) collectPaths(value, paths, `${name}.`);
    else paths.add(name);
  }
}

export function valueAt(doc: Document, path: string): unknown {
  if (path in doc) return doc[path];
  let node: unknown = doc;
  for (const part of path.split('.')) {
    if (!isNested(node)) return undefined;
    node = node[part];
  }
  return node;
}

export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return escapeFormula(value);
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const v = value as Bsonish & { value?: number; toString(): string; toHexString?(): string; sub_type?: number; toUUID?(): { toString(): string } };
  switch (v._bsontype) {
    case 'Int32':
    case 'Double':
      return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'Long':
    case 'Decimal128':
      return v.toString();
    case 'ObjectId':
      return v.toHexString!();
    case 'Binary':
      if (v.sub_type === 4) return v.toUUID!().toString();
      break;
  }
  return escapeFormula(BSON.EJSON.stringify(value as Document, { relaxed: true }));
}
