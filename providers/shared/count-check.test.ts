/**
 * The count check that ends every copy and import, against a real server (the test kit's, or
 * MONGODB_URI): exact for abort/drop, at least for skip/overwrite, and a collection that is gone fails.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { checkCount } from './count-check';

const mongo = useMongoClient();

describe('count check', () => {
  it('abort and drop need exactly the documents written; skip and overwrite at least them', async () => {
    const db = mongo.client.db(`cutover_count_${randomUUID().slice(0, 8)}`);
    await db.collection<{ _id: number }>('c').insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i })));

    const exact = await checkCount(db, 'c', { namespace: 'x.c', policy: 'abort', written: 300 });
    expect(exact).toMatchObject({
      ok: true,
      target: 300,
      counted: false,
      rule: 'exactly',
      sentence: 'x.c holds 300 documents on the target, as written.',
    });

    const fewer = await checkCount(db, 'c', { namespace: 'x.c', policy: 'drop', written: 1_000 });
    expect(fewer).toMatchObject({
      ok: false,
      target: 300,
      counted: true,
      sentence: 'x.c holds 300 documents on the target, but 1,000 documents were written to it.',
    });
    // Exactly means exactly: more than written is wrong too (someone else wrote into the target).
    expect(await checkCount(db, 'c', { namespace: 'x.c', policy: 'abort', written: 299 })).toMatchObject({
      ok: false,
      target: 300,
    });

    expect(await checkCount(db, 'c', { namespace: 'x.c', policy: 'overwrite', written: 200 })).toMatchObject({
      ok: true,
      rule: 'at least',
      sentence: 'x.c holds 300 documents on the target, at least the 200 written.',
    });
    expect(await checkCount(db, 'c', { namespace: 'x.c', policy: 'skip', written: 100, expected: 301 })).toMatchObject({
      ok: false,
      sentence: 'x.c holds 300 documents on the target, fewer than the 301 it must hold (100 documents written to it).',
    });
    await db.dropDatabase();
  });

  it('a collection gone from the target fails, even an empty one', async () => {
    const db = mongo.client.db(`cutover_count_${randomUUID().slice(0, 8)}`);
    const gone = await checkCount(db, 'gone', { namespace: 'x.gone', policy: 'abort', written: 0 });
    expect(gone).toMatchObject({
      ok: false,
      sentence: 'x.gone is gone from the target, but the job created it there.',
    });
    expect(gone.target).toBeUndefined();
    expect(await checkCount(db, 'gone', { namespace: 'x.gone', policy: 'overwrite', written: 5 })).toMatchObject({
      ok: false,
      sentence: 'x.gone is gone from the target, but 5 documents were written to it.',
    });
    await db.createCollection('empty');
    expect(await checkCount(db, 'empty', { namespace: 'x.empty', policy: 'abort', written: 0 })).toMatchObject({
      ok: true,
      target: 0,
    });
    await db.dropDatabase();
  });
});
