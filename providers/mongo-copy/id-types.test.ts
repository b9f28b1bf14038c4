/**
 * No document is left out because of the type of its _id: the copy splits collections per BSON type of
 * _id (range queries are type-bracketed), and every type a server stores must be read, the rare ones
 * (JavaScript code, with or without scope, symbols, MinKey/MaxKey…) included.
 */
import { randomUUID } from 'node:crypto';
import {
  BSONSymbol,
  Binary,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import type { CopyEvents } from './engine';
import { startCopyJob } from './run-job';
import { oneCollectionRequest } from './test-helpers';

const mongo = useMongoClient();

const quiet: CopyEvents = { phase: () => undefined, namespace: () => undefined, warn: () => undefined };

async function copy(db: string, partitionDocs: number) {
  const request = oneCollectionRequest(mongo.uri, db, 'c', { batchDocs: 50, partitionDocs });

  return startCopyJob(request, quiet, new AbortController().signal).done;
}

describe('copying every type of _id', () => {
  it('copies documents whose _ids mix every BSON type, split into partitions or not', async () => {
    const db = `cutover_ids_${randomUUID().slice(0, 8)}`;
    const rare: unknown[] = [
      new MinKey(),
      null,
      new BSONSymbol('sym'),
      { k: 1 },
      new Binary(Buffer.from('b')),
      new ObjectId(),
      true,
      new Date(0),
      new Timestamp({ t: 1, i: 1 }),
      new Code('f()'),
      new Code('g()', { s: 1 }),
      new MaxKey(),
    ];
    const numbers: unknown[] = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0
        ? new Int32(i)
        : i % 4 === 1
          ? Long.fromNumber(i)
          : i % 4 === 2
            ? new Double(i + 0.5)
            : Decimal128.fromString(`${i}.25`),
    );
    const strings = Array.from({ length: 200 }, (_, i) => `s${String(i).padStart(4, '0')}`);
    const ids = [...rare, ...numbers, ...strings];
    await mongo.client
      .db(db)
      .collection('c')
      .insertMany(ids.map((_id, i) => ({ _id, i }) as never));
    for (const partitionDocs of [50, 50_000]) {
      const outcome = await copy(db, partitionDocs);
      expect(outcome.namespaces[0]).toMatchObject({ docs: ids.length, status: 'done' });
      expect(outcome.counts?.[0]).toMatchObject({ ok: true, target: ids.length });
      expect(outcome.verification?.[0]).toMatchObject({
        sourceCount: ids.length,
        targetCount: ids.length,
        missing: 0,
        mismatched: 0,
      });
      await mongo.client.db(`${db}_t`).dropDatabase();
    }
    await mongo.client.db(db).dropDatabase();
  }, 60_000);

  it('copies a collection whose _ids are all JavaScript code', async () => {
    const db = `cutover_ids_code_${randomUUID().slice(0, 8)}`;
    await mongo.client
      .db(db)
      .collection('c')
      .insertMany([{ _id: new Code('a()') }, { _id: new Code('b()') }, { _id: new Code('c()') }] as never);
    const outcome = await copy(db, 50_000);
    expect(outcome.namespaces[0]).toMatchObject({ docs: 3, status: 'done' });
    expect(outcome.verification?.[0]).toMatchObject({ missing: 0, targetCount: 3 });
    await mongo.client.db(db).dropDatabase();
    await mongo.client.db(`${db}_t`).dropDatabase();
  }, 30_000);
});
