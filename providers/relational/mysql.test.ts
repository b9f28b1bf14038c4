/**
 * The relational engine against the real MariaDB server, in both snapshot modes (a consistent snapshot per
 * stream, and one snapshot on one connection read in keyset pages): children merged on a case-insensitive
 * text key (ordered natively, compared by the collation's WEIGHT_STRING), a primitive array nested in an
 * array, a composite key, and a table without a primary key.
 */
import { randomBytes } from 'node:crypto';
import { BSON, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { runRelational, type JobControl, type RelationalEvents, type RelationalRequest } from './engine';
import { MAPPING_FORMAT } from './mapping';
import { mysqlScratch, type MysqlScratch } from './test-helpers';

let mongo: { uri: string; stop(): Promise<void> };
let client: MongoClient;
let my: MysqlScratch;
const dbs: string[] = [];
const quiet: RelationalEvents = { phase: () => undefined, collection: () => undefined, warn: () => undefined };

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri).connect();
  my = await mysqlScratch();
  for (const sql of [
    `CREATE TABLE products (sku varchar(10) PRIMARY KEY, title varchar(20)) ENGINE=InnoDB COLLATE utf8mb4_general_ci`,
    `CREATE TABLE reviews (id int PRIMARY KEY, sku varchar(10), stars tinyint, CONSTRAINT reviews_product_fk FOREIGN KEY (sku) REFERENCES products (sku)) ENGINE=InnoDB COLLATE utf8mb4_general_ci`,
    `CREATE TABLE review_tags (review_id int, tag varchar(10), PRIMARY KEY (review_id, tag), CONSTRAINT tags_review_fk FOREIGN KEY (review_id) REFERENCES reviews (id)) ENGINE=InnoDB`,
    `CREATE TABLE logs (msg varchar(10)) ENGINE=InnoDB`,
    `INSERT INTO products VALUES ('A1', 'Pen'), ('b2', 'Ink'), ('C3', 'Cap'), ('ä4', 'Umlaut')`,
    `INSERT INTO reviews VALUES (1, 'a1', 5), (2, 'B2', 3), (3, 'A1', 4), (4, 'Ä4', 1)`,
    `INSERT INTO review_tags VALUES (1, 'good'), (1, 'cheap'), (3, 'ok')`,
    `INSERT INTO logs VALUES ('x'), ('y'), ('x')`,
    `CREATE TABLE blobs (k varbinary(4), n varchar(4), v int, PRIMARY KEY (k, n)) ENGINE=InnoDB`,
    `INSERT INTO blobs SELECT UNHEX(LPAD(HEX(seq), 4, '0')), CONCAT('n', seq % 3), seq FROM seq_1_to_40`,
  ]) {
    await my.exec(sql);
  }
});
afterAll(async () => {
  for (const db of dbs)
    await client
      ?.db(db)
      .dropDatabase()
      .catch(() => undefined);
  await client?.close();
  await mongo?.stop();
  await my?.drop();
});

describe('relational engine (MariaDB)', () => {
  for (const mode of ['parallel', 'single'] as const) {
    it(`embeds children on a case-insensitive key, nests a primitive array, keeps duplicate rows (${mode} snapshot)`, async () => {
      const targetDb = `rel_my_${randomBytes(4).toString('hex')}`;
      dbs.push(targetDb);
      const d = my.database;
      const outcome = await runRelational(
        {
          jobKey: `relational-test-${targetDb}`,
          dialect: 'mysql',
          sourceUri: my.uri,
          targetUri: mongo.uri,
          targetDb,
          mapping: {
            format: MAPPING_FORMAT,
            version: 1,
            tables: { [`${d}.blobs`]: { include: false } },
            relations: {
              [`${d}.reviews:reviews_product_fk`]: { kind: 'children', field: 'reviews' },
              [`${d}.review_tags:tags_review_fk`]: { kind: 'children', field: 'tags', primitive: 'tag' },
            },
          },
          snapshot: mode,
          conflict: 'abort',
          verify: 'sample',
          sampleSize: 10,
          fetchRows: 2, // several pages / batches per stream
          batchDocs: 2,
        },
        quiet,
      );
      expect(outcome.snapshot).toMatch(
        mode === 'single' ? /one consistent snapshot on one connection/ : /a consistent snapshot per stream/,
      );
      const products = await client.db(targetDb).collection('products').find({}, { promoteValues: false }).toArray();
      const byId = Object.fromEntries(products.map((p) => [p._id, BSON.EJSON.serialize(p, { relaxed: true })]));
      expect(byId).toEqual({
        A1: {
          _id: 'A1',
          title: 'Pen',
          reviews: [
            { id: 1, sku: 'a1', stars: 5, tags: ['cheap', 'good'] },
            { id: 3, sku: 'A1', stars: 4, tags: ['ok'] },
          ],
        },
        b2: { _id: 'b2', title: 'Ink', reviews: [{ id: 2, sku: 'B2', stars: 3, tags: [] }] },
        C3: { _id: 'C3', title: 'Cap', reviews: [] },
        ä4: { _id: 'ä4', title: 'Umlaut', reviews: [{ id: 4, sku: 'Ä4', stars: 1, tags: [] }] },
      });
      expect(outcome.orphans).toBe(0);
      const tags = await client.db(targetDb).collection('review_tags').find({}).toArray();
      expect(tags.map((t) => t._id)).toEqual(
        expect.arrayContaining([
          { review_id: 1, tag: 'cheap' },
          { review_id: 3, tag: 'ok' },
        ]),
      );
      const logs = await client.db(targetDb).collection('logs').find({}).toArray();
      expect(logs.map((l) => l.msg).sort()).toEqual(['x', 'x', 'y']);
      expect(new Set(logs.map((l) => l._id)).size).toBe(3);
      expect(
        outcome.verification?.map((v) => [
          v.key,
          v.sourceRows,
          v.targetDocs,
          v.checked,
          v.missing.length,
          v.different.length,
        ]),
      ).toEqual([
        ['logs', 3, 3, 3, 0, 0],
        ['products', 4, 4, 4, 0, 0],
        ['reviews', 4, 4, 4, 0, 0],
        ['review_tags', 3, 3, 3, 0, 0],
      ]);
    });
  }
});

describe('relational job (MariaDB): stopped and resumed', () => {
  it('carries on after a binary + text composite key checkpoint, every document exactly once', async () => {
    const targetDb = `rel_my_${randomBytes(4).toString('hex')}`;
    dbs.push(targetDb);
    const d = my.database;
    const tables = Object.fromEntries(
      ['products', 'reviews', 'review_tags', 'logs'].map((t) => [`${d}.${t}`, { include: false }]),
    );
    const request: RelationalRequest = {
      jobKey: `relational-test-${targetDb}`,
      dialect: 'mysql',
      sourceUri: my.uri,
      targetUri: mongo.uri,
      targetDb,
      mapping: { format: MAPPING_FORMAT, version: 1, tables },
      snapshot: 'single',
      conflict: 'abort',
      verify: 'sample',
      sampleSize: 100,
      fetchRows: 5,
      batchDocs: 5,
    };
    // Cancelled between batches once two batches are on their way: as a person pressing Cancel would.
    let batches = 0;
    const control: JobControl = { isCancelled: () => batches > 2, whenRunnable: () => Promise.resolve(void batches++) };
    const first = await runRelational(request, quiet, control);
    expect(first.cancelled).toBe(true);
    const written = await client.db(targetDb).collection('blobs').countDocuments();
    expect(written).toBeGreaterThanOrEqual(10);
    expect(written).toBeLessThan(40);
    const rows: number[] = [];
    const second = await runRelational(request, { ...quiet, collection: (r) => rows.push(r.docs) });
    expect(second.resumed).toBe(true);
    expect(rows.find((n) => n > 0)).toBeGreaterThanOrEqual(written); // started from the checkpoint, not from zero
    const docs = await client.db(targetDb).collection('blobs').find({}).toArray();
    expect(docs.length).toBe(40);
    expect(new Set(docs.map((doc) => Number(doc.v))).size).toBe(40);
    // Counts cover everything; the rebuilt sample is drawn from what this run wrote.
    expect(second.verification?.[0]).toMatchObject({
      sourceRows: 40,
      targetDocs: 40,
      checked: 40 - written,
      missing: [],
      different: [],
    });
  });
});
