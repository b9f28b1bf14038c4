/**
 * Documents to CSV cells: field paths found in a sample (nested documents flattened to dotted paths,
 * arrays and other BSON values kept as relaxed Extended JSON in one cell), and formula injection
 * escaped: a text cell starting with = + - @ or a tab / carriage return gets a leading apostrophe so a
 * spreadsheet shows it as text instead of running it.
 */
import { BSON, type Document } from 'mongodb';

type Bsonish = { _bsontype?: string } & Record<string, unknown>;

function isNested(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    (value as Bsonish)._bsontype === undefined &&
    !Buffer.isBuffer(value)
  );
}

/**
 * The CSV columns of an export without `fields`, from a sample of documents: nested documents are
 * flattened to dotted leaf paths, in first-seen order. A field that is a sub-document in some documents
 * and null, missing or `{}` in others gives only its flattened columns (`manager.id`, `manager.name`,
 * placed where `manager` was first seen; a document whose manager is null has empty cells there), never
 * `manager` beside `manager.id`, which no importer (ours, mongoimport) can read back as one field. Only a
 * field that holds a value in some documents (a string, a number, an array…) and a sub-document in
 * others keeps both columns, so that no value is lost: `conflicts` names those.
 *
 * mongoexport, for comparison (mongo-tools, mongoexport/csv.go and mongoexport.go): it derives no columns
 * at all; CSV needs `--fields` or `--fieldFile` ("CSV mode requires a field list"). For a dotted field it
 * writes an empty cell when a parent is null, missing or not a document, and a field that holds a
 * sub-document or an array is written as one JSON cell (legacy Extended JSON), as ours is (relaxed).
 * It also reads array positions (`addresses.0`), which our dotted paths do not.
 */
export class CsvColumnSampler {
  /** Every path seen, in first-seen order: true when some document held a value there (not null, missing or `{}`). */
  private readonly seen = new Map<string, boolean>();
  /** Paths that are the parent of another path (a sub-document somewhere). */
  private readonly parents = new Set<string>();

  add(doc: Document, prefix = ''): void {
    for (const [key, value] of Object.entries(doc)) {
      const name = prefix + key;
      if (isNested(value) && Object.keys(value).length > 0) {
        this.parents.add(name);
        if (!this.seen.has(name)) this.seen.set(name, false);
        this.add(value, `${name}.`);
      } else {
        const held = value !== null && value !== undefined && !(isNested(value) && Object.keys(value).length === 0);
        this.seen.set(name, (this.seen.get(name) ?? false) || held);
      }
    }
  }

  /** Paths that are a sub-document in some documents and hold a value in others: written as both columns. */
  conflicts(): string[] {
    return [...this.seen].filter(([name, held]) => held && this.parents.has(name)).map(([name]) => name);
  }

  /** The columns: leaf paths, each group of flattened paths where its field was first seen. */
  columns(): string[] {
    const order = [...this.seen.keys()];
    const position = new Map(order.map((name, i) => [name, i]));
    // A path's place is that of its outermost ancestor seen (a null `manager` seen before `manager.id`).
    const anchor = (name: string): number => {
      const parts = name.split('.');
      for (let depth = 1; depth < parts.length; depth++) {
        const at = position.get(parts.slice(0, depth).join('.'));
        if (at !== undefined) return at;
      }
      return position.get(name)!;
    };
    return order
      .filter((name) => !this.parents.has(name) || this.seen.get(name))
      .map((name) => ({ name, anchor: anchor(name), at: position.get(name)! }))
      .sort((a, b) => a.anchor - b.anchor || a.at - b.at)
      .map((c) => c.name);
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
  const v = value as Bsonish & {
    value?: number;
    toString(): string;
    toHexString?(): string;
    sub_type?: number;
    toUUID?(): { toString(): string };
  };
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
