/**
 * Infers a MongoDB `$jsonSchema` from sampled documents: each field's BSON types, how often it appears
 * (fields in every sampled document are `required`), nested documents and array items, to a fixed depth.
 */
type Json = Record<string, unknown>;

interface FieldStats {
  count: number;
  types: Set<string>;
  object?: ObjectStats;
  items?: FieldStats;
}
interface ObjectStats {
  documents: number;
  fields: Map<string, FieldStats>;
}

const MAX_DEPTH = 6;

export function bsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  const tag = (value as { _bsontype?: string })._bsontype;
  const byTag: Record<string, string> = {
    ObjectId: 'objectId',
    Decimal128: 'decimal',
    Long: 'long',
    Int32: 'int',
    Double: 'double',
    Binary: 'binData',
    Timestamp: 'timestamp',
    BSONRegExp: 'regex',
    Code: 'javascript',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
  };
  if (tag) return byTag[tag] ?? tag.toLowerCase();
  if (value instanceof RegExp) return 'regex';
  return 'object';
}

function addValue(stats: FieldStats, value: unknown, depth: number): void {
  const type = bsonTypeOf(value);
  stats.types.add(type);
  if (depth >= MAX_DEPTH) return;
  if (type === 'object') {
    stats.object ??= { documents: 0, fields: new Map() };
    addDocument(stats.object, value as Json, depth + 1);
  } else if (type === 'array') {
    stats.items ??= { count: 0, types: new Set() };
    for (const item of value as unknown[]) {
      stats.items.count++;
      addValue(stats.items, item, depth + 1);
    }
  }
}

export function addDocument(stats: ObjectStats, doc: Json, depth = 0): void {
  stats.documents++;
  for (const [key, value] of Object.entries(doc)) {
    let field = stats.fields.get(key);
    if (!field) stats.fields.set(key, (field = { count: 0, types: new Set() }));
    field.count++;
    addValue(field, value, depth);
  }
}

export function newStats(): ObjectStats {
  return { documents: 0, fields: new Map() };
}

function fieldSchema(field: FieldStats): Json {
  const types = [...field.types].sort();
  const schema: Json = { bsonType: types.length === 1 ? types[0] : types };
  if (field.object) Object.assign(schema, objectSchema(field.object));
  if (field.items && field.items.types.size) schema.items = fieldSchema(field.items);
  return schema;
}

function objectSchema(stats: ObjectStats): Json {
  const properties: Json = {};
  const required: string[] = [];
  for (const [key, field] of [...stats.fields].sort(([a], [b]) =>
    a === '_id' ? -1 : b === '_id' ? 1 : a.localeCompare(b),
  )) {
    properties[key] = fieldSchema(field);
    if (field.count === stats.documents) required.push(key);
  }
  return { properties, ...(required.length ? { required } : {}) };
}

/** The `$jsonSchema` of what was sampled, with how many documents it rests on. */
export function toJsonSchema(stats: ObjectStats, title: string): Json {
  return {
    $jsonSchema: {
      bsonType: 'object',
      title,
      description: `Inferred by Cutover's schema report from ${stats.documents} sampled documents.`,
      ...objectSchema(stats),
    },
  };
}
