/**
 * Imports through the core with real files: CSV inference and the preview (with a type override),
 * BOM, CRLF, quoted newlines, dotted headers, empty cells; bad rows logged with "continue"; bad inputs
 * (truncated JSON, invalid UTF-8, a 10 MB single line, a binary file named .json) each with a clear
 * error and nothing partial left unexplained; resume after an interruption.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BSON, Decimal128, Double, Int32, Long, ObjectId, UUID } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import type { Prompt } from '../../preload/contract';
import { runImport } from './import-engine';
import { importFileInto, stat, tempDir } from './test-helpers';

const db = `cutover_files_im_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('import');
});

const importFile = (file: string, presets: Record<string, string> = {}, onPrompt?: (p: Prompt) => unknown) =>
  importFileInto({ uri: mongo.uri, db, dataDir: dir }, file, presets, onPrompt);
const docs = (coll: string) =>
  mongo.client
    .db(db)
    .collection(coll)
    .find({}, { promoteValues: false, sort: { _id: 1 } })
    .toArray();

describe('CSV import', () => {
  const csv =
    '\ufeffid,name,age,score,big,price,active,born,ref,key,zip,address.city,address.geo.lat,note\r\n' +
    '1,Ann,34,1.5,3000000000,12.345678901234567890,true,1990-01-02,65a000000000000000000001,01234567-89ab-cdef-0123-456789abcdef,01234,Paris,48.85,"line one\r\nline two"\r\n' +
    '2,"Bob, Jr.",,2,3000000001,1.25,FALSE,2001-03-04T05:06:07Z,65a000000000000000000002,01234567-89ab-cdef-0123-456789abcdee,90210,Oslo,59.9,"say ""hi"""\r\n';

  it('infers a type per column, shows it in the preview, lets the person override it, and builds nested documents', async () => {
    const file = path.join(dir, 'people.csv');
    await writeFile(file, csv);
    const seen: Prompt[] = [];
    const { done, prompts } = await importFile(file, {}, (prompt) => {
      seen.push(prompt);
      if (prompt.kind === 'form' && prompt.title === 'Import settings')
        return { coll: 'people', conflict: 'abort', onError: 'stop', ignoreEmpty: true };
      if (prompt.kind === 'report') return seen.filter((p) => p.kind === 'report').length === 1 ? 'types' : 'start';
      if (prompt.kind === 'form' && prompt.title === 'Column types') {
        const fields = prompt.fields as Array<{ id: string; label: string; value?: string }>;
        return Object.fromEntries(fields.map((f) => [f.id, f.label.startsWith('score') ? 'decimal' : f.value]));
      }
      return undefined;
    });
    expect(done.state, done.summary).toBe('succeeded');
    expect(prompts.map((p) => p.kind)).toEqual(['form', 'report', 'form', 'report']);
    const report = prompts[1] as Extract<Prompt, { kind: 'report' }>;
    const typesNote = report.notes.map((n) => n.text).join(' ');
    expect(typesNote).toContain(
      'id: int, name: string, age: int, score: double, big: long, price: decimal, active: bool, born: date, ref: objectId, key: uuid, zip: string',
    );
    expect(report.rows[0]).toMatchObject({ '#': '2', c1: 'Ann' });
    const second = prompts[3] as Extract<Prompt, { kind: 'report' }>;
    expect(second.notes.map((n) => n.text).join(' ')).toContain('score: decimal (changed)');

    const [ann, bob] = await docs('people');
    expect(ann.id).toEqual(new Int32(1));
    expect(ann.score).toEqual(Decimal128.fromString('1.5'));
    expect(ann.big).toEqual(Long.fromString('3000000000'));
    expect(ann.price).toEqual(Decimal128.fromString('12.345678901234567890'));
    expect(ann.active).toBe(true);
    expect(ann.born).toEqual(new Date('1990-01-02T00:00:00Z'));
    expect(ann.ref).toEqual(new ObjectId('65a000000000000000000001'));
    expect((ann.key as { sub_type: number }).sub_type).toBe(4);
    expect(new UUID((ann.key as { buffer: Uint8Array }).buffer).toString()).toBe(
      '01234567-89ab-cdef-0123-456789abcdef',
    );
    expect(ann.zip).toBe('01234');
    expect(ann.address).toEqual({ city: 'Paris', geo: { lat: new Double(48.85) } });
    expect(ann.note).toBe('line one\r\nline two');
    expect(bob.name).toBe('Bob, Jr.');
    expect('age' in bob).toBe(false); // empty cell left out (ignoreEmpty)
    expect(bob.active).toBe(false);
    expect(bob.note).toBe('say "hi"');
  });

  it('TSV with a types preset; a cell that does not fit its type is a bad row: logged with its line when continuing', async () => {
    const file = path.join(dir, 'scores.tsv');
    await writeFile(file, 'name\tscore\nA\t1\nB\tnot-a-number\nC\t3\nD\t4\t5\n');
    const { done } = await importFile(file, { coll: 'scores', types: 'score:int', onError: 'continue' });
    expect(done.state, done.summary).toBe('succeeded');
    expect(stat(done, 'Documents imported')).toBe('2');
    expect(stat(done, 'Bad rows (not imported)')).toBe('2');
    const log = stat(done, 'Error log')!;
    const text = await readFile(log, 'utf8');
    expect(text).toContain(`${file}, line 3: column "score" (int): "not-a-number" is not a whole number`);
    expect(text).toContain(`${file}, line 5: 3 cells, but the header has 2 columns`);
    expect(done.summary).toContain(log);
  });

  it('stops at the first bad row by default, saying what was imported before it', async () => {
    const file = path.join(dir, 'stop.csv');
    await writeFile(file, 'n\n1\n2\nx\n4\n');
    const { done } = await importFile(file, { coll: 'stop', types: 'n:int' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${file}, line 4: column "n" (int): "x" is not a whole number`);
    expect(done.summary).toMatch(/2 documents before it are in .*stop/);
    expect(await mongo.client.db(db).collection('stop').countDocuments()).toBe(2);
  });
});

describe('JSON inputs', () => {
  it('JSON Lines with CRLF, a BOM, blank lines and relaxed Extended JSON; a bad line is logged with its number', async () => {
    const file = path.join(dir, 'events.jsonl');
    await writeFile(
      file,
      '\ufeff{"_id":1,"at":{"$date":"2024-01-02T03:04:05Z"},"n":{"$numberLong":"7"}}\r\n\r\n{"_id":2,"x":1.5}\r\n{"_id":3,oops}\r\n{"_id":4}',
    );
    const { done } = await importFile(file, { coll: 'events', onError: 'continue' });
    expect(done.state, done.summary).toBe('succeeded');
    const got = await docs('events');
    expect(got.map((d) => Number(d._id))).toEqual([1, 2, 4]);
    expect(got[0].at).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(got[0].n).toEqual(Long.fromNumber(7));
    expect(got[1].x).toEqual(new Double(1.5));
    expect(await readFile(stat(done, 'Error log')!, 'utf8')).toContain(`${file}, line 4: not a valid JSON document`);
  });

  it('a document the target refuses (a duplicate _id) is a bad row: logged with its line when continuing, named when stopping', async () => {
    const file = path.join(dir, 'dups.jsonl');
    await writeFile(file, '{"_id":1,"v":"a"}\n{"_id":2,"v":"b"}\n{"_id":1,"v":"again"}\n{"_id":3,"v":"c"}\n');
    const { done } = await importFile(file, { coll: 'dups', onError: 'continue' });
    expect(done.state, done.summary).toBe('succeeded');
    expect(stat(done, 'Documents imported')).toBe('3');
    expect(stat(done, 'Bad rows (not imported)')).toBe('1');
    expect(await readFile(stat(done, 'Error log')!, 'utf8')).toContain(
      `${file}, line 3: document _id 1 was refused by the target (code 11000)`,
    );
    expect((await docs('dups')).map((d) => [Number(d._id), d.v])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);

    const stopped = await importFile(file, { coll: 'dups_stop' });
    expect(stopped.done.state).toBe('failed');
    expect(stopped.done.summary).toContain(`${file}, line 3: document _id 1 was refused by the target (code 11000)`);
    expect(stopped.done.summary).toMatch(/Stopped there: 3 documents are in .*dups_stop/);
  });

  it('truncated JSON: names the line and column, says it is truncated and how many documents were imported', async () => {
    const file = path.join(dir, 'truncated.json');
    const items = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ _id: i, v: 'x'.repeat(20) }));
    await writeFile(file, `[\n${items.join(',\n')},\n{"_id": 3000, "v": "x`);
    const { done } = await importFile(file, { coll: 'truncated' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${file}, line 3002, column`);
    expect(done.summary).toMatch(/truncated/);
    expect(done.summary).toMatch(/after element 3000/);
    const count = await mongo.client.db(db).collection('truncated').countDocuments();
    expect(done.summary).toContain(`${count.toLocaleString('en-US')} documents had been imported before it stopped`);
  });

  it('invalid UTF-8 is refused with its line number', async () => {
    const file = path.join(dir, 'latin1.csv');
    await writeFile(
      file,
      Buffer.concat([Buffer.from('name\nok\n'), Buffer.from([0x43, 0x61, 0x66, 0xe9]), Buffer.from('\n')]),
    );
    const { done } = await importFile(file, { coll: 'latin1' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${file}, line 3: byte 0xe9 is not valid UTF-8`);
  });

  it('invalid UTF-8 after the first megabyte is found while streaming, with its line', async () => {
    const file = path.join(dir, 'late.jsonl');
    const lines = Array.from({ length: 40_000 }, (_, i) => `{"_id":${i},"v":"${'y'.repeat(30)}"}`).join('\n');
    await writeFile(
      file,
      Buffer.concat([Buffer.from(`${lines}\n{"_id":"bad","v":"`), Buffer.from([0xff]), Buffer.from('"}\n')]),
    );
    const { done } = await importFile(file, { coll: 'late' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${file}, line 40001: byte 0xff is not valid UTF-8`);
  });

  it('a 10 MB single line in JSON Lines stops with a clear error instead of filling memory', async () => {
    const file = path.join(dir, 'long.jsonl');
    await writeFile(file, `{"_id":1}\n{"_id":2,"blob":"${'z'.repeat(10 * 1024 * 1024)}"}\n`);
    const { done } = await importFile(file, { coll: 'long', format: 'ndjson' });
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${file}, line 2: the line is longer than 8 MB without a line break`);
  });

  it('a binary file named .json is refused before anything is written, saying what it looks like', async () => {
    const file = path.join(dir, 'dump.json');
    const { BSON } = await import('mongodb');
    await writeFile(file, Buffer.concat([BSON.serialize({ _id: 1, a: 'x' }), BSON.serialize({ _id: 2 })]));
    const { done } = await importFile(file, { coll: 'binary' });
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /this is not a text file .*It looks like BSON \(mongodump output\): rename it to \.bson/,
    );
    expect(await mongo.client.db(db).listCollections({ name: 'binary' }).toArray()).toEqual([]);
  });

  it('refuses to import into a collection that already has documents unless told what to do', async () => {
    const file = path.join(dir, 'again.jsonl');
    await writeFile(file, '{"_id":1}\n{"_id":2}\n');
    expect((await importFile(file, { coll: 'again' })).done.state).toBe('succeeded');
    const refused = await importFile(file, { coll: 'again' });
    expect(refused.done.state).toBe('failed');
    expect(refused.done.summary).toContain('already holds documents');
    const skipped = await importFile(file, { coll: 'again', conflict: 'skip' });
    expect(skipped.done.state, skipped.done.summary).toBe('succeeded');
    expect(stat(skipped.done, 'Already there (kept)')).toBe('2');
  });
});

describe('mongodump folders', () => {
  it('with "abort", a taken collection anywhere in the dump stops it before anything is written', async () => {
    const folder = path.join(dir, 'dump-taken');
    await mkdir(folder, { recursive: true });
    const bsonOf = (docs: object[]) => Buffer.concat(docs.map((d) => BSON.serialize(d)));
    await writeFile(path.join(folder, 'first.bson'), bsonOf([{ _id: 1 }, { _id: 2 }]));
    await writeFile(path.join(folder, 'second.bson'), bsonOf([{ _id: 3 }]));
    await mongo.client
      .db(db)
      .collection('second')
      .insertOne({ _id: 'theirs' as never });
    const { done } = await importFile(folder);
    expect(done.state).toBe('failed');
    expect(done.summary).toContain(`${db}.second already holds documents. Nothing was imported.`);
    expect(await mongo.client.db(db).collection('first').countDocuments()).toBe(0);
  });

  it('.bson documents go in as they are; one without _id gets one; a refused or malformed one is a bad row with its place', async () => {
    const file = path.join(dir, 'mixed.bson');
    const broken = Buffer.from([12, 0, 0, 0, 0x02, 0x61, 0x00, 0xff, 0xff, 0xff, 0x7f, 0x00]); // a string longer than the document
    const docs = [
      BSON.serialize({ _id: 1, n: new Int32(1) }),
      BSON.serialize({ v: 'no id' }),
      BSON.serialize({ _id: 1, n: 'again' }),
      broken,
      BSON.serialize({ _id: 2, d: new Double(2) }),
    ];
    await writeFile(file, Buffer.concat(docs));
    const { done } = await importFile(file, { coll: 'mixed', onError: 'continue' });
    expect(done.state, done.summary).toBe('succeeded');
    expect(stat(done, 'Documents imported')).toBe('3');
    expect(stat(done, 'Bad rows (not imported)')).toBe('2');
    const log = await readFile(stat(done, 'Error log')!, 'utf8');
    const offset = (i: number) => docs.slice(0, i).reduce((sum, d) => sum + d.length, 0);
    expect(log).toContain(
      `${file}, document 3 (byte ${offset(2)}): document _id 1 was refused by the target (code 11000)`,
    );
    expect(log).toContain(`${file}, document 4 (byte ${offset(3)}): not valid BSON`);
    const stored = (await mongo.client
      .db(db)
      .collection('mixed')
      .find({}, { raw: true })
      .toArray()) as unknown as Uint8Array[];
    const hex = stored.map((raw) => Buffer.from(raw).toString('hex'));
    expect(hex).toContain(docs[0].toString('hex'));
    expect(hex).toContain(docs[4].toString('hex'));
    expect(await mongo.client.db(db).collection('mixed').countDocuments({ v: 'no id' })).toBe(1);
  });

  it('the oplog.bson of mongodump --oplog beside the database folder is not imported as a collection, and the job says so', async () => {
    const folder = path.join(dir, 'dump-oplog');
    await mkdir(path.join(folder, 'shop'), { recursive: true });
    await writeFile(path.join(folder, 'oplog.bson'), BSON.serialize({ ts: 1, op: 'n', o: {} }));
    await writeFile(
      path.join(folder, 'shop', 'orders_oplog.bson'),
      Buffer.concat([BSON.serialize({ _id: 1 }), BSON.serialize({ _id: 2 })]),
    );
    const { done } = await importFile(folder);
    expect(done.state, done.summary).toBe('succeeded');
    expect(await mongo.client.db(db).collection('orders_oplog').countDocuments()).toBe(2);
    expect(await mongo.client.db(db).listCollections({ name: 'oplog' }).toArray()).toEqual([]);
    expect(done.warnings.join('\n')).toContain('oplog.bson: the oplog written by mongodump --oplog is not replayed');
  });
});

describe('resume', () => {
  /** An NDJSON file's import into `coll`, stopping at the first bad row. */
  const ndjsonImport = (file: string, coll: string, batchDocs: number) => ({
    uri: mongo.uri,
    db,
    sources: [{ file, format: 'ndjson' as const, gzip: false, coll }],
    conflict: 'abort' as const,
    onError: 'stop' as const,
    ignoreEmpty: false,
    maxLineBytes: 1 << 20,
    batchDocs,
    errorLog: path.join(dir, `${coll}.log`),
  });
  /** Runs it; cancelled once `stopAfter` records were asked about (the engine asks before each record). */
  const run = (request: ReturnType<typeof ndjsonImport>, stopAfter = Infinity) => {
    let asked = 0;
    return runImport(
      request,
      { phase: () => undefined, source: () => undefined, warn: () => undefined },
      { isCancelled: () => ++asked > stopAfter, whenRunnable: async () => undefined },
    );
  };

  it('an interrupted import carries on from its checkpoint: every row exactly once, _ids given to rows without one are stable', async () => {
    const file = path.join(dir, 'resume.jsonl');
    await writeFile(file, Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ n: i })).join('\n'));
    const request = ndjsonImport(file, 'resume', 500);
    // Cancelled after about 2,200 records: deterministic, whatever the machine's speed.
    const first = await run(request, 2_200);
    expect(first.cancelled).toBe(true);
    const partial = await mongo.client.db(db).collection('resume').countDocuments();
    expect(partial).toBeGreaterThanOrEqual(2_000);
    expect(partial).toBeLessThan(5_000);
    // As after a crash between a write and its checkpoint: the checkpoint is one batch behind the target.
    const moved = await mongo.client
      .db('__cutover')
      .collection('imports')
      .updateOne({ file, state: 'importing' }, { $inc: { index: -500, docs: -500 }, $unset: { offset: '', line: '' } });
    expect(moved.modifiedCount).toBe(1);
    const second = await run(request);
    expect(second.resumed).toBe(true);
    expect(second.sources[0].docs).toBe(5_000);
    const all = await mongo.client
      .db(db)
      .collection('resume')
      .find({}, { sort: { _id: 1 } })
      .toArray();
    expect(all).toHaveLength(5_000);
    expect(all.map((d) => d.n)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
  });

  it("a crash anywhere inside the checkpoint's lease resumes with every row once, none of its own writes taken for duplicates", async () => {
    const file = path.join(dir, 'lease.jsonl');
    await writeFile(file, Array.from({ length: 6_000 }, (_, i) => JSON.stringify({ _id: i, n: i })).join('\n'));
    const request = ndjsonImport(file, 'lease', 250);
    const first = await run(request, 1_700);
    expect(first.cancelled).toBe(true);
    const imports = mongo.client.db('__cutover').collection('imports');
    const saved = await imports.findOne({ file, state: 'importing' });
    expect(saved?.leaseEnd).toBeGreaterThan(saved?.index);
    const written = await mongo.client.db(db).collection('lease').countDocuments();
    expect(written).toBeGreaterThan(1_000);
    // As if the process had died just after the lease was first taken: the checkpoint says nothing was
    // acknowledged, while the target holds everything written since (all within the lease).
    expect(written).toBeLessThanOrEqual(saved!.leaseEnd);
    await imports.updateOne(
      { _id: saved!._id },
      { $set: { index: 0, docs: 0, bad: 0, skipped: 0, logBytes: 0, logRows: 0 }, $unset: { offset: '', line: '' } },
    );
    const second = await run(request);
    expect(second.resumed).toBe(true);
    expect(second.sources[0].bad).toBe(0);
    expect(second.sources[0].docs).toBe(6_000);
    expect(await mongo.client.db(db).collection('lease').countDocuments()).toBe(6_000);
  });
});

// /dev/full answers every write with ENOSPC, as a full disk does.
describe.skipIf(!existsSync('/dev/full'))('an error log on a full disk', () => {
  it('does not stop the import: every good row is in, the bad rows are counted and the first listed, a warning says why', async () => {
    const file = path.join(dir, 'many-bad.jsonl');
    await writeFile(
      file,
      Array.from({ length: 3_000 }, (_, i) => (i % 2 ? `{"_id":${i}}` : `{"_id":${i},oops}`)).join('\n'),
    );
    const warnings: string[] = [];
    const request = {
      uri: mongo.uri,
      db,
      sources: [{ file, format: 'ndjson' as const, gzip: false, coll: 'many_bad' }],
      conflict: 'abort' as const,
      onError: 'continue' as const,
      ignoreEmpty: false,
      maxLineBytes: 1 << 20,
      batchDocs: 500,
      errorLog: '/dev/full',
    };
    const outcome = await runImport(
      request,
      { phase: () => undefined, source: () => undefined, warn: (m) => warnings.push(m) },
      { isCancelled: () => false, whenRunnable: async () => undefined },
    );
    expect(outcome.sources[0]).toMatchObject({ docs: 1_500, bad: 1_500, status: 'done' });
    expect(outcome.errorCount).toBe(1_500);
    expect(outcome.firstErrors[0]).toContain(`${file}, line 1: not a valid JSON document`);
    expect(outcome.errorLog).toBeUndefined();
    expect(warnings.join('\n')).toMatch(
      /The error log \/dev\/full could not be written \(.*ENOSPC.*\): the first 20 bad rows are listed in the result/,
    );
    expect(await mongo.client.db(db).collection('many_bad').countDocuments()).toBe(1_500);
  });
});
