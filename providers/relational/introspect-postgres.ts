/**
 * PostgreSQL introspection from the system catalogs: the tables of the chosen schemas (partitions are read
 * through their parent), columns with their types (domains resolved to their base type, arrays to their
 * element type), primary keys, unique constraints, foreign keys and indexes.
 */
import type pg from 'pg';
import type { Column, DatabaseSchema, Table, ValueKind } from './schema';

const TYPE_KINDS: Record<string, ValueKind> = {
  int2: 'int32',
  int4: 'int32',
  int8: 'int64',
  oid: 'int64',
  numeric: 'decimal',
  float4: 'double',
  float8: 'double',
  bool: 'bool',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  char: 'string',
  name: 'string',
  citext: 'string',
  xml: 'string',
  inet: 'string',
  cidr: 'string',
  macaddr: 'string',
  macaddr8: 'string',
  bytea: 'binary',
  uuid: 'uuid',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'time',
  interval: 'interval',
  json: 'json',
  jsonb: 'json',
};

interface ColumnRow {
  table_oid: number;
  name: string;
  sql_type: string;
  typname: string;
  typtype: string;
  elem_typname: string | null;
  elem_typtype: string | null;
  notnull: boolean;
  typmod: number;
}

export async function introspectPostgres(client: pg.Client, schemas?: string[]): Promise<DatabaseSchema> {
  const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
  const tables = await client.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))
      ORDER BY n.nspname, c.relname`,
    [schemas ?? null],
  );
  const oids = tables.rows.map((t) => t.oid);
  const byOid = new Map<number, Table>();
  for (const t of tables.rows) {
    byOid.set(t.oid, {
      id: `${t.schema}.${t.name}`,
      schema: t.schema,
      name: t.name,
      columns: [],
      primaryKey: [],
      uniques: [],
      foreignKeys: [],
      indexes: [],
    });
  }
  if (oids.length === 0) return { dialect: 'postgres', serverVersion: version, mariadb: false, tables: [] };

  // Domains resolve to their base type; arrays carry their element type.
  const columns = await client.query<ColumnRow>(
    `SELECT a.attrelid::int AS table_oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type,
            bt.typname, bt.typtype, et.typname AS elem_typname, et.typtype AS elem_typtype, a.attnotnull AS notnull,
            CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
       LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  for (const row of columns.rows) byOid.get(row.table_oid)?.columns.push(columnOf(row));

  const constraints = await client.query<{
    table_oid: number;
    name: string;
    type: string;
    columns: string[];
    ref_oid: number | null;
    ref_columns: string[] | null;
  }>(
    `SELECT c.conrelid::int AS table_oid, c.conname AS name, c.contype AS type,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            c.confrelid::int AS ref_oid,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns
       FROM pg_constraint c
      WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'u', 'f')
      ORDER BY c.conrelid, c.conname`,
    [oids],
  );
  for (const c of constraints.rows) {
    const table = byOid.get(c.table_oid);
    if (!table) continue;
    if (c.type === 'p') table.primaryKey = c.columns;
    if (c.type === 'u') table.uniques.push({ name: c.name, columns: c.columns });
    if (c.type === 'f') {
      const parent = c.ref_oid !== null ? byOid.get(c.ref_oid) : undefined;
      // A reference to a table outside the chosen schemas stays a plain column.
      if (parent)
        table.foreignKeys.push({
          id: `${table.id}:${c.name}`,
          name: c.name,
          table: table.id,
          columns: c.columns,
          refTable: parent.id,
          refColumns: c.ref_columns ?? [],
        });
    }
  }

  const indexes = await client.query<{
    table_oid: number;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(
    `SELECT i.indrelid::int AS table_oid, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
            ARRAY(SELECT coalesce(a.attname::text, '(expression)') FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o) AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = ANY($1::oid[])
      ORDER BY i.indrelid, ic.relname`,
    [oids],
  );
  for (const i of indexes.rows)
    byOid.get(i.table_oid)?.indexes.push({ name: i.name, columns: i.columns, unique: i.unique, primary: i.primary });

  return { dialect: 'postgres', serverVersion: version.split(' on ')[0], mariadb: false, tables: [...byOid.values()] };
}

function columnOf(row: ColumnRow): Column {
  const array = row.elem_typname !== null;
  const typname = row.elem_typname ?? row.typname;
  const typtype = row.elem_typtype ?? row.typtype;
  const kind: ValueKind = typtype === 'e' ? 'enum' : (TYPE_KINDS[typname] ?? 'other');
  const column: Column = { name: row.name, sqlType: row.sql_type, kind, nullable: !row.notnull };
  if (array) column.array = true;
  if (typname === 'numeric' && row.typmod >= 4) {
    column.precision = ((row.typmod - 4) >> 16) & 0xffff;
    column.scale = (row.typmod - 4) & 0xffff;
  }
  if ((typname === 'timestamp' || typname === 'timestamptz') && row.typmod >= 0) column.precision = row.typmod;
  return column;
}
