/**
 * The .bson file reader that reuses its buffers (bson-file.ts) against the stream reader it stands in
 * for (bson.ts, fed by a plain file stream): the same records, byte for byte, for documents smaller and
 * larger than its buffers and cut across them; buffers used again only once released, and few of them.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bsonRecords } from './bson';
import { BsonFileReader } from './bson-file';
import type { SourceRecord } from './record';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-bson-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Documents of many sizes (a few larger than the reader's 1 MB buffers), some without an _id. */
function documents(count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const pad = i % 500 === 250 ? 1_500_000 + i : i % 13 === 0 ? 40_000 : (i * 37) % 3000;
    const doc = i % 11 === 3 ? { n: i, pad: 'y'.repeat(pad) } : { _id: i, n: i, pad: 'x'.repeat(pad) };
    out.push(Buffer.from(BSON.serialize(doc)));
  }
  return out;
}

async function fileOf(name: string, parts: Buffer[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat(parts));
  return file;
}

interface Seen {
  index: number;
  where: string;
  end?: number;
  raw?: string;
  doc?: string;
  error?: string;
}

const seen = (r: SourceRecord): Seen => ({
  index: r.index,
  where: r.where,
  end: r.end,
  raw: r.raw ? Buffer.from(r.raw).toString('base64') : undefined,
  doc: r.doc ? JSON.stringify(BSON.EJSON.serialize(r.doc)) : undefined,
  error: r.error,
});

async function viaStream(file: string, startOffset = 0, startIndex = 0): Promise<Seen[]> {
  const out: Seen[] = [];
  const stream = createReadStream(file, { start: startOffset, highWaterMark: 64 * 1024 });
  for await (const r of bsonRecords(stream, { file, startOffset, startIndex })) out.push(seen(r));
  return out;
}

async function viaReader(file: string, startOffset = 0, startIndex = 0): Promise<{ records: Seen[]; buffers: number }> {
  const reader = new BsonFileReader({ file, startOffset, startIndex, counter: { bytes: 0 } });
  const records: Seen[] = [];
  let buffers = 0;
  for await (const group of reader) {
    records.push(...group.map(seen));
    reader.release(group[group.length - 1].index);
    buffers = Math.max(buffers, reader.buffers);
  }
  return { records, buffers };
}

async function errorOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('the .bson file reader that reuses its buffers', () => {
  it('gives the records the stream reader gives, byte for byte, with few buffers', async () => {
    const docs = documents(3000);
    const file = await fileOf('many.bson', docs);
    const expected = await viaStream(file);
    const { records, buffers } = await viaReader(file);
    expect(records).toHaveLength(3000);
    expect(records).toEqual(expected);
    expect(records[3].raw).toBeUndefined(); // no _id: decoded, to be given one
    expect(records[3].doc).toBeDefined();
    // Released after each group: one buffer being read into, one handed on, and the one a large document needed.
    expect(buffers).toBeLessThanOrEqual(4);
  });

  it('starts where a checkpoint says (byte offset and index)', async () => {
    const docs = documents(600);
    const file = await fileOf('resume.bson', docs);
    const offset = docs.slice(0, 150).reduce((sum, d) => sum + d.length, 0);
    const { records } = await viaReader(file, offset, 150);
    expect(records).toEqual(await viaStream(file, offset, 150));
    expect(records[0].index).toBe(150);
    expect(records[0].where).toBe(`document 151 (byte ${offset})`);
  });

  it('does not read into a buffer whose documents were not released', async () => {
    const docs = documents(2500);
    const file = await fileOf('held.bson', docs);
    const reader = new BsonFileReader({ file, counter: { bytes: 0 } });
    const held: Array<{ raw: Uint8Array; copy: string }> = [];
    let groups = 0;
    for await (const group of reader) {
      groups++;
      // Nothing released for five groups (as if the target were slow): the reader takes new buffers.
      for (const r of group) if (r.raw) held.push({ raw: r.raw, copy: Buffer.from(r.raw).toString('hex') });
      if (groups === 5) {
        for (const h of held) expect(Buffer.from(h.raw).toString('hex')).toBe(h.copy);
        expect(reader.buffers).toBeGreaterThanOrEqual(5);
      }
      if (groups >= 5) reader.release(group[group.length - 1].index);
    }
    expect(groups).toBeGreaterThan(6);
    expect(held.length).toBeGreaterThan(1000);
  });

  it('says where a file is truncated or not BSON, as the stream reader does', async () => {
    const docs = documents(50);
    const whole = Buffer.concat(docs);
    const truncated = await fileOf('truncated.bson', [whole.subarray(0, whole.length - 7)]);
    const bad = Buffer.from(whole);
    const at = docs.slice(0, 20).reduce((sum, d) => sum + d.length, 0);
    bad.writeInt32LE(3, at);
    const damaged = await fileOf('damaged.bson', [bad]);
    for (const file of [truncated, damaged]) {
      const message = await errorOf(() => viaReader(file));
      expect(message).toBe(await errorOf(() => viaStream(file)));
      expect(message).toContain(file);
    }
    expect(await errorOf(() => viaReader(truncated))).toMatch(/ends in the middle of document 50 .* truncated/);
    expect(await errorOf(() => viaReader(damaged))).toContain(`byte ${at}: a document length of 3 bytes is impossible`);
  });

  it('counts the bytes read for progress; closing twice is harmless', async () => {
    const file = await fileOf('count.bson', documents(500));
    const counter = { bytes: 0 };
    const reader = new BsonFileReader({ file, counter });
    const first = await reader[Symbol.asyncIterator]().next();
    expect(first.value?.length).toBeGreaterThan(0);
    expect(counter.bytes).toBeGreaterThan(0);
    await reader.close();
    await reader.close();
  });
});
