/**
 * Messages that point to the right place and cause: an unclosed CSV quote names the line it opened on;
 * /dev/zero, a FIFO or a device is "not a regular file" (checked before opening: a FIFO never blocks);
 * a file Cutover may not read says so; an invalid collection name from a dump names the file; sentences
 * are joined with full stops. Also CSV rows shorter than the header (found importing real data beside
 * mongoimport): the missing trailing fields are left out, as mongoimport does.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BSON } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { sentences } from './result-summaries';
import { importFileInto, spawnCliImport, stat, tempDir } from './test-helpers';

const db = `cutover_files_msg_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('messages');
});

const importFile = (file: string, presets: Record<string, string> = {}) =>
  importFileInto({ uri: mongo.uri, db, dataDir: dir }, file, presets);

describe('CSV', () => {
  it('an unclosed quote names the line it opened on, in a small file (the preview) and past the first megabyte (streaming)', async () => {
    const small = path.join(dir, 'unclosed.csv');
    await writeFile(small, 'a,b\n1,"x\n3,4\n5,6\n');
    const { done } = await importFile(small, { coll: 'unclosed' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${small}, line 2: a quoted field opened on line 2 is never closed`);
    expect(done.summary).not.toContain('line 4');

    const large = path.join(dir, 'unclosed-large.csv');
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i},"quoted ${i}\nover two lines"`).join('\n');
    await writeFile(large, `a,b\n${rows}\n\n7,"never closed\n8,9\n10,11\n`);
    const late = await importFile(large, { coll: 'unclosed_large' });
    expect(late.done.state).toBe('failed');
    // Header on line 1, each row two lines, a blank line: the quote opens on line 2 + 80,000 + 1.
    expect(late.done.summary).toContain(`${large}, line 80002: a quoted field opened on line 80002 is never closed`);
  });

  it('rows shorter than the header leave the missing fields out; longer rows are bad rows', async () => {
    const file = path.join(dir, 'ragged.csv');
    await writeFile(
      file,
      'version,codename,created,eol,eol_lts\n1.1,Buzz,1993-08-16\n6.0,Squeeze,2009-02-14,2014-05-31,2016-02-29\n7.0,Wheezy,2011-02-06,2016-04-25,2018-05-31,extra\n',
    );
    const { done } = await importFile(file, { coll: 'ragged', onError: 'continue', types: 'version:string' });
    expect(done.state, done.summary).toBe('succeeded');
    expect(stat(done, 'Documents imported')).toBe('2');
    const docs = await mongo.client
      .db(db)
      .collection('ragged')
      .find({}, { projection: { _id: 0 }, sort: { version: 1 } })
      .toArray();
    expect(docs).toEqual([
      { version: '1.1', codename: 'Buzz', created: new Date('1993-08-16T00:00:00Z') },
      {
        version: '6.0',
        codename: 'Squeeze',
        created: new Date('2009-02-14T00:00:00Z'),
        eol: new Date('2014-05-31T00:00:00Z'),
        eol_lts: new Date('2016-02-29T00:00:00Z'),
      },
    ]);
    expect(done.details?.flatMap((d) => d.items).join('\n')).toContain(
      `${file}, line 4: 6 cells, but the header has 5 columns`,
    );
  });
});

describe('what is not a regular file', () => {
  it.skipIf(!existsSync('/dev/zero'))('/dev/zero is refused as not a regular file', async () => {
    const { done } = await importFile('/dev/zero', { coll: 'zero' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain('/dev/zero is not a regular file (it is a device)');
  });

  it('a FIFO is refused before it is opened (nothing writes to it: opening it would block)', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const { done } = await importFile(fifo, { coll: 'fifo' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${fifo} is not a regular file (it is a FIFO (named pipe))`);
  });
});

describe('a file Cutover may not read', () => {
  // Root reads any file, so as root the import runs as the user "nobody" (a child process) against a file only root may read.
  it('says "Cutover cannot read <file>: permission denied"', async () => {
    const secret = path.join(dir, 'secret.json');
    await writeFile(secret, '[{"a":1}]');
    await chmod(secret, 0o600);
    await chmod(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) await chmod(secret, 0o000);
    const dataDir = path.join(dir, 'nobody-data');
    await mkdir(dataDir, { recursive: true });
    await chmod(dataDir, 0o777);
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawnCliImport({ uri: mongo.uri, db, coll: 'secret' }, secret, [], {
        env: { ...process.env, CUTOVER_DATA_DIR: dataDir, HOME: dataDir },
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    expect(result.code, result.out + result.err).toBe(1);
    expect(JSON.parse(result.out).summary).toContain(`Cutover cannot read ${secret}: permission denied`);
  }, 60_000);
});

describe('a dump whose file name is not a valid collection name', () => {
  it('names the file, before anything is imported', async () => {
    const folder = path.join(dir, 'dump-bad-name');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'good.bson'), BSON.serialize({ _id: 1 }));
    await writeFile(path.join(folder, 'bad$name.bson'), BSON.serialize({ _id: 2 }));
    const { done } = await importFile(folder);
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(
      `${path.join(folder, 'bad$name.bson')}: "bad$name" is not a valid collection name (it contains "$"). Nothing was imported.`,
    );
    expect(await mongo.client.db(db).listCollections({ name: 'good' }).toArray()).toEqual([]);
  });
});

describe('counts', () => {
  it('one document is "1 document"', async () => {
    const file = path.join(dir, 'one.json');
    await writeFile(file, '{"_id": 1}');
    const { done } = await importFile(file, { coll: 'one' });
    expect(done.summary).toContain(`Imported 1 document into ${db}.one.`);
  });
});

describe('sentences', () => {
  it('are joined with full stops, also after a driver error that ends without one', () => {
    expect(
      sentences('connect ECONNREFUSED 127.0.0.1:27109', '21,000 documents had been imported before it stopped.', ''),
    ).toBe('connect ECONNREFUSED 127.0.0.1:27109. 21,000 documents had been imported before it stopped.');
  });
});
