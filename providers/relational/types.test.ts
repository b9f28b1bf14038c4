/**
 * Introspection and the type table against the real PostgreSQL 15 and MariaDB 10.11 servers: every SQL
 * type in README's table is read through the source (snapshot + driver) and converted, and must arrive as
 * the BSON type stated there (compared as canonical Extended JSON, which names the type).
 */
import { BSON, Decimal128, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from './source';
import { converterFor, emptyNotes } from './types';
import { tableById, type DatabaseSchema } from './schema';
import { mysqlScratch, pgScratch, type MysqlScratch, type PgScratch } from './test-helpers';

const canonical = (value: unknown) => JSON.parse(BSON.EJSON.stringify({ v: value } as Document, { relaxed: false })).v;
const date = (iso: string) => ({ $date: { $numberLong: String(Date.parse(iso)) } });
const uuidBinary = (hex: string) => ({
  $binary: { base64: Buffer.from(hex.replace(/-/g, ''), 'hex').toString('base64'), subType: '04' },
});

async function readConverted(dialect: 'postgres' | 'mysql', uri: string, tableId: string, schemas?: string[]) {
  const source = openSource(dialect, uri, schemas);
  const schema: DatabaseSchema = await source.introspect();
  const table = tableById(schema, tableId);
  const snapshot = await source.snapshot('single');
  try {
    const q = dialect === 'postgres' ? `"${table.schema}"."${table.name}"` : `\`${table.schema}\`.\`${table.name}\``;
    const rows = await snapshot.query(() => `SELECT * FROM ${q} ORDER BY 1`);
    const notes = emptyNotes();
    const converted = rows.map((row) =>
      Object.fromEntries(
        table.columns.map((c, i) => [
          c.name,
          canonical(converterFor(dialect, c, notes, () => `${table.id}.${c.name}`)(row[i])),
        ]),
      ),
    );
    return { schema, table, converted, notes };
  } finally {
    await snapshot.close();
    await source.close();
  }
}

describe('PostgreSQL: introspection and types', () => {
  let db: PgScratch;
  beforeAll(async () => {
    db = await pgScratch();
    await db.exec(`CREATE TYPE mood AS ENUM ('sad', 'happy')`);
    await db.exec(`CREATE DOMAIN positive AS integer CHECK (VALUE > 0)`);
    await db.exec(`CREATE TABLE parent (a int, b text, PRIMARY KEY (a, b), code text UNIQUE)`);
    await db.exec(`CREATE TABLE t (
      id int PRIMARY KEY, c_small smallint, c_int integer, c_big bigint, c_num numeric(12,3), c_numfree numeric, c_real real, c_double double precision,
      c_bool boolean, c_text text, c_varchar varchar(10), c_char char(3), c_bytea bytea, c_uuid uuid, c_ts timestamp, c_tstz timestamptz, c_date date,
      c_time time, c_interval interval, c_json json, c_jsonb jsonb, c_intarr int[], c_textarr text[], c_matrix int[][], c_enum mood, c_domain positive,
      c_inet inet, c_point point, pa int, pb text, CONSTRAINT t_parent_fk FOREIGN KEY (pa, pb) REFERENCES parent (a, b), CONSTRAINT t_text_uniq UNIQUE (c_text, c_int))`);
    await db.exec(`CREATE INDEX t_date_idx ON t (c_date)`);
    await db.exec(`INSERT INTO t VALUES (1, 32767, -2147483648, 9223372036854775807, 123456789.123, 1234567890123456789012345678901234567, 1.5, '-0',
      true, 'héllo 🎉', 'abc', 'ab', '\\x00ff10', '0f8fad5b-d9cb-469f-a165-70867728950e', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.5+02', '1999-12-31',
      '13:14:15', '1 day 02:00:00', '{"a":1,"b":[1.5,"x",null,true],"big":3000000000}', '{"z":{"y":2.0}}', '{1,NULL,3}', '{"a,b","c\\"d"}', '{{1,2},{3,4}}', 'happy', 7,
      '10.0.0.1', '(1,2)', NULL, NULL)`);
    await db.exec(`INSERT INTO t (id, c_double, c_ts) VALUES (2, 2, '1970-01-01 00:00:00')`);
  });
  afterAll(async () => db?.drop());

  it('finds tables, columns, keys, constraints and indexes', async () => {
    const { schema, table } = await readConverted('postgres', db.uri, `${db.schema}.t`, [db.schema]);
    expect(schema.tables.map((t) => t.name).sort()).toEqual(['parent', 't']);
    expect(table.primaryKey).toEqual(['id']);
    expect(table.foreignKeys).toEqual([
      {
        id: `${db.schema}.t:t_parent_fk`,
        name: 't_parent_fk',
        table: `${db.schema}.t`,
        columns: ['pa', 'pb'],
        refTable: `${db.schema}.parent`,
        refColumns: ['a', 'b'],
      },
    ]);
    expect(table.uniques).toEqual([{ name: 't_text_uniq', columns: ['c_text', 'c_int'] }]);
    expect(table.indexes.map((i) => [i.name, i.columns, i.unique, i.primary])).toEqual(
      expect.arrayContaining([
        ['t_pkey', ['id'], true, true],
        ['t_date_idx', ['c_date'], false, false],
        ['t_text_uniq', ['c_text', 'c_int'], true, false],
      ]),
    );
    const parent = tableById(schema, `${db.schema}.parent`);
    expect(parent.primaryKey).toEqual(['a', 'b']);
    expect(parent.uniques).toEqual([{ name: 'parent_code_key', columns: ['code'] }]);
    const kinds = Object.fromEntries(table.columns.map((c) => [c.name, `${c.kind}${c.array ? '[]' : ''}`]));
    expect(kinds).toMatchObject({
      c_num: 'decimal',
      c_enum: 'enum',
      c_domain: 'int32',
      c_intarr: 'int32[]',
      c_matrix: 'int32[]',
      c_point: 'other',
      c_jsonb: 'json',
    });
    expect(table.columns.find((c) => c.name === 'c_num')).toMatchObject({ precision: 12, scale: 3 });
  });

  it('converts every type as the table says', async () => {
    const { converted, notes } = await readConverted('postgres', db.uri, `${db.schema}.t`, [db.schema]);
    expect(converted[0]).toEqual({
      id: { $numberInt: '1' },
      c_small: { $numberInt: '32767' },
      c_int: { $numberInt: '-2147483648' },
      c_big: { $numberLong: '9223372036854775807' },
      c_num: { $numberDecimal: '123456789.123' },
      c_numfree: { $numberDecimal: '1.234567890123456789012345678901235E+36' },
      c_real: { $numberDouble: '1.5' },
      c_double: { $numberDouble: '-0.0' },
      c_bool: true,
      c_text: 'héllo 🎉',
      c_varchar: 'abc',
      c_char: 'ab ',
      c_bytea: { $binary: { base64: 'AP8Q', subType: '00' } },
      c_uuid: uuidBinary('0f8fad5b-d9cb-469f-a165-70867728950e'),
      c_ts: date('2024-02-29T13:14:15.123Z'),
      c_tstz: date('2024-02-29T11:14:15.500Z'),
      c_date: date('1999-12-31T00:00:00Z'),
      c_time: '13:14:15',
      c_interval: '1 day 02:00:00',
      c_json: {
        a: { $numberInt: '1' },
        b: [{ $numberDouble: '1.5' }, 'x', null, true],
        big: { $numberLong: '3000000000' },
      },
      c_jsonb: { z: { y: { $numberInt: '2' } } }, // JSON.parse cannot tell 2.0 from 2: integral numbers become integers
      c_intarr: [{ $numberInt: '1' }, null, { $numberInt: '3' }],
      c_textarr: ['a,b', 'c"d'],
      c_matrix: [
        [{ $numberInt: '1' }, { $numberInt: '2' }],
        [{ $numberInt: '3' }, { $numberInt: '4' }],
      ],
      c_enum: 'happy',
      c_domain: { $numberInt: '7' },
      c_inet: '10.0.0.1',
      c_point: '(1,2)',
      pa: null,
      pb: null,
    });
    expect(converted[1]).toMatchObject({
      c_double: { $numberDouble: '2.0' },
      c_ts: date('1970-01-01T00:00:00Z'),
      c_text: null,
    });
    expect(notes).toEqual({ truncatedMicros: 1, roundedDecimals: 1, zeroDates: 0 });
  });
});

describe('MariaDB: introspection and types', () => {
  let db: MysqlScratch;
  beforeAll(async () => {
    db = await mysqlScratch();
    await db.exec(`CREATE TABLE parent (id int PRIMARY KEY, code varchar(10) UNIQUE) ENGINE=InnoDB`);
    await db.exec(`CREATE TABLE t (
      id int PRIMARY KEY, c_bool tinyint(1), c_tiny tinyint, c_int int, c_uint int unsigned, c_big bigint, c_ubig bigint unsigned, c_dec decimal(20,4),
      c_float float, c_double double, c_bit1 bit(1), c_bits bit(12), c_char char(3), c_varchar varchar(20), c_text text, c_blob blob, c_varbinary varbinary(8),
      c_date date, c_datetime datetime(6), c_ts timestamp(3) NULL, c_time time, c_year year, c_json json, c_longtext longtext, c_enum enum('a','b'),
      c_set set('x','y','z'), c_uuid uuid, parent_id int, KEY t_date_idx (c_date), CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB`);
    await db.exec(`INSERT INTO t VALUES (1, 1, -5, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 1234567890123456.7890,
      1.5, 2, b'1', b'101010101010', 'ab', 'héllo 🎉', 'text', x'00ff', x'0102', '2024-02-29', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.500',
      '-12:30:00', 2024, '{"a":1,"b":[true,null]}', '{"not":"json"}', 'b', 'x,z', '0f8fad5b-d9cb-469f-a165-70867728950e', NULL)`);
  });
  afterAll(async () => db?.drop());

  it('finds tables, keys, constraints and indexes, and MariaDB json from its check constraint', async () => {
    const { schema, table } = await readConverted('mysql', db.uri, `${db.database}.t`);
    expect(schema.mariadb).toBe(true);
    expect(schema.tables.map((t) => t.name)).toEqual(['parent', 't']);
    expect(table.primaryKey).toEqual(['id']);
    expect(table.foreignKeys).toEqual([
      {
        id: `${db.database}.t:t_parent_fk`,
        name: 't_parent_fk',
        table: `${db.database}.t`,
        columns: ['parent_id'],
        refTable: `${db.database}.parent`,
        refColumns: ['id'],
      },
    ]);
    expect(tableById(schema, `${db.database}.parent`).uniques).toEqual([{ name: 'code', columns: ['code'] }]);
    expect(table.indexes.map((i) => i.name).sort()).toEqual(['PRIMARY', 't_date_idx', 't_parent_fk']);
    const kinds = Object.fromEntries(table.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({
      c_json: 'json',
      c_longtext: 'string',
      c_bool: 'bool',
      c_tiny: 'int32',
      c_uint: 'int64',
      c_ubig: 'decimal',
      c_set: 'set',
      c_uuid: 'uuid',
    });
  });

  it('converts every type as the table says', async () => {
    const { converted, notes } = await readConverted('mysql', db.uri, `${db.database}.t`);
    expect(converted[0]).toEqual({
      id: { $numberInt: '1' },
      c_bool: true,
      c_tiny: { $numberInt: '-5' },
      c_int: { $numberInt: '-2147483648' },
      c_uint: { $numberLong: '4294967295' },
      c_big: { $numberLong: '-9223372036854775808' },
      c_ubig: { $numberDecimal: '18446744073709551615' },
      c_dec: { $numberDecimal: '1234567890123456.7890' },
      c_float: { $numberDouble: '1.5' },
      c_double: { $numberDouble: '2.0' },
      c_bit1: true,
      c_bits: { $binary: { base64: Buffer.from([0x0a, 0xaa]).toString('base64'), subType: '00' } },
      c_char: 'ab',
      c_varchar: 'héllo 🎉',
      c_text: 'text',
      c_blob: { $binary: { base64: 'AP8=', subType: '00' } },
      c_varbinary: { $binary: { base64: 'AQI=', subType: '00' } },
      c_date: date('2024-02-29T00:00:00Z'),
      c_datetime: date('2024-02-29T13:14:15.123Z'),
      c_ts: date('2024-02-29T13:14:15.500Z'),
      c_time: '-12:30:00',
      c_year: { $numberInt: '2024' },
      c_json: { a: { $numberInt: '1' }, b: [true, null] },
      c_longtext: '{"not":"json"}',
      c_enum: 'b',
      c_set: ['x', 'z'],
      c_uuid: uuidBinary('0f8fad5b-d9cb-469f-a165-70867728950e'),
      parent_id: null,
    });
    expect(notes).toEqual({ truncatedMicros: 1, roundedDecimals: 0, zeroDates: 0 });
  });
});

describe('decimal conversion', () => {
  it('gives the same Decimal128 bytes as bson’s own parser', () => {
    const convert = converterFor(
      'postgres',
      { name: 'x', sqlType: 'numeric', kind: 'decimal', nullable: true },
      emptyNotes(),
      () => 'x',
    );
    for (const text of [
      '0',
      '-0',
      '1.50',
      '-123.456',
      '0.000001',
      '-0.00',
      '18446744073709551615',
      '1234567890123456789012345678901234',
      '12345678901234567890.123456789012',
      '1e5',
      'NaN',
      '-Infinity',
    ]) {
      expect(canonical(convert(text)), text).toEqual(canonical(Decimal128.fromString(text)));
    }
  });
});
