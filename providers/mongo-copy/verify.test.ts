/**
 * The copy's verification against a real server (the test kit's, or MONGODB_URI): it finds what differs,
 * down to a value that changed only its BSON type, and names the _ids.
 */
import { randomUUID } from 'node:crypto';
import { Double, Int32 } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { verifyNamespace } from './verify';

const mongo = useMongoClient();

describe('verification', () => {
  it('lists missing and different documents by _id, and index differences', async () => {
    const db = `cutover_verify_${randomUUID().slice(0, 8)}`;
    const docs = Array.from({ length: 4_500 }, (_, i) => ({ _id: i, n: new Int32(i), pad: 'x'.repeat(50) }));
    await mongo.client.db(db).collection<{ _id: number }>('src').insertMany(docs);
    await mongo.client.db(db).collection('src').createIndex({ n: 1 }, { name: 'n_1' });
    await mongo.client.db(db).collection<{ _id: number }>('dst').insertMany(docs);
    // Same value, other BSON type: a copy that lost the Int32 is not identical.
    await mongo.client
      .db(db)
      .collection('dst')
      .updateOne({ _id: 7 as never }, { $set: { n: new Double(7) } });
    await mongo.client
      .db(db)
      .collection('dst')
      .deleteOne({ _id: 4_321 as never });
    const ns = { sourceDb: db, sourceColl: 'src', targetDb: db, targetColl: 'dst', kind: 'collection' as const };

    const report = await verifyNamespace(mongo.client, mongo.client, ns, 'full', 0, () => false);
    expect(report).toMatchObject({
      sourceCount: 4_500,
      targetCount: 4_499,
      checked: 4_500,
      missing: 1,
      mismatched: 1,
      missingIds: ['4321'],
      mismatchedIds: ['7'],
    });
    expect(report.indexDifferences).toEqual(['index n_1 is missing in the target']);

    const sample = await verifyNamespace(mongo.client, mongo.client, ns, 'sample', 100, () => false);
    expect(sample.checked).toBe(100);
    await mongo.client.db(db).dropDatabase();
  });
});
