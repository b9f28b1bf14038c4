/**
 * The type mapping: which BSON type each SQL type becomes, how a value read from the driver is converted
 * (PostgreSQL values arrive as their text, MySQL values as mysql2 gives them with big numbers and dates as
 * strings), what a per-field type override does, and which columns carry a risk the pre-flight report names.
 */
import { Binary, Decimal128, Double, Int32, Long } from 'mongodb';
import { parse as parsePgArray } from 'postgres-array';
import type { Column, Dialect, ValueKind } from './schema';

/** The BSON types a field can be given in the mapping. */
export const BSON_TYPES = [
  'string',
  'int',
  'long',
  'double',
  'decimal',
  'bool',
  'date',
  'binData',
  'uuid',
  'object',
] as const;
export type BsonType = (typeof BSON_TYPES)[number];

/** The BSON type each value kind becomes when the mapping does not say otherwise ("array" for PostgreSQL arrays). */
export function defaultBsonType(column: Column): BsonType | 'array' {
  if (column.array) return 'array';
  return KIND_TO_BSON[column.kind];
}

const KIND_TO_BSON: Record<ValueKind, BsonType> = {
  int32: 'int',
  int64: 'long',
  decimal: 'decimal',
  double: 'double',
  bool: 'bool',
  string: 'string',
  binary: 'binData',
  uuid: 'uuid',
  date: 'date',
  timestamp: 'date',
  timestamptz: 'date',
  time: 'string',
  interval: 'string',
  json: 'object',
  enum: 'string',
  set: 'string',
  year: 'int',
  bits: 'binData',
  other: 'string',
};

/** What the conversion of a column's values noticed (counted, reported once per column). */
export interface ConversionNotes {
  /** Values whose microseconds were dropped (BSON dates hold milliseconds). */
  truncatedMicros: number;
  /** numeric/decimal values over Decimal128's 34 significant digits, rounded. */
  roundedDecimals: number;
  /** MySQL zero dates ("0000-00-00"), which no date can hold: written as null. */
  zeroDates: number;
}

export function emptyNotes(): ConversionNotes {
  return { truncatedMicros: 0, roundedDecimals: 0, zeroDates: 0 };
}

export type Converter = (raw: unknown) => unknown;

/** A converter from the driver's value of this column to its BSON value (null stays null). */
export function converterFor(dialect: Dialect, column: Column, notes: ConversionNotes, where: () => string): Converter {
  const scalar = scalarConverter(dialect, column.kind, notes, where);
  if (column.array) {
    return (raw) => (raw === null || raw === undefined ? null : parsePgArray(String(raw), (text) => scalar(text)));
  }
  return (raw) => (raw === null || raw === undefined ? null : scalar(raw));
}

function scalarConverter(
  dialect: Dialect,
  kind: ValueKind,
  notes: ConversionNotes,
  where: () => string,
): (raw: unknown) => unknown {
  switch (kind) {
    case 'int32':
    case 'year':
      return (raw) => new Int32(Number(raw));
    case 'int64':
      return (raw) => Long.fromString(String(raw));
    case 'decimal':
      return (raw) => toDecimal(String(raw), notes);
    case 'double':
      return (raw) => new Double(Number(raw));
    case 'bool':
      return (raw) => toBool(raw);
    case 'string':
    case 'time':
    case 'interval':
    case 'enum':
      return (raw) => (Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
    case 'binary':
    case 'bits':
      return (raw) => new Binary(toBytes(dialect, raw), 0);
    case 'uuid':
      return (raw) => toUuid(raw);
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return (raw) => toDate(String(raw), notes, where);
    case 'json':
      return (raw) =>
        typeof raw === 'string' || Buffer.isBuffer(raw) ? fromJson(JSON.parse(String(raw))) : fromJson(raw);
    case 'set':
      return (raw) => (String(raw) === '' ? [] : String(raw).split(','));
    case 'other':
      return (raw) => (Buffer.isBuffer(raw) ? new Binary(raw, 0) : String(raw));
  }
}

function toBool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (Buffer.isBuffer(raw)) return raw.some((b) => b !== 0);
  const text = String(raw);
  return text === 't' || text === 'true' || (text !== 'f' && text !== 'false' && text !== '0' && text !== '');
}

function toBytes(dialect: Dialect, raw: unknown): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  const text = String(raw);
  // PostgreSQL's bytea text output (hex format, the default since 9.0).
  if (dialect === 'postgres' && text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  return Buffer.from(text, 'utf8');
}

function toUuid(raw: unknown): Binary {
  if (Buffer.isBuffer(raw) && raw.length === 16) return new Binary(raw, Binary.SUBTYPE_UUID);
  const hex = String(raw).replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`"${String(raw)}" is not a UUID`);
  return new Binary(Buffer.from(hex, 'hex'), Binary.SUBTYPE_UUID);
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const TWO_64 = BigInt(2) ** BigInt(64);

/**
 * "123.45" as Decimal128 without bson's general parser (the hot path of numeric columns): coefficient
 * 12345, exponent -2, laid out as IEEE 754-2008 BID with the coefficient under 2^113 (34 digits at most).
 */
function plainDecimal(text: string): Decimal128 | undefined {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return undefined;
  const [, sign, int, frac = ''] = m;
  const digits = (int + frac).replace(/^0+(?=\d)/, '');
  if (digits.length > 34 || frac.length > 6176) return undefined;
  const coefficient = BigInt(digits);
  const high =
    (BigInt(6176 - frac.length) << BigInt(49)) | (coefficient / TWO_64) | (sign ? BigInt(1) << BigInt(63) : BigInt(0));
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64LE(coefficient % TWO_64, 0);
  bytes.writeBigUInt64LE(high, 8);
  return new Decimal128(bytes);
}

function toDecimal(text: string, notes: ConversionNotes): Decimal128 | Double {
  const fast = plainDecimal(text);
  if (fast) return fast;
  if (text === 'NaN') return Decimal128.fromString('NaN');
  if (text === 'Infinity' || text === '-Infinity') return Decimal128.fromString(text);
  try {
    return Decimal128.fromString(text);
  } catch {
    notes.roundedDecimals++;
    return Decimal128.fromStringWithRounding(text);
  }
}

const DATE_TEXT =
  /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?|Z)?( BC)?$/;

/** A date or timestamp's text (PostgreSQL's ISO output, MySQL's date strings) as a Date; no zone means UTC. */
export function toDate(text: string, notes: ConversionNotes, where: () => string): Date | null {
  if (text.startsWith('0000-00-00')) {
    notes.zeroDates++;
    return null;
  }
  const m = DATE_TEXT.exec(text);
  if (!m) throw new Error(`${where()}: "${text}" cannot be written as a date (BSON dates have no infinity).`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', sign, oh = '0', om = '0', os = '0', bc] = m;
  let year = Number(y);
  if (bc) year = 1 - year;
  if (frac.length > 3 && /[1-9]/.test(frac.slice(3))) notes.truncatedMicros++;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const utc = new Date(0);
  utc.setUTCFullYear(year, Number(mo) - 1, Number(d));
  utc.setUTCHours(Number(h), Number(mi), Number(s), ms);
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os)) * 1000 : 0;
  return new Date(utc.getTime() - offset);
}

/** A parsed JSON value as BSON: integers become Int32 or Int64 (Double beyond 2^53, as JSON.parse read them), other numbers Double. */
export function fromJson(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0)) {
      if (value >= -2147483648 && value <= 2147483647) return new Int32(value);
      if (Number.isSafeInteger(value)) return Long.fromNumber(value);
    }
    return new Double(value);
  }
  if (Array.isArray(value)) return value.map(fromJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = fromJson(v);
    return out;
  }
  return value;
}

/** A field's value given another BSON type by the mapping; throws a message naming the value when it cannot be. */
export function castValue(value: unknown, to: BsonType): unknown {
  if (value === null || value === undefined) return value;
  const fail = (): never => {
    throw new Error(`${describe(value)} cannot become ${to}`);
  };
  const asText = (): string => {
    if (value instanceof Binary)
      return value.sub_type === Binary.SUBTYPE_UUID
        ? formatUuid(value.buffer)
        : Buffer.from(value.buffer).toString('utf8');
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value) || (typeof value === 'object' && value !== null && !('_bsontype' in value)))
      return JSON.stringify(value);
    return String(value);
  };
  switch (to) {
    case 'string':
      return asText();
    case 'int': {
      const n = Number(asText());
      return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? new Int32(n) : fail();
    }
    case 'long':
      try {
        const text = asText();
        if (!/^-?\d+$/.test(text)) fail();
        return Long.fromString(text);
      } catch {
        return fail();
      }
    case 'double': {
      const n = Number(asText());
      return Number.isNaN(n) && asText() !== 'NaN' ? fail() : new Double(n);
    }
    case 'decimal':
      try {
        return Decimal128.fromString(asText());
      } catch {
        return fail();
      }
    case 'bool':
      return typeof value === 'boolean' ? value : toBool(asText());
    case 'date': {
      if (value instanceof Date) return value;
      const date = new Date(asText());
      return Number.isNaN(date.getTime()) ? fail() : date;
    }
    case 'binData':
      return value instanceof Binary ? new Binary(value.buffer, 0) : new Binary(Buffer.from(asText(), 'utf8'), 0);
    case 'uuid':
      try {
        return value instanceof Binary && value.buffer.length === 16
          ? new Binary(value.buffer, Binary.SUBTYPE_UUID)
          : toUuid(asText());
      } catch {
        return fail();
      }
    case 'object':
      if (typeof value === 'object' && !('_bsontype' in (value as object)) && !(value instanceof Date)) return value;
      try {
        return fromJson(JSON.parse(asText()));
      } catch {
        return fail();
      }
  }
}

function describe(value: unknown): string {
  const text = value instanceof Binary ? `binary of ${value.buffer.length} bytes` : JSON.stringify(String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What the pre-flight report should say about a column's type, if anything. */
export function columnRisk(dialect: Dialect, column: Column): string | undefined {
  if (column.kind === 'decimal' && (column.precision === undefined || column.precision > 34)) {
    return `${column.sqlType}: values over 34 significant digits are rounded to fit Decimal128 (each rounding is counted)`;
  }
  if (
    (column.kind === 'timestamp' || column.kind === 'timestamptz') &&
    (column.precision === undefined || column.precision > 3)
  ) {
    return `${column.sqlType}: microseconds are truncated to milliseconds (BSON dates)${column.kind === 'timestamp' && dialect === 'postgres' ? '; read as UTC' : ''}`;
  }
  if (column.kind === 'timestamp') return `${column.sqlType}: has no time zone; read as UTC`;
  if (column.kind === 'other')
    return `${column.sqlType}: no BSON equivalent; written as its text${dialect === 'mysql' ? ' (or bytes)' : ''}`;
  if (column.kind === 'int64' && dialect === 'mysql' && /unsigned/i.test(column.sqlType))
    return `${column.sqlType}: values over 2^63-1 do not fit Int64`;
  return undefined;
}
