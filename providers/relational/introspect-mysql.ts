/**
 * MySQL / MariaDB introspection from information_schema: the tables of the chosen databases, columns with
 * their types, primary keys, unique constraints, foreign keys and indexes. MariaDB's `json` is an alias of
 * `longtext` with a `json_valid(col)` check constraint: such a column is read as JSON.
 */
import type mysql from 'mysql2/promise';
import type { Column, DatabaseSchema, Table, ValueKind } from './schema';

interface ColumnRow {
  TABLE_SCHEMA: string;
  TABLE_NAME: string;
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: string;
  NUMERIC_PRECISION: number | string | null;
  NUMERIC_SCALE: number | string | null;
  DATETIME_PRECISION: number | string | null;
}

function kindOf(dataType: string, columnType: string, jsonChecked: boolean): ValueKind {
  const unsigned = /unsigned/i.test(columnType);
  switch (dataType.toLowerCase()) {
    case 'tinyint':
      return /^tinyint\(1\)/i.test(columnType) ? 'bool' : 'int32';
    case 'smallint':
    case 'mediumint':
      return 'int32';
    case 'int':
    case 'integer':
      return unsigned ? 'int64' : 'int32';
    case 'bigint':
      return unsigned ? 'decimal' : 'int64';
    case 'decimal':
    case 'numeric':
      return 'decimal';
    case 'float':
    case 'double':
    case 'real':
      return 'double';
    case 'bit':
      return /^bit\(1\)$/i.test(columnType) ? 'bool' : 'bits';
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'inet4':
    case 'inet6':
      return 'string';
    case 'longtext':
      return jsonChecked ? 'json' : 'string';
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return 'binary';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp';
    case 'timestamp':
      return 'timestamptz';
    case 'time':
      return 'time';
    case 'year':
      return 'year';
    case 'json':
      return 'json';
    case 'enum':
      return 'enum';
    case 'set':
      return 'set';
    case 'uuid':
      return 'uuid';
    default:
      return 'other';
  }
}

export async function introspectMysql(conn: mysql.Connection, databases: string[]): Promise<DatabaseSchema> {
  const [[versionRow]] = (await conn.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
  const version = versionRow.v;
  const mariadb = /mariadb/i.test(version);
  const [tableRows] = (await conn.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    [databases],
  )) as unknown as [Array<{ TABLE_SCHEMA: string; TABLE_NAME: string }>];
  const tables = new Map<string, Table>();
  for (const t of tableRows) {
    const id = `${t.TABLE_SCHEMA}.${t.TABLE_NAME}`;
    tables.set(id, {
      id,
      schema: t.TABLE_SCHEMA,
      name: t.TABLE_NAME,
      columns: [],
      primaryKey: [],
      uniques: [],
      foreignKeys: [],
      indexes: [],
    });
  }
  if (tables.size === 0) return { dialect: 'mysql', serverVersion: version, mariadb, tables: [] };

  // MariaDB: `json` columns are longtext with a json_valid(`col`) check (MySQL's CHECK_CONSTRAINTS has no TABLE_NAME).
  const jsonColumns = new Set<string>();
  if (mariadb) {
    const [checks] = (await conn.query(
      `SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN (?)`,
      [databases],
    )) as unknown as [Array<{ CONSTRAINT_SCHEMA: string; TABLE_NAME: string; CHECK_CLAUSE: string }>];
    for (const check of checks) {
      const m = /^\s*json_valid\(`((?:[^`]|``)+)`\)\s*$/i.exec(check.CHECK_CLAUSE);
      if (m) jsonColumns.add(`${check.CONSTRAINT_SCHEMA}.${check.TABLE_NAME}.${m[1].replace(/``/g, '`')}`);
    }
  }

  const [columnRows] = (await conn.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    [databases],
  )) as unknown as [ColumnRow[]];
  for (const row of columnRows) {
    const table = tables.get(`${row.TABLE_SCHEMA}.${row.TABLE_NAME}`);
    if (!table) continue;
    const json = jsonColumns.has(`${row.TABLE_SCHEMA}.${row.TABLE_NAME}.${row.COLUMN_NAME}`);
    const kind = kindOf(row.DATA_TYPE, row.COLUMN_TYPE, json);
    const column: Column = {
      name: row.COLUMN_NAME,
      sqlType: json ? 'json (longtext + json_valid)' : row.COLUMN_TYPE,
      kind,
      nullable: row.IS_NULLABLE === 'YES',
    };
    if (kind === 'decimal' && row.NUMERIC_PRECISION !== null) {
      column.precision = Number(row.NUMERIC_PRECISION);
      column.scale = Number(row.NUMERIC_SCALE ?? 0);
    }
    if ((kind === 'timestamp' || kind === 'timestamptz') && row.DATETIME_PRECISION !== null)
      column.precision = Number(row.DATETIME_PRECISION);
    table.columns.push(column);
  }

  const [keyRows] = (await conn.query(
    `SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME
       FROM information_schema.TABLE_CONSTRAINTS tc
       JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND k.TABLE_SCHEMA = tc.TABLE_SCHEMA AND k.TABLE_NAME = tc.TABLE_NAME
      WHERE tc.TABLE_SCHEMA IN (?) AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
      ORDER BY tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [databases],
  )) as unknown as [
    Array<{
      TABLE_SCHEMA: string;
      TABLE_NAME: string;
      CONSTRAINT_NAME: string;
      CONSTRAINT_TYPE: string;
      COLUMN_NAME: string;
      REFERENCED_TABLE_SCHEMA: string | null;
      REFERENCED_TABLE_NAME: string | null;
      REFERENCED_COLUMN_NAME: string | null;
    }>,
  ];
  const constraints = new Map<
    string,
    { table: Table; type: string; name: string; columns: string[]; refTable?: string; refColumns: string[] }
  >();
  for (const row of keyRows) {
    const table = tables.get(`${row.TABLE_SCHEMA}.${row.TABLE_NAME}`);
    if (!table) continue;
    const key = `${table.id}:${row.CONSTRAINT_NAME}:${row.CONSTRAINT_TYPE}`;
    let c = constraints.get(key);
    if (!c) {
      c = {
        table,
        type: row.CONSTRAINT_TYPE,
        name: row.CONSTRAINT_NAME,
        columns: [],
        refColumns: [],
        refTable: row.REFERENCED_TABLE_NAME ? `${row.REFERENCED_TABLE_SCHEMA}.${row.REFERENCED_TABLE_NAME}` : undefined,
      };
      constraints.set(key, c);
    }
    c.columns.push(row.COLUMN_NAME);
    if (row.REFERENCED_COLUMN_NAME) c.refColumns.push(row.REFERENCED_COLUMN_NAME);
  }
  for (const c of constraints.values()) {
    if (c.type === 'PRIMARY KEY') c.table.primaryKey = c.columns;
    else if (c.type === 'UNIQUE') c.table.uniques.push({ name: c.name, columns: c.columns });
    else if (c.refTable && tables.has(c.refTable)) {
      c.table.foreignKeys.push({
        id: `${c.table.id}:${c.name}`,
        name: c.name,
        table: c.table.id,
        columns: c.columns,
        refTable: c.refTable,
        refColumns: c.refColumns,
      });
    }
  }

  const [indexRows] = (await conn.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [databases],
  )) as unknown as [
    Array<{
      TABLE_SCHEMA: string;
      TABLE_NAME: string;
      INDEX_NAME: string;
      NON_UNIQUE: number | string;
      COLUMN_NAME: string | null;
    }>,
  ];
  for (const row of indexRows) {
    const table = tables.get(`${row.TABLE_SCHEMA}.${row.TABLE_NAME}`);
    if (!table) continue;
    let index = table.indexes.find((i) => i.name === row.INDEX_NAME);
    if (!index) {
      index = {
        name: row.INDEX_NAME,
        columns: [],
        unique: Number(row.NON_UNIQUE) === 0,
        primary: row.INDEX_NAME === 'PRIMARY',
      };
      table.indexes.push(index);
    }
    index.columns.push(row.COLUMN_NAME ?? '(expression)');
  }
  return { dialect: 'mysql', serverVersion: version, mariadb, tables: [...tables.values()] };
}
