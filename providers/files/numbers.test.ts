/**
 * Plain JSON numbers keep what the literal says (JSON arrays, documents one after another, JSON Lines,
 * and the preview), as mongoimport does; declared Extended JSON types are kept; JSON nested deeper than
 * MongoDB stores is refused with that said. Where mongoimport is built (MONGO_TOOLS_BIN or
 * /tmp/mongo-tools/bin), the same file imported by both must give the same types.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import type { Prompt } from '../../preload/contract';
import { keepNumberLiterals, numberFromLiteral } from './json-numbers';
import { importFileInto, stat, tempDir } from './test-helpers';

const db = `cutover_files_num_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('numbers');
});

const importFile = (file: string, presets: Record<string, string> = {}, onPrompt?: (p: Prompt) => unknown) =>
  importFileInto({ uri: mongo.uri, db, dataDir: dir }, file, presets, onPrompt);

/** Each field's BSON type and value as text, from the stored bytes. */
async function typesOf(coll: string, dbName = db): Promise<Array<Record<string, string>>> {
  const docs = await mongo.client
    .db(dbName)
    .collection(coll)
    .find({}, { promoteValues: false, sort: { _id: 1 } })
    .toArray();
  return docs.map((doc) =>
    Object.fromEntries(
      Object.entries(doc)
        .filter(([k]) => k !== '_id')
        .map(([k, v]) => [k, typed(v)]),
    ),
  );
}

function typed(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(typed).join(',')}]`;
  const t = (v as { _bsontype?: string })?._bsontype;
  if (t === 'Double')
    return `Double ${Object.is((v as { value: number }).value, -0) ? '-0' : (v as { value: number }).value}`;
  if (t) return `${t} ${String(v)}`;
  if (v instanceof Date) return `Date ${v.toISOString()}`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${typed(x)}`)
      .join(', ')}}`;
  return `${typeof v} ${String(v)}`;
}

/** One document of every kind of literal, and what mongoimport makes of each. */
const LITERALS =
  '"a":10.0,"b":0.0,"c":1e3,"d":9007199254740993,"e":2147483648,"f":2147483647,"g":-0,"h":-0.0,"i":99999999999999999999,"j":1.5,"k":-2147483649,"l":9223372036854775807,"m":9223372036854775808,"n":1E2,"o":[1,2.0,3e0],"p":{"q":-9223372036854775808,"r":7}';
const EXPECTED = {
  a: 'Double 10',
  b: 'Double 0',
  c: 'Double 1000',
  d: 'Long 9007199254740993',
  e: 'Long 2147483648',
  f: 'Int32 2147483647',
  g: 'Int32 0',
  h: 'Double -0',
  i: 'Double 100000000000000000000',
  j: 'Double 1.5',
  k: 'Long -2147483649',
  l: 'Long 9223372036854775807',
  m: 'Double 9223372036854776000',
  n: 'Double 100',
  o: '[Int32 1,Double 2,Double 3]',
  p: '{q: Long -9223372036854775808, r: Int32 7}',
};

describe('number literals', () => {
  it('map to the type the literal says', () => {
    expect(numberFromLiteral('10.0')).toEqual({ $numberDouble: '10.0' });
    expect(numberFromLiteral('1.5')).toBe(1.5);
    expect(numberFromLiteral('12')).toBe(12);
    expect(numberFromLiteral('-0')).toEqual({ $numberInt: '0' });
    expect(numberFromLiteral('9007199254740993')).toEqual({ $numberLong: '9007199254740993' });
    expect(numberFromLiteral('-9223372036854775809')).toEqual({ $numberDouble: '-9223372036854775809' });
  });

  it('a JSON text is rewritten only where JavaScript would change a number, never inside strings or under $ keys', () => {
    const plain = '{"a":1,"b":"10.0 and 9007199254740993","c":[1.5,-2]}';
    expect(keepNumberLiterals(plain)).toBe(plain);
    expect(keepNumberLiterals('{"a":10.0,"s":"x\\"1.0","d":{"$date":1700000000000},"e":1e3}')).toBe(
      '{"a":{"$numberDouble":"10.0"},"s":"x\\"1.0","d":{"$date":1700000000000},"e":{"$numberDouble":"1e3"}}',
    );
  });
});

describe('plain JSON numbers keep what the literal says', () => {
  it.each([
    ['a JSON array', 'array.json', `[{"_id":1,${LITERALS}}]`],
    ['documents one after another', 'stream.json', `{"_id":1,\n${LITERALS}}\n\n  {"_id":2,\n${LITERALS}}`],
    ['JSON Lines', 'lines.jsonl', `{"_id":1,${LITERALS}}\n{"_id":2,${LITERALS}}\n`],
  ])('%s', async (_label, name, text) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    const coll = name.replace('.', '_');
    const { done } = await importFile(file, { coll });
    expect(done.state, done.summary).toBe('succeeded');
    for (const doc of await typesOf(coll)) expect(doc).toEqual(EXPECTED);
  });

  it('declared Extended JSON types are kept as declared', async () => {
    const file = path.join(dir, 'declared.jsonl');
    const line =
      '{"_id":1,"l":{"$numberLong":"10"},"d":{"$numberDouble":"10"},"i":{"$numberInt":"10"},"m":{"$numberDecimal":"10.0"},"big":{"$numberLong":"9007199254740993"},"at":{"$date":{"$numberLong":"1700000000000"}},"ts":{"$timestamp":{"t":4000000000,"i":2}}}';
    await writeFile(file, `${line}\n`);
    await writeFile(path.join(dir, 'declared.json'), `[${line}]`);
    for (const [f, coll] of [
      [file, 'declared_lines'],
      [path.join(dir, 'declared.json'), 'declared_array'],
    ]) {
      const { done } = await importFile(f, { coll });
      expect(done.state, done.summary).toBe('succeeded');
      expect((await typesOf(coll))[0]).toEqual({
        l: 'Long 10',
        d: 'Double 10',
        i: 'Int32 10',
        m: 'Decimal128 10.0',
        big: 'Long 9007199254740993',
        at: 'Date 2023-11-14T22:13:20.000Z',
        ts: expect.stringMatching(/^Timestamp /),
      });
    }
  });

  it('the preview shows a large integer exactly', async () => {
    for (const [name, text] of [
      ['preview.jsonl', '{"n":9007199254740993,"x":10.0}\n'],
      ['preview.json', '[{"n":9007199254740993,"x":10.0}]'],
    ]) {
      const file = path.join(dir, name);
      await writeFile(file, text);
      const { prompts } = await importFile(file, {}, (prompt) =>
        prompt.kind === 'form'
          ? Object.fromEntries((prompt.fields as Array<{ id: string; value?: unknown }>).map((f) => [f.id, f.value]))
          : 'start',
      );
      const report = prompts.find((p) => p.kind === 'report') as Extract<Prompt, { kind: 'report' }>;
      expect(report.rows[0].doc).toContain('9007199254740993');
      expect(report.rows[0].doc).not.toContain('9007199254740992');
    }
  });
});

describe('numbers that are not in a document', () => {
  it('are bad rows, as before', async () => {
    const file = path.join(dir, 'scalars.json');
    await writeFile(file, '[{"_id":1}, 10.0, 9007199254740993, {"_id":2}]');
    const { done } = await importFile(file, { coll: 'scalars', onError: 'continue' });
    expect(done.state, done.summary).toBe('succeeded');
    expect(stat(done, 'Documents imported')).toBe('2');
    expect(stat(done, 'Bad rows (not imported)')).toBe('2');
    expect(done.details?.flatMap((d) => d.items).join('\n')).toContain(
      `${file}, element 2: a document ({…}) was expected, found 10`,
    );
  });
});

describe('nesting', () => {
  const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"b":1}${'}'.repeat(levels - 1)}`;

  it('100 levels import; deeper JSON Lines is a bad row and a deeper JSON array stops, each saying "nested deeper than 100 levels"', async () => {
    const ok = path.join(dir, 'deep-ok.jsonl');
    await writeFile(ok, `${nested(100)}\n`);
    expect((await importFile(ok, { coll: 'deep_ok' })).done.state).toBe('succeeded');

    const lines = path.join(dir, 'deep.jsonl');
    await writeFile(lines, `{"_id":1}\n${nested(101)}\n${nested(50_000)}\n{"_id":4}\n`);
    const { done } = await importFile(lines, { coll: 'deep_lines', onError: 'continue' });
    expect(done.state, done.summary).toBe('succeeded');
    expect(stat(done, 'Bad rows (not imported)')).toBe('2');
    expect(done.summary).not.toContain('call stack');

    const array = path.join(dir, 'deep.json');
    await writeFile(array, `[{"_id":1},${nested(50_000)}]`);
    const stopped = await importFile(array, { coll: 'deep_array' });
    expect(stopped.done.state).toBe('failed');
    expect(stopped.done.summary).toContain(`${array}, element 2: the JSON is nested deeper than 100 levels`);
    expect(stopped.done.summary).not.toContain('call stack');
  });
});

const toolsBin = process.env.MONGO_TOOLS_BIN ?? '/tmp/mongo-tools/bin';
const mongoimport = path.join(toolsBin, 'mongoimport');

describe.skipIf(!existsSync(mongoimport))('side by side with mongoimport', () => {
  it('the same files give the same types', async () => {
    const cases: Array<[string, string, string[]]> = [
      ['side-array.json', `[{"_id":1,${LITERALS}}]`, ['--jsonArray']],
      ['side-lines.jsonl', `{"_id":1,${LITERALS}}\n`, []],
    ];
    for (const [name, text, flags] of cases) {
      const file = path.join(dir, name);
      await writeFile(file, text);
      const coll = name.replace(/[.-]/g, '_');
      await promisify(execFile)(mongoimport, [
        `--uri=${mongo.uri}`,
        '--db',
        `${db}_mi`,
        '--collection',
        coll,
        '--file',
        file,
        ...flags,
      ]);
      const { done } = await importFile(file, { coll });
      expect(done.state, done.summary).toBe('succeeded');
      expect(await typesOf(coll)).toEqual(await typesOf(coll, `${db}_mi`));
    }
  });
});
