/**
 * The target loses its data mid-import: the test server is stopped and an empty one comes up on the
 * same port (a slow proxy in front keeps the import mid-run); the import fails naming the checkpoint
 * store that vanished, instead of saying "Imported N". Every import ends with a count check: a
 * collection that lost documents fails it (even with every checkpoint in place); "skip" only needs at
 * least what was written.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../../testkit/mongo/index';
import { startLatencyProxy } from '../../testkit/latency-proxy';
import { runImport, type ImportRequest } from './import-engine';
import { runFilesAction, tempDir } from './test-helpers';

let dir: string;
const db = `cutover_files_lost_${randomUUID().slice(0, 8)}`;
const always = { isCancelled: () => false, whenRunnable: async () => undefined };

beforeAll(async () => {
  dir = await tempDir('target-lost');
});

async function numbered(name: string, rows: number): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(
    file,
    `${Array.from({ length: rows }, (_, i) => `{"_id":${i},"v":"${'x'.repeat(40)}"}`).join('\n')}\n`,
  );
  return file;
}

describe('the target is replaced by an empty server mid-import', () => {
  let first: MongoTestServer | undefined;
  let second: MongoTestServer | undefined;
  afterAll(async () => {
    await first?.stop().catch(() => undefined);
    await second?.stop().catch(() => undefined);
  });

  it('fails, naming the checkpoint store that vanished, through the provider (not "Imported N")', async () => {
    first = await startMongoTestServer();
    const port = first.port;
    const slow = await startLatencyProxy(first.uri, { delayMs: 15 });
    const file = await numbered('replaced.jsonl', 20_000);
    const side = await new MongoClient(first.uri).connect();
    let replaced = false;
    const watch = (async () => {
      // Once a few batches are checkpointed, the server goes away and an empty one takes its port.
      for (;;) {
        const cp = await side
          .db('__cutover')
          .collection('imports')
          .findOne({ file })
          .catch(() => null);
        if (cp && (cp.index as number) >= 3_000) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await side.close();
      await first!.stop();
      second = await startMongoTestServer({ port });
      replaced = true;
    })();
    const { done } = await runFilesAction({
      uri: slow.uri,
      db,
      action: 'import',
      dataDir: dir,
      presets: { file, coll: 'replaced', confirm: 'yes', batchDocs: '500' },
    });
    await watch;
    await slow.stop();
    expect(replaced).toBe(true);
    expect(done.state).toBe('failed');
    expect(done.summary).toContain("The import's checkpoint in __cutover.imports on the target is gone");
    expect(done.summary).toMatch(/cannot be trusted\.$/); // sentences end with full stops
    expect(done.summary).not.toMatch(/Imported 20,000/);
    expect(done.summary).not.toMatch(/resumes from the last checkpoint/);
  }, 120_000);
});

describe('the count check that ends every import', () => {
  let server: MongoTestServer;
  let client: MongoClient;
  beforeAll(async () => {
    server = await startMongoTestServer();
    client = await new MongoClient(server.uri).connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  const request = (file: string, coll: string, conflict: ImportRequest['conflict']): ImportRequest => ({
    uri: server.uri,
    db,
    conflict,
    onError: 'stop',
    ignoreEmpty: false,
    maxLineBytes: 1 << 20,
    batchDocs: 500,
    sources: [{ file, format: 'ndjson', gzip: false, coll }],
    errorLog: path.join(dir, `${coll}.log`),
  });

  it('documents that vanish from the collection during the import make it fail, saying how many are there', async () => {
    const file = await numbered('vanish.jsonl', 5_000);
    const events = { phase: () => undefined, warn: () => undefined, source: () => undefined };
    // Before the fifth batch (2,000 documents written, in batches of 500), documents vanish; the import waits
    // for that to land (as when paused), so it happens mid-import whatever the machine's speed.
    let batches = 0;
    const holdForDeletion = {
      isCancelled: () => false,
      whenRunnable: async () => {
        if (++batches === 5)
          await client
            .db(db)
            .collection('vanish')
            .deleteMany({ _id: { $lt: 100 } as never });
      },
    };
    const failed = await runImport(request(file, 'vanish', 'abort'), events, holdForDeletion).catch(
      (e: Error & { outcome?: { targetLost?: boolean } }) => e,
    );
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toContain(
      `${db}.vanish holds 4,900 documents on the target, but 5,000 documents were written to it: the target lost documents during the import`,
    );
    expect((failed as { outcome?: { targetLost?: boolean } }).outcome?.targetLost).toBe(true);
  });

  it('with "skip", a collection that had documents of its own passes (at least what was written)', async () => {
    await client
      .db(db)
      .collection('joined')
      .insertMany([{ _id: 'theirs-1' as never }, { _id: 'theirs-2' as never }]);
    const file = await numbered('joined.jsonl', 1_000);
    const outcome = await runImport(
      request(file, 'joined', 'skip'),
      { phase: () => undefined, source: () => undefined, warn: () => undefined },
      always,
    );
    expect(outcome.sources[0]).toMatchObject({ docs: 1_000, status: 'done' });
  });
});
