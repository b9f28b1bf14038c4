/**
 * CSV column types: inference from sample values, merging across rows, conversion of a cell to its
 * BSON value, and the `types` preset ("age:int,born:date").
 */
import { Decimal128, Double, Int32, Long, ObjectId, UUID } from 'mongodb';

export const CSV_TYPES = [
  'int',
  'long',
  'double',
  'decimal',
  'bool',
  'date',
  'objectId',
  'uuid',
  'null',
  'string',
] as const;
export type CsvType = (typeof CSV_TYPES)[number];

export const CSV_TYPE_LABELS: Record<CsvType, string> = {
  int: 'Int32',
  long: 'Int64 (long)',
  double: 'Double',
  decimal: 'Decimal128',
  bool: 'Boolean',
  date: 'Date',
  objectId: 'ObjectId',
  uuid: 'UUID',
  null: 'Null',
  string: 'String',
};

const INT = /^[-+]?(0|[1-9]\d*)$/;
const FLOAT = /^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const LEADING_ZERO = /^[-+]?0\d/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** The narrowest type of one cell; undefined for an empty cell or "null" (they fit any type). */
export function cellType(text: string): CsvType | undefined {
  if (text === '' || text === 'null') return undefined;
  if (LEADING_ZERO.test(text) && FLOAT.test(text)) return 'string'; // zip codes, phone numbers, ids: keep the zeros
  if (INT.test(text)) {
    const n = Number(text);
    if (n >= -2147483648 && n <= 2147483647) return 'int';
    const big = BigInt(text);
    return big >= INT64_MIN && big <= INT64_MAX ? 'long' : 'decimal';
  }
  if (FLOAT.test(text)) return significantDigits(text) > 15 ? 'decimal' : 'double';
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return 'bool';
  if (DATE.test(text) && !Number.isNaN(Date.parse(normaliseDate(text)))) return 'date';
  if (OBJECT_ID.test(text)) return 'objectId';
  if (UUID_RE.test(text)) return 'uuid';
  return 'string';
}

const NUMERIC_RANK: Partial<Record<CsvType, number>> = { int: 0, long: 1, double: 2, decimal: 3 };

/** The type that holds values of both types (numbers widen; anything else mixed becomes string). */
export function mergeTypes(a: CsvType | undefined, b: CsvType | undefined): CsvType | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra !== undefined && rb !== undefined) {
    if ((a === 'long' && b === 'double') || (a === 'double' && b === 'long')) return 'decimal';
    return ra > rb ? a : b;
  }
  return 'string';
}

/** Converts one non-empty cell; throws with a short reason when it does not fit the type. */
export function convertCell(text: string, type: CsvType): unknown {
  if (text === 'null' && type !== 'string') return null;
  switch (type) {
    case 'string':
      return text;
    case 'null':
      return null;
    case 'int': {
      if (!INT.test(text)) throw new Error(`"${short(text)}" is not a whole number`);
      const n = Number(text);
      if (n < -2147483648 || n > 2147483647) throw new Error(`${text} does not fit an Int32: choose long`);
      return new Int32(n);
    }
    case 'long': {
      if (!INT.test(text)) throw new Error(`"${short(text)}" is not a whole number`);
      const big = BigInt(text);
      if (big < INT64_MIN || big > INT64_MAX) throw new Error(`${text} does not fit an Int64: choose decimal`);
      return Long.fromBigInt(big);
    }
    case 'double':
      if (!FLOAT.test(text) && !/^[-+]?(Infinity|NaN)$/.test(text)) throw new Error(`"${short(text)}" is not a number`);
      return new Double(Number(text));
    case 'decimal':
      try {
        return Decimal128.fromString(text.replace(/^\+/, ''));
      } catch {
        throw new Error(`"${short(text)}" is not a decimal number`);
      }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new Error(`"${short(text)}" is not true or false`);
    }
    case 'date': {
      const ms = DATE.test(text) ? Date.parse(normaliseDate(text)) : Number.NaN;
      if (Number.isNaN(ms))
        throw new Error(`"${short(text)}" is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`);
      return new Date(ms);
    }
    case 'objectId':
      if (!OBJECT_ID.test(text)) throw new Error(`"${short(text)}" is not an ObjectId (24 hex digits)`);
      return ObjectId.createFromHexString(text);
    case 'uuid':
      if (!UUID_RE.test(text)) throw new Error(`"${short(text)}" is not a UUID`);
      return new UUID(text);
  }
}

/** Parses "age:int,born:date" into a map; throws naming the bad entry. */
export function parseTypeOverrides(text: string | undefined): Record<string, CsvType> {
  const out: Record<string, CsvType> = {};
  for (const entry of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const name = entry.slice(0, at).trim();
    const type = entry.slice(at + 1).trim() as CsvType;
    if (at <= 0 || !name) throw new Error(`Type override "${entry}" should look like column:type (e.g. age:int).`);
    if (!CSV_TYPES.includes(type))
      throw new Error(`Type override "${entry}": unknown type "${type}"; use one of ${CSV_TYPES.join(', ')}.`);
    out[name] = type;
  }
  return out;
}

export function formatTypeOverrides(types: Record<string, CsvType>): string {
  return Object.entries(types)
    .map(([name, type]) => `${name}:${type}`)
    .join(',');
}

function significantDigits(text: string): number {
  const mantissa = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  return mantissa.length;
}

/** "2024-01-02 10:00" → "2024-01-02T10:00"; date-only and zone-less times are read as UTC. */
function normaliseDate(text: string): string {
  let t = text.replace(' ', 'T');
  if (t.length > 10 && !/(Z|[+-]\d{2}(:?\d{2})?)$/.test(t)) t += 'Z';
  return t;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
