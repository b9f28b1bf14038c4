/**
 * The relational engine against the real PostgreSQL server and the MongoDB test server: every mapping rule
 * (collection per table, _id from a single and a composite key, children arrays, a parent sub-document,
 * merge-into-child with a prefix, primitive arrays, an array inside a document inside an array, include /
 * rename / type / nulls), a table without a primary key (idempotent _ids), verification, and a row that
 * would become a document over 16 MB.
 */
import { randomBytes } from 'node:crypto';
import { BSON, MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { runRelational, type RelationalEvents, type RelationalRequest } from './engine';
import { MAPPING_FORMAT, type MappingDocument } from './mapping';
import { pgScratch, type PgScratch } from './test-helpers';

let mongo: { uri: string; stop(): Promise<void> };
let client: MongoClient;
let pgdb: PgScratch;
const dbs: string[] = [];

const quiet: RelationalEvents = { phase: () => undefined, collection: () => undefined, warn: () => undefined };
const relaxed = (docs: Document[]) => docs.map((d) => BSON.EJSON.serialize(d, { relaxed: true }));
const canonical = (value: unknown) => JSON.parse(BSON.EJSON.stringify({ v: value } as Document, { relaxed: false })).v;

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri).connect();
  pgdb = await pgScratch();
  for (const sql of [
    `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text, note text)`,
    `CREATE TABLE addresses (id int PRIMARY KEY, customer_id int NOT NULL, city text, CONSTRAINT addresses_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id))`,
    `CREATE TABLE products (sku text PRIMARY KEY, title text, price numeric(10,2))`,
    `CREATE TABLE orders (id int PRIMARY KEY, customer_id int, placed date, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id))`,
    `CREATE TABLE order_items (order_id int, line int, sku text, qty int, PRIMARY KEY (order_id, line),
       CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id), CONSTRAINT items_product_fk FOREIGN KEY (sku) REFERENCES products (sku))`,
    `CREATE TABLE order_tags (order_id int, tag text, PRIMARY KEY (order_id, tag), CONSTRAINT tags_order_fk FOREIGN KEY (order_id) REFERENCES orders (id))`,
    `CREATE TABLE events (kind text, at int)`,
    `INSERT INTO customers VALUES (1, 'Ada', 'ada@x.org', 'n1'), (2, 'Bob', NULL, 'n2'), (3, 'Cy', 'cy@x.org', NULL)`,
    `INSERT INTO addresses VALUES (10, 1, 'Paris'), (11, 2, 'Oslo')`,
    `INSERT INTO products VALUES ('p1', 'Pen', 1.50), ('p2', 'Ink', 20.00)`,
    `INSERT INTO orders VALUES (100, 1, '2024-01-02'), (101, 1, '2024-01-03'), (102, 2, '2024-02-01'), (103, NULL, '2024-03-01')`,
    `INSERT INTO order_items VALUES (100, 2, 'p2', 1), (100, 1, 'p1', 2), (101, 1, 'p1', 5), (103, 1, NULL, 1)`,
    `INSERT INTO order_tags VALUES (100, 'urgent'), (100, 'gift'), (102, 'b2b')`,
    `INSERT INTO events VALUES ('click', 1), ('view', 2), ('click', 1)`,
  ]) {
    await pgdb.exec(sql);
  }
});
afterAll(async () => {
  for (const db of dbs)
    await client
      ?.db(db)
      .dropDatabase()
      .catch(() => undefined);
  await client
    ?.db('__cutover')
    .collection('relational_checkpoints')
    .deleteMany({ job: /^relational-test-/ })
    .catch(() => undefined);
  await client?.close();
  await mongo?.stop();
  await pgdb?.drop();
});

function request(mapping: MappingDocument, overrides: Partial<RelationalRequest> = {}): RelationalRequest {
  const targetDb = `rel_${randomBytes(4).toString('hex')}`;
  dbs.push(targetDb);
  return {
    jobKey: `relational-test-${targetDb}`,
    dialect: 'postgres',
    sourceUri: pgdb.uri,
    schemas: [pgdb.schema],
    targetUri: mongo.uri,
    targetDb,
    mapping,
    snapshot: 'parallel',
    conflict: 'abort',
    verify: 'sample',
    sampleSize: 100,
    ...overrides,
  };
}

const all = (db: string, coll: string) =>
  client
    .db(db)
    .collection(coll)
    .find({}, { sort: { _id: 1 }, promoteValues: false })
    .toArray();

describe('relational engine (PostgreSQL)', () => {
  it('applies every mapping rule and verifies the result', async () => {
    const s = pgdb.schema;
    const mapping: MappingDocument = {
      format: MAPPING_FORMAT,
      version: 1,
      tables: {
        [`${s}.customers`]: { fields: { note: { include: false }, email: { nulls: 'omit' } } },
        [`${s}.orders`]: { fields: { placed: { name: 'placedOn' } } },
        [`${s}.products`]: { fields: { price: { type: 'double' } } },
        [`${s}.order_tags`]: { include: false },
      },
      relations: {
        [`${s}.orders:orders_customer_fk`]: { kind: 'children', field: 'orders' },
        [`${s}.order_items:items_order_fk`]: { kind: 'children', field: 'items' },
        [`${s}.order_items:items_product_fk`]: { kind: 'merge', prefix: 'product_' },
        [`${s}.order_tags:tags_order_fk`]: { kind: 'children', field: 'tags', primitive: 'tag' },
        [`${s}.addresses:addresses_customer_fk`]: { kind: 'parent', field: 'customer' },
      },
    };
    const req = request(mapping);
    const outcome = await runRelational(req, quiet);
    const db = req.targetDb;
    expect((await client.db(db).listCollections().toArray()).map((c) => c.name).sort()).toEqual([
      'addresses',
      'customers',
      'events',
      'order_items',
      'orders',
      'products',
    ]);

    const item = (order_id: number, line: number, sku: string | null, qty: number, title?: string, price?: number) =>
      sku
        ? { order_id, line, sku, qty, product_sku: sku, product_title: title, product_price: price }
        : { order_id, line, sku, qty };
    const ada = {
      name: 'Ada',
      email: 'ada@x.org',
      orders: [
        {
          id: 100,
          customer_id: 1,
          placedOn: { $date: '2024-01-02T00:00:00Z' },
          items: [item(100, 1, 'p1', 2, 'Pen', 1.5), item(100, 2, 'p2', 1, 'Ink', 20)],
          tags: ['gift', 'urgent'],
        },
        {
          id: 101,
          customer_id: 1,
          placedOn: { $date: '2024-01-03T00:00:00Z' },
          items: [item(101, 1, 'p1', 5, 'Pen', 1.5)],
          tags: [],
        },
      ],
    };
    const bob = {
      name: 'Bob',
      orders: [{ id: 102, customer_id: 2, placedOn: { $date: '2024-02-01T00:00:00Z' }, items: [], tags: ['b2b'] }],
    };
    expect(relaxed(await all(db, 'customers'))).toEqual([
      { _id: 1, ...ada },
      { _id: 2, ...bob },
      { _id: 3, name: 'Cy', email: 'cy@x.org', orders: [] },
    ]);
    // A parent embedded as a sub-document carries its own embeddings (an array inside a document inside an array).
    expect(relaxed(await all(db, 'addresses'))).toEqual([
      { _id: 10, customer_id: 1, city: 'Paris', customer: { id: 1, ...ada } },
      { _id: 11, customer_id: 2, city: 'Oslo', customer: { id: 2, ...bob } },
    ]);
    const orders = relaxed(await all(db, 'orders'));
    expect(orders.map((o) => o._id)).toEqual([100, 101, 102, 103]);
    expect(orders[3]).toEqual({
      _id: 103,
      customer_id: null,
      placedOn: { $date: '2024-03-01T00:00:00Z' },
      items: [item(103, 1, null, 1)],
      tags: [],
    });
    expect(relaxed(await all(db, 'order_items'))[0]).toEqual({
      _id: { order_id: 100, line: 1 },
      sku: 'p1',
      qty: 2,
      product_sku: 'p1',
      product_title: 'Pen',
      product_price: 1.5,
    });
    const products = await all(db, 'products');
    expect(canonical(products[1])).toEqual({ _id: 'p2', title: 'Ink', price: { $numberDouble: '20.0' } });
    expect(canonical((await all(db, 'customers'))[0]._id)).toEqual({ $numberInt: '1' });

    // No primary key: _id from the content and the occurrence, so equal rows stay distinct.
    const events = await all(db, 'events');
    expect(events.map((e) => [e.kind, Number(e.at)])).toEqual(
      expect.arrayContaining([
        ['click', 1],
        ['click', 1],
        ['view', 2],
      ]),
    );
    const clickIds = events.filter((e) => e.kind === 'click').map((e) => String(e._id));
    expect(clickIds.map((id) => id.slice(-2)).sort()).toEqual(['-0', '-1']);
    expect(clickIds[0].slice(0, -2)).toBe(clickIds[1].slice(0, -2));

    expect(
      outcome.verification?.map((v) => [v.key, v.sourceRows, v.targetDocs, v.missing.length, v.different.length]),
    ).toEqual(
      expect.arrayContaining([
        ['customers', 3, 3, 0, 0],
        ['events', 3, 3, 0, 0],
        ['order_items', 4, 4, 0, 0],
      ]),
    );
    expect(outcome.verification?.every((v) => v.checked === v.sourceRows)).toBe(true);

    // Idempotent: the same job again (overwrite) leaves exactly the same documents, no-PK table included.
    const again = await runRelational({ ...req, jobKey: `${req.jobKey}-again`, conflict: 'overwrite' }, quiet);
    expect(again.verification?.every((v) => v.targetDocs === v.sourceRows && v.different.length === 0)).toBe(true);
    expect(await client.db(db).collection('events').countDocuments()).toBe(3);
  });

  it('refuses to write into collections that already hold documents, naming them', async () => {
    const req = request({ format: MAPPING_FORMAT, version: 1, tables: { [`${pgdb.schema}.events`]: {} } });
    await client
      .db(req.targetDb)
      .collection('products')
      .insertOne({ _id: 'x' } as never);
    await expect(runRelational(req, quiet)).rejects.toThrow(
      `The target already has documents in ${req.targetDb}.products`,
    );
    expect(await client.db(req.targetDb).collection('customers').countDocuments()).toBe(0);
  });

  it('names the table, row and column of a value that has no BSON form', async () => {
    await pgdb.exec(`CREATE TABLE moments (id int PRIMARY KEY, label text)`);
    await pgdb.exec(
      `CREATE TABLE moment_times (id int PRIMARY KEY, moment_id int REFERENCES moments (id), at timestamp)`,
    );
    await pgdb.exec(`INSERT INTO moments VALUES (1, 'a'), (2, 'b')`);
    await pgdb.exec(`INSERT INTO moment_times VALUES (10, 1, '2024-01-01'), (11, 2, 'infinity')`);
    const s = pgdb.schema;
    const tables = Object.fromEntries(
      ['customers', 'addresses', 'products', 'orders', 'order_items', 'order_tags', 'events', 'moment_times'].map(
        (t) => [`${s}.${t}`, { include: false }],
      ),
    );
    const req = request({
      format: MAPPING_FORMAT,
      version: 1,
      tables,
      relations: { [`${s}.moment_times:moment_times_moment_id_fkey`]: { kind: 'children', field: 'times' } },
    });
    await expect(runRelational(req, quiet)).rejects.toThrow(
      `table ${s}.moments, row with key 2, embedded ${s}.moment_times, column at: "infinity" cannot be written as a date (BSON dates have no infinity).`,
    );
    await pgdb.exec(`DROP TABLE moment_times, moments`);
  });

  it('names the row whose document would pass 16 MB', async () => {
    await pgdb.exec(`CREATE TABLE big_parent (id int PRIMARY KEY)`);
    await pgdb.exec(`CREATE TABLE big_child (id int PRIMARY KEY, parent_id int REFERENCES big_parent (id), blob text)`);
    await pgdb.exec(`INSERT INTO big_parent VALUES (1), (2)`);
    await pgdb.exec(`INSERT INTO big_child SELECT g, 2, repeat('x', 1000000) FROM generate_series(1, 17) g`);
    const s = pgdb.schema;
    const tables = Object.fromEntries(
      ['customers', 'addresses', 'products', 'orders', 'order_items', 'order_tags', 'events', 'big_child'].map((t) => [
        `${s}.${t}`,
        { include: false },
      ]),
    );
    const req = request({
      format: MAPPING_FORMAT,
      version: 1,
      tables,
      relations: { [`${s}.big_child:big_child_parent_id_fkey`]: { kind: 'children', field: 'children' } },
    });
    await expect(runRelational(req, quiet)).rejects.toThrow(
      new RegExp(
        `big_parent: the document of table ${s}\\.big_parent, row with key 2 \\(_id 2\\) would be 16\\.2 MB, over MongoDB's 16 MB limit`,
      ),
    );
    await pgdb.exec(`DROP TABLE big_child, big_parent`);
  });
});
