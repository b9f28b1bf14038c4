/**
 * What introspection finds in a relational database, dialect-neutral: tables with their columns, primary
 * key, foreign keys, unique constraints and indexes. Each column carries its SQL type and the kind of
 * value Cutover reads it as (see types.ts for the BSON each kind becomes).
 */
export type Dialect = 'postgres' | 'mysql';

/** How a column's values are read and what BSON type they become by default. */
export type ValueKind =
  | 'int32'
  | 'int64'
  | 'decimal'
  | 'double'
  | 'bool'
  | 'string'
  | 'binary'
  | 'uuid'
  /** date without time: a Date at 00:00 UTC */
  | 'date'
  /** timestamp / datetime without a time zone: read as UTC */
  | 'timestamp'
  /** timestamp with time zone (PostgreSQL timestamptz; MySQL timestamp, read in UTC) */
  | 'timestamptz'
  /** time, interval: kept as their text */
  | 'time'
  | 'interval'
  | 'json'
  | 'enum'
  /** MySQL SET: an array of strings */
  | 'set'
  /** MySQL YEAR */
  | 'year'
  /** MySQL BIT(n>1): bytes */
  | 'bits'
  /** anything else: kept as its text and reported */
  | 'other';

export interface Column {
  name: string;
  /** The type as the database spells it, e.g. "numeric(10,2)", "tinyint(1)", "integer[]". */
  sqlType: string;
  kind: ValueKind;
  /** For PostgreSQL arrays: the kind of the elements (and `kind` is that kind too); `array` is true. */
  array?: boolean;
  nullable: boolean;
  /** numeric / decimal precision and scale when declared. */
  precision?: number;
  scale?: number;
}

export interface ForeignKey {
  /** Unique id: "<schema>.<table>:<constraint name>". */
  id: string;
  name: string;
  /** The child table (the one holding the foreign key columns), as "<schema>.<table>". */
  table: string;
  columns: string[];
  /** The referenced (parent) table and its columns, in the same order. */
  refTable: string;
  refColumns: string[];
}

export interface Index {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface Table {
  /** "<schema>.<table>" (MySQL: "<database>.<table>"). */
  id: string;
  schema: string;
  name: string;
  columns: Column[];
  primaryKey: string[];
  uniques: Array<{ name: string; columns: string[] }>;
  foreignKeys: ForeignKey[];
  indexes: Index[];
}

export interface DatabaseSchema {
  dialect: Dialect;
  /** The server's version string (e.g. "PostgreSQL 15.20", "10.11.19-MariaDB"). */
  serverVersion: string;
  /** MariaDB reports itself as such; MySQL-only features are not used against it. */
  mariadb: boolean;
  tables: Table[];
}

export function tableById(schema: DatabaseSchema, id: string): Table {
  const table = schema.tables.find((t) => t.id === id);
  if (!table) throw new Error(`Table ${id} is not in the source database.`);
  return table;
}

export function columnOf(table: Table, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`Column ${name} is not in table ${table.id}.`);
  return column;
}
