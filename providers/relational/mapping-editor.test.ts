/**
 * The mapping screen's main side against the real servers (PostgreSQL: PG_URL, MariaDB: MYSQL_URL): what the
 * window is shown of the source, previews of real documents that equal what the job writes, and a mapping
 * from the window that is refused (unknown tables, columns and foreign keys, bad JSON, an embedding cycle),
 * bounded (rows read, time) and never turned into a query.
 */
import { randomBytes } from 'node:crypto';
import { BSON, MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { runRelational, type RelationalEvents } from './engine';
import { MAPPING_FORMAT, type MappingDocument } from './mapping';
import { checkEditedMapping, mappingSource, previewMapping } from './mapping-editor';
import type { DatabaseSchema } from './schema';
import { openSource, type SqlSource } from './source';
import { mysqlScratch, PG_URL, pgScratch, type MysqlScratch, type PgScratch } from './test-helpers';

const quiet: RelationalEvents = {
  phase: () => undefined,
  collection: () => undefined,
  warn: () => undefined,
};
const text = (m: Omit<MappingDocument, 'format' | 'version'>) =>
  JSON.stringify({ format: MAPPING_FORMAT, version: 1, ...m });

describe('mapping screen, main side (PostgreSQL)', () => {
  let db: PgScratch;
  let sql: SqlSource;
  let schema: DatabaseSchema;
  let s: string;
  let mongo: { uri: string; stop(): Promise<void> };
  let client: MongoClient;
  const dbs: string[] = [];

  beforeAll(async () => {
    mongo = await useMongo();
    client = await new MongoClient(mongo.uri).connect();
    db = await pgScratch('cutover_map');
    s = db.schema;
    await db.exec(`CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL)`);
    await db.exec(
      `CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors (id), title text, price numeric(8, 2))`,
    );
    await db.exec(`CREATE TABLE staff (id int PRIMARY KEY, boss_id int REFERENCES staff (id), name text)`);
    await db.exec(`CREATE TABLE big (id int PRIMARY KEY)`);
    await db.exec(`CREATE TABLE big_items (id int PRIMARY KEY, big_id int NOT NULL REFERENCES big (id))`);
    await db.exec(`INSERT INTO authors SELECT g, 'Author ' || g FROM generate_series(1, 5) g`);
    await db.exec(`INSERT INTO books SELECT g, (g - 1) % 5 + 1, 'Book ' || g, g * 1.25 FROM generate_series(1, 20) g`);
    await db.exec(`INSERT INTO staff VALUES (1, NULL, 'Ada'), (2, 1, 'Bo'), (3, 1, 'Cy')`);
    await db.exec(`INSERT INTO big VALUES (1)`);
    await db.exec(`INSERT INTO big_items SELECT g, 1 FROM generate_series(1, 5000) g`);
    await db.exec(`ANALYZE`);
    sql = openSource('postgres', db.uri, [s]);
    schema = await sql.introspect();
  });
  afterAll(async () => {
    for (const name of dbs)
      await client
        ?.db(name)
        .dropDatabase()
        .catch(() => undefined);
    await client?.close();
    await mongo?.stop();
    await sql?.close();
    await db?.drop();
  });

  it('shows the window the tables, columns, foreign keys and cycles, and no rows', async () => {
    const source = mappingSource(schema, await sql.tableStats(schema));
    const books = source.tables.find((t) => t.id === `${s}.books`)!;
    expect(books).toMatchObject({
      name: 'books',
      primaryKey: ['id'],
      rows: 20,
    });
    expect(books.columns).toContainEqual({
      name: 'price',
      sqlType: 'numeric(8,2)',
      type: 'decimal',
      nullable: true,
    });
    expect(books.foreignKeys).toEqual([
      {
        id: `${s}.books:books_author_id_fkey`,
        name: 'books_author_id_fkey',
        columns: ['author_id'],
        refTable: `${s}.authors`,
        refColumns: ['id'],
      },
    ]);
    expect(source.cycles).toEqual([`${s}.staff → ${s}.staff`]);
    expect(source.types).toContain('decimal');
  });

  it('previews three real documents with the embedded array, equal to what the job writes', async () => {
    const mapping = text({
      tables: {
        [`${s}.books`]: { include: false },
        [`${s}.authors`]: { fields: { name: { name: 'fullName' } } },
      },
      relations: {
        [`${s}.books:books_author_id_fkey`]: {
          kind: 'children',
          field: 'books',
        },
      },
    });
    const preview = await previewMapping(sql, schema, mapping);
    expect(preview.errors).toEqual([]);
    expect(preview.collection).toBe('authors');
    expect(preview.collections).toEqual(['authors', 'big', 'big_items', 'staff']);
    expect(preview.documents).toHaveLength(3);
    const first = JSON.parse(preview.documents[0]);
    expect(first).toMatchObject({
      _id: 1,
      fullName: 'Author 1',
      books: [
        {
          id: 1,
          author_id: 1,
          title: 'Book 1',
          price: { $numberDecimal: '1.25' },
        },
        { id: 6 },
        { id: 11 },
        { id: 16 },
      ],
    });

    // The job, with the same mapping, writes the same documents (the same builder).
    const targetDb = `map_prev_${randomBytes(4).toString('hex')}`;
    dbs.push(targetDb);
    await runRelational(
      {
        jobKey: `map-${targetDb}`,
        dialect: 'postgres',
        sourceUri: db.uri,
        schemas: [s],
        targetUri: mongo.uri,
        targetDb,
        mapping: JSON.parse(mapping),
        snapshot: 'parallel',
        conflict: 'abort',
        verify: 'none',
        sampleSize: 1,
      },
      quiet,
    );
    const written = await client
      .db(targetDb)
      .collection('authors')
      .find({}, { sort: { _id: 1 }, limit: 3, promoteValues: false })
      .toArray();
    expect(preview.documents).toEqual(written.map((doc) => BSON.EJSON.stringify(doc, { relaxed: true })));
  });

  it('previews the collection asked for, and a primitive array', async () => {
    const preview = await previewMapping(
      sql,
      schema,
      text({
        relations: {
          [`${s}.books:books_author_id_fkey`]: {
            kind: 'children',
            field: 'titles',
            primitive: 'title',
          },
        },
      }),
      'authors',
    );
    expect(preview.errors).toEqual([]);
    expect(JSON.parse(preview.documents[1])).toEqual({
      _id: 2,
      name: 'Author 2',
      titles: ['Book 2', 'Book 7', 'Book 12', 'Book 17'],
    });
    const books = await previewMapping(
      sql,
      schema,
      text({
        relations: {
          [`${s}.books:books_author_id_fkey`]: { kind: 'merge', prefix: 'by_' },
        },
      }),
      'books',
    );
    expect(books.errors).toEqual([]);
    expect(JSON.parse(books.documents[0])).toEqual({
      _id: 1,
      author_id: 1,
      title: 'Book 1',
      price: { $numberDecimal: '1.25' },
      by_id: 1,
      by_name: 'Author 1',
    });
    // Without a prefix the parent's id clashes with the child's: said, not previewed.
    const clash = await previewMapping(
      sql,
      schema,
      text({
        relations: {
          [`${s}.books:books_author_id_fkey`]: {
            kind: 'merge',
            prefix: 'author_',
          },
        },
      }),
      'books',
    );
    expect(clash.errors).toEqual([
      expect.stringMatching(/field "author_id" comes from both column .*books\.author_id and column .*authors\.id/),
    ]);
  });

  it('refuses what the window may not name, with the place of each problem, and reads nothing', async () => {
    const unknown = await previewMapping(
      sql,
      schema,
      text({
        tables: {
          'public.pg_authid': { include: true },
          [`${s}.books`]: {
            fields: { 'price; DROP TABLE books': { include: false } },
          },
        },
        relations: { [`${s}.books:nope`]: { kind: 'children' } },
      }),
    );
    expect(unknown.documents).toEqual([]);
    expect(unknown.errors).toEqual([
      'tables.public.pg_authid: there is no table public.pg_authid in the source.',
      `tables.${s}.books.fields.price; DROP TABLE books: table ${s}.books has no column price; DROP TABLE books.`,
      `relations.${s}.books:nope: there is no foreign key ${s}.books:nope in the source (ids are "<schema>.<table>:<constraint>").`,
    ]);
    expect((await previewMapping(sql, schema, '{"format":')).errors[0]).toMatch(/^mapping: not valid JSON/);
    expect(
      (
        await previewMapping(
          sql,
          schema,
          text({
            relations: {
              [`${s}.books:books_author_id_fkey`]: { kind: 'nest' as never },
            },
          }),
        )
      ).errors[0],
    ).toMatch(/is not a valid mapping: relations\..*kind/);
    expect(
      (
        await previewMapping(
          sql,
          schema,
          JSON.stringify({
            format: MAPPING_FORMAT,
            version: 1,
            sql: 'SELECT 1',
          }),
        )
      ).errors[0],
    ).toMatch(/Unrecognized key.*sql/);
    const none = Object.fromEntries(schema.tables.map((t) => [t.id, { include: false }]));
    expect((await previewMapping(sql, schema, text({ tables: none }))).errors).toEqual([
      'The mapping includes no table: include at least one.',
    ]);
    expect(checkEditedMapping(schema, text({}))).toBeUndefined();
  });

  it('refuses an embedding that closes a cycle, naming the relation to keep as a reference', async () => {
    const cyclic = text({
      relations: {
        [`${s}.staff:staff_boss_id_fkey`]: {
          kind: 'children',
          field: 'reports',
        },
      },
    });
    const message = `The embeddings form a cycle: ${s}.staff → ${s}.staff. Keep one of these relations as a reference: ${s}.staff:staff_boss_id_fkey.`;
    expect((await previewMapping(sql, schema, cyclic)).errors).toEqual([message]);
    expect(checkEditedMapping(schema, cyclic)).toBe(message);
  });

  it('stops a preview that would read too many rows or tables, or take too long, and leaves no connection behind', async () => {
    const embedAll = text({
      relations: {
        [`${s}.big_items:big_items_big_id_fkey`]: { kind: 'children' },
      },
    });
    const rows = await previewMapping(sql, schema, embedAll, 'big', {
      maxRows: 1_000,
    });
    expect(rows.documents).toEqual([]);
    expect(rows.errors).toEqual([
      'The preview of big stopped after 1,000 rows: its first documents embed more rows than a preview reads.',
    ]);
    expect((await previewMapping(sql, schema, embedAll, 'big')).documents[0]).toMatch(
      /^\{"_id":1,"big_items":\[\{"id":1,"big_id":1\}/,
    );

    const streams = await previewMapping(sql, schema, embedAll, 'big', { maxStreams: 1 });
    expect(streams.errors).toEqual([
      'The preview of big would read 2 tables at once (arrays inside arrays); a preview reads at most 1. Preview a collection that embeds fewer.',
    ]);

    const slow = await previewMapping(sql, schema, embedAll, 'big', { timeoutMs: 1 });
    expect(slow.errors).toEqual(['The preview of big took more than 1 ms and was stopped.']);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const open = async () =>
        Number(
          (
            await admin.query(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'Cutover' AND datname = current_database()`,
            )
          ).rows[0].n,
        );
      const deadline = Date.now() + 10_000;
      while ((await open()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await open()).toBe(0);
    } finally {
      await admin.end();
    }
  });
});

describe('mapping screen, main side (MariaDB)', () => {
  let my: MysqlScratch;
  let sql: SqlSource;
  let schema: DatabaseSchema;
  let d: string;

  beforeAll(async () => {
    my = await mysqlScratch('cutover_map');
    d = my.database;
    await my.exec(`CREATE TABLE shops (id int PRIMARY KEY, name varchar(20)) ENGINE=InnoDB`);
    await my.exec(
      `CREATE TABLE items (id int PRIMARY KEY, shop_id int, label varchar(20), on_sale tinyint(1), CONSTRAINT items_shop_fk FOREIGN KEY (shop_id) REFERENCES shops (id)) ENGINE=InnoDB`,
    );
    await my.exec(`INSERT INTO shops VALUES (1, 'North'), (2, 'South'), (3, 'East'), (4, 'West')`);
    await my.exec(`INSERT INTO items VALUES (1, 1, 'Pen', 1), (2, 1, 'Ink', 0), (3, 2, 'Cap', NULL), (4, 4, 'Pad', 1)`);
    sql = openSource('mysql', my.uri);
    schema = await sql.introspect();
  });
  afterAll(async () => {
    await sql?.close();
    await my?.drop();
  });

  it('previews three shops with their items embedded, nulls left out where asked', async () => {
    const preview = await previewMapping(
      sql,
      schema,
      text({
        tables: { [`${d}.items`]: { fields: { on_sale: { nulls: 'omit' } } } },
        relations: {
          [`${d}.items:items_shop_fk`]: { kind: 'children', field: 'items' },
        },
      }),
    );
    expect(preview.errors).toEqual([]);
    expect(preview.documents.map((doc) => JSON.parse(doc))).toEqual([
      {
        _id: 1,
        name: 'North',
        items: [
          { id: 1, shop_id: 1, label: 'Pen', on_sale: true },
          { id: 2, shop_id: 1, label: 'Ink', on_sale: false },
        ],
      },
      { _id: 2, name: 'South', items: [{ id: 3, shop_id: 2, label: 'Cap' }] },
      { _id: 3, name: 'East', items: [] },
    ]);
  });

  it('refuses a column the table does not have', async () => {
    const preview = await previewMapping(
      sql,
      schema,
      text({
        relations: {
          [`${d}.items:items_shop_fk`]: {
            kind: 'children',
            primitive: 'price',
          },
        },
      }),
    );
    expect(preview.errors).toContain(
      `relations.${d}.items:items_shop_fk: table ${d}.items has no column price for the primitive array.`,
    );
    expect(preview.documents).toEqual([]);
  });
});
