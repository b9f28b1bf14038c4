/**
 * BatchWriter's raw path against a real server (the test kit's, or MONGODB_URI): documents that are
 * already BSON reach the target as the same bytes, and what the target refuses is named by _id.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { everyTypeDocument } from '../../testkit/bson-samples';
import { BatchWriter, type WritePolicy } from './mongo-writer';
import { rawWritesSupported } from './raw-writes';

const mongo = useMongoClient();

const rawBatch = (docs: object[]) => {
  const raws = docs.map((doc) => BSON.serialize(doc));
  return { raws, bytes: raws.reduce((sum, raw) => sum + raw.byteLength, 0) };
};

async function freshWriter(conflict: WritePolicy) {
  const db = mongo.client.db(`cutover_writer_${randomUUID().slice(0, 8)}`);
  const warnings: string[] = [];
  const writer = new BatchWriter(db, 'c', {
    conflict,
    where: `${db.databaseName}.c`,
    maxDocs: 1_000,
    warn: (m) => warnings.push(m),
  });
  return { db, writer, warnings };
}

describe('BatchWriter.writeRaw', () => {
  it('is available with the installed driver (otherwise copies silently fall back to decoding)', () => {
    expect(rawWritesSupported).toBe(true);
  });

  it('runs on the driver minor package.json pins (raw writes use a driver internal: a new minor is tested first)', () => {
    const range = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies.mongodb;
    const pinned = /^~(\d+)\.(\d+)\.\d+$/.exec(range);
    expect(pinned, `package.json pins mongodb to one minor (~x.y.z), not "${range}"`).not.toBeNull();
    const installed = (createRequire(import.meta.url)('mongodb/package.json') as { version: string }).version;
    expect(
      installed.startsWith(`${pinned![1]}.${pinned![2]}.`),
      `installed mongodb ${installed} is outside ${range}`,
    ).toBe(true);
  });

  it('writes raw documents byte for byte, every BSON type included', async () => {
    const { db, writer } = await freshWriter('abort');
    const batch = rawBatch(Array.from({ length: 300 }, (_, i) => everyTypeDocument(i)));
    expect(await writer.writeRaw(batch)).toBe(0);
    const stored = (await db
      .collection('c')
      .find({}, { raw: true, sort: { _id: 1 } })
      .toArray()) as unknown as Uint8Array[];
    expect(stored.map((raw) => Buffer.from(raw).toString('hex'))).toEqual(
      batch.raws.map((raw) => Buffer.from(raw).toString('hex')),
    );
    await db.dropDatabase();
  });

  it('names the _id of a duplicate the target refuses, and skips duplicates when asked', async () => {
    const { db, writer } = await freshWriter('abort');
    await db.collection('c').insertOne({ _id: 'taken' as never, v: 0 });
    const batch = rawBatch([
      { _id: 'a', v: 1 },
      { _id: 'taken', v: 2 },
      { _id: 'b', v: 3 },
    ]);
    await expect(writer.writeRaw(batch)).rejects.toThrow(
      /document _id "taken" was refused by the target \(code 11000\)/,
    );

    const skipping = new BatchWriter(db, 'c', { conflict: 'skip', where: 'c', maxDocs: 1_000, warn: () => undefined });
    expect(
      await skipping.writeRaw(
        rawBatch([
          { _id: 'taken', v: 9 },
          { _id: 'c', v: 4 },
        ]),
      ),
    ).toBe(1);
    expect(await db.collection('c').findOne({ _id: 'taken' as never })).toMatchObject({ v: 0 });
    expect(await db.collection('c').countDocuments()).toBe(4);
    await db.dropDatabase();
  });

  it('refuses a batch holding a document that is not whole (freed or cut short) before sending any of it', async () => {
    for (const conflict of ['abort', 'overwrite'] as const) {
      const { db, writer } = await freshWriter(conflict);
      const freed = rawBatch([{ _id: 1 }, { _id: 2, pad: 'x'.repeat(200) }, { _id: 3 }]);
      const reply = new ArrayBuffer(freed.raws[1].byteLength);
      new Uint8Array(reply).set(freed.raws[1]);
      freed.raws[1] = new Uint8Array(reply);
      structuredClone(reply, { transfer: [reply] }); // as releaseReplies frees a reply
      await expect(writer.writeRaw(freed)).rejects.toThrow(
        /document 2 of the batch is not whole BSON \(0 bytes\); nothing of the batch was sent/,
      );
      const cut = rawBatch([{ _id: 4 }, { _id: 5, pad: 'y'.repeat(200) }]);
      cut.raws[1] = cut.raws[1].subarray(0, 100);
      await expect(writer.writeRaw(cut)).rejects.toThrow(
        /document 2 of the batch is not whole BSON \(100 bytes, its length says 2\d\d\)/,
      );
      expect(await db.collection('c').countDocuments()).toBe(0);
      await db.dropDatabase();
    }
  });

  it('replaces by _id with policy "overwrite", byte for byte, inserting what is missing', async () => {
    const { db, writer } = await freshWriter('overwrite');
    const docs = Array.from({ length: 200 }, (_, i) => everyTypeDocument(i));
    // Half of them are in the target already, with other content.
    await db.collection('c').insertMany(docs.slice(0, 100).map((d) => ({ _id: d._id, old: true })));
    const batch = rawBatch(docs);
    expect(await writer.writeRaw(batch)).toBe(0);
    const stored = (await db
      .collection('c')
      .find({}, { raw: true, sort: { _id: 1 } })
      .toArray()) as unknown as Uint8Array[];
    expect(stored.map((raw) => Buffer.from(raw).toString('hex'))).toEqual(
      batch.raws.map((raw) => Buffer.from(raw).toString('hex')),
    );
    await db.dropDatabase();
  });
});
