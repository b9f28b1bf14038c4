/**
 * What a file is, from its name and first megabyte (detect.ts), table by table over small files written
 * here: JSON (array or documents one after another), JSON Lines, the Extended JSON flavour, CSV/TSV and
 * the delimiter, gzip, BSON with its metadata, mongodump folders (collections, views, what is left out),
 * overrides, and the files refused with what to do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BSON } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { SNIFF_BYTES, detectDelimiter, detectFile, looksLikeBson, type Detection, type Overrides } from './detect';
import { InputError } from './formats';
import { tempDir } from './test-helpers';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('detect');
});

const bson = (...docs: object[]) => Buffer.concat(docs.map((d) => Buffer.from(BSON.serialize(d))));
const metadata = (options: object, type?: string) =>
  JSON.stringify({ indexes: [], options, ...(type ? { type } : {}) });

async function write(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

describe('files that are recognised', () => {
  const cases: Array<{ name: string; content: string | Buffer; overrides?: Overrides; expected: Partial<Detection> }> =
    [
      {
        name: 'array.json',
        content: '[{"a":1},\n{"a":2}]\n',
        expected: { format: 'json', jsonArray: true, flavour: 'plain', gzip: false },
      },
      {
        name: 'concatenated.json',
        content: '{\n  "a": 1\n}\n{\n  "a": 2\n}\n',
        expected: { format: 'json', jsonArray: false },
      },
      { name: 'lines.json', content: '{"a":1}\n{"a":2}\n', expected: { format: 'ndjson', jsonArray: false } },
      { name: 'lines.jsonl', content: '{"a":1}\n', expected: { format: 'ndjson' } },
      { name: 'no-extension', content: '  [{"a":1}]', expected: { format: 'json', jsonArray: true } },
      {
        name: 'canonical.ndjson',
        content: '{"n":{"$numberLong":"5"}}\n',
        expected: { format: 'ndjson', flavour: 'canonical' },
      },
      {
        name: 'relaxed.ndjson',
        content: '{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"n":5}\n',
        expected: { format: 'ndjson', flavour: 'relaxed' },
      },
      { name: 'comma.csv', content: 'a,b,c\n1,2,3\n4,5,6\n', expected: { format: 'csv', delimiter: ',' } },
      { name: 'semicolon.csv', content: 'a;b;c\n1;"2,5";3\n4;5;6\n', expected: { format: 'csv', delimiter: ';' } },
      { name: 'pipe.txt', content: 'a|b\n1|2\n', expected: { format: 'csv', delimiter: '|' } },
      { name: 'tabs.csv', content: 'a\tb\n1\t2\n', expected: { format: 'tsv', delimiter: '\t' } },
      { name: 'table.tsv', content: 'a,b\tc\n1,2\t3\n', expected: { format: 'tsv', delimiter: '\t' } },
      { name: 'one-column.csv', content: 'name\nAnn\n', expected: { format: 'csv', delimiter: ',' } },
      { name: 'bom.csv', content: '\ufeffa,b\n1,2\n', expected: { format: 'csv', delimiter: ',' } },
      {
        name: 'packed.csv.gz',
        content: gzipSync('a;b\n1;2\n'),
        expected: { format: 'csv', delimiter: ';', gzip: true },
      },
      { name: 'lines.jsonl.gz', content: gzipSync('{"a":1}\n'), expected: { format: 'ndjson', gzip: true } },
      {
        name: 'forced.txt',
        content: 'a;b\n1;2\n',
        overrides: { delimiter: ',' },
        expected: { format: 'csv', delimiter: ',' },
      },
      {
        name: 'forced-tsv.txt',
        content: 'a,b\n1,2\n',
        overrides: { format: 'tsv' },
        expected: { format: 'tsv', delimiter: '\t' },
      },
      {
        name: 'forced-json.txt',
        content: '{"a":1}\n{"a":2}\n',
        overrides: { format: 'json' },
        expected: { format: 'json', jsonArray: false },
      },
    ];
  it.each(cases)('$name', async ({ name, content, overrides, expected }) => {
    const file = await write(name, content);
    const detection = await detectFile(file, overrides);
    expect(detection).toMatchObject({ file, sampleCut: false, ...expected });
    expect(detection.size).toBe(Buffer.byteLength(content));
  });

  it('a .bson file is BSON, named after the file, with the metadata file beside it', async () => {
    const file = await write('dump1/people.bson', bson({ _id: 1 }, { _id: 2 }));
    const meta = await write('dump1/people.metadata.json', metadata({}));
    const detection = await detectFile(file);
    expect(detection).toMatchObject({
      format: 'bson',
      collections: [{ file, coll: 'people', gzip: false, metadataFile: meta }],
    });
  });

  it('a file longer than the sample is cut at its last line break, and says so', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const file = await write('long.csv', `h\n${line.repeat(Math.ceil(SNIFF_BYTES / line.length) + 10)}`);
    const detection = await detectFile(file);
    expect(detection.sampleCut).toBe(true);
    expect(detection.sample.length).toBeLessThanOrEqual(SNIFF_BYTES);
    expect(detection.sample[detection.sample.length - 1]).toBe(10);
  });
});

describe('mongodump folders', () => {
  it('collections (sorted, gzip or not, with their metadata), views, and what is left out with why', async () => {
    const root = path.join(dir, 'dump-a');
    await write('dump-a/b.bson.gz', gzipSync(bson({ _id: 1 })));
    await write('dump-a/a.bson', bson({ _id: 1 }));
    await write('dump-a/a.metadata.json', metadata({}));
    await write('dump-a/recent.metadata.json', metadata({ viewOn: 'a', pipeline: [] }, 'view'));
    await write('dump-a/lonely.metadata.json', metadata({}));
    await write('dump-a/weather.metadata.json', metadata({ timeseries: { timeField: 't' } }, 'timeseries'));
    await write('dump-a/system.views.bson', bson({ _id: 'x' }));
    const detection = await detectFile(root);
    expect(detection.format).toBe('mongodump');
    expect(detection.gzip).toBe(true);
    expect(
      detection.collections?.map((c) => [c.coll, c.gzip, c.metadataFile ? path.basename(c.metadataFile) : undefined]),
    ).toEqual([
      ['a', false, 'a.metadata.json'],
      ['b', true, undefined],
    ]);
    expect(detection.views).toEqual([
      { coll: 'recent', metadataFile: path.join(root, 'recent.metadata.json'), viewOn: 'a' },
    ]);
    expect(detection.dumpNotes).toHaveLength(2);
    expect(detection.dumpNotes?.join('\n')).toMatch(
      /lonely\.metadata\.json has no lonely\.bson beside it and is not a view/,
    );
    expect(detection.dumpNotes?.join('\n')).toMatch(/time-series collection weather.*restore it with mongorestore/);
  });

  it('the folder mongodump wrote above one database folder (admin left out); oplog.bson beside it is noted, not imported', async () => {
    await write('dump-b/shop/orders.bson', bson({ _id: 1 }));
    await write('dump-b/admin/system.version.bson', bson({ _id: 1 }));
    await write('dump-b/oplog.bson', bson({ ts: 1 }));
    const detection = await detectFile(path.join(dir, 'dump-b'));
    expect(detection.collections?.map((c) => c.coll)).toEqual(['orders']);
    expect(detection.dumpNotes?.join('\n')).toMatch(/oplog written by mongodump --oplog is not replayed/);
  });

  it.each([
    {
      name: 'several databases',
      files: ['dump-c/one/a.bson', 'dump-c/two/b.bson'],
      folder: 'dump-c',
      message: /holds the dumps of several databases \(one, two\): choose one of its folders/,
    },
    {
      name: 'no dump at all',
      files: ['dump-d/readme.txt'],
      folder: 'dump-d',
      message: /no \.bson or \.metadata\.json files here: this is not a mongodump output folder/,
    },
  ])('refused: $name', async ({ files, folder, message }) => {
    for (const f of files) await write(f, f.endsWith('.bson') ? bson({ _id: 1 }) : 'hello');
    await expect(detectFile(path.join(dir, folder))).rejects.toThrow(message);
  });

  it('a folder with a format other than mongodump is refused', async () => {
    await write('dump-e/a.bson', bson({ _id: 1 }));
    await expect(detectFile(path.join(dir, 'dump-e'), { format: 'csv' })).rejects.toThrow(
      /is a folder: only a mongodump folder can be imported from a folder/,
    );
  });
});

describe('files refused, with what to do', () => {
  const cases: Array<{ name: string; content: string | Buffer; overrides?: Overrides; message: RegExp }> = [
    { name: 'empty.csv', content: '', message: /the file is empty/ },
    { name: 'utf16.csv', content: Buffer.from([0xff, 0xfe, 0x61, 0x00]), message: /UTF-16 text\. Save it as UTF-8/ },
    {
      name: 'latin1.csv',
      content: Buffer.concat([Buffer.from('a,b\nok,1\ncaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]),
      message: /line 3: byte 0xe9 is not valid UTF-8/,
    },
    {
      name: 'dump.json',
      content: bson({ _id: 1 }),
      message: /not a text file \(byte \d+ is a NUL byte\)\. It looks like BSON/,
    },
    {
      name: 'binary.csv',
      content: Buffer.from([0x61, 0x00, 0x62, 0x63, 0x64, 0x65]),
      message: /NUL byte\)\. Choose a JSON, JSON Lines, CSV\/TSV or BSON file/,
    },
    {
      name: 'table.json',
      content: 'a,b\n1,2\n',
      message: /a \.json file should start with \[ or \{, but it starts with "a,b/,
    },
    {
      name: 'array.jsonl',
      content: '[{"a":1}]',
      overrides: { format: 'ndjson' },
      message: /one JSON array, not JSON Lines: choose the format JSON/,
    },
    {
      name: 'text.txt',
      content: 'hello',
      overrides: { format: 'json' },
      message: /this is not JSON \(it starts with "hello"\)/,
    },
    { name: 'text.bson', content: 'not bson at all', message: /this is not BSON/ },
    {
      name: 'broken.csv.gz',
      content: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]),
      message: /the gzip data is damaged \(unexpected end of file\)/,
    },
  ];
  it.each(cases)('$name', async ({ name, content, overrides, message }) => {
    const file = await write(`bad/${name}`, content);
    const error = await detectFile(file, overrides).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
  });

  it('a file that is not there says so, naming it', async () => {
    const missing = path.join(dir, 'nope.csv');
    await expect(detectFile(missing)).rejects.toThrow(
      new InputError(`${missing}: no such file or folder. Check the path (it is read on the machine running Cutover).`),
    );
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b\n1;2\n3;4', ';'],
    ['a\tb\n1\t2', '\t'],
    ['a|b|c\n1|2|3', '|'],
    ['"x,y";b\n"1,2";3', ';'],
    ['a;b,c;d\n1;2,3;4\n5;6,7;8', ';'],
    ['single\ncolumn', ','],
  ])('%j → %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it('uses the fallback when nothing splits the lines', () => {
    expect(detectDelimiter('one\ntwo', '\t')).toBe('\t');
  });
});

describe('looksLikeBson', () => {
  it.each([
    ['one document', bson({ a: 1 }), true],
    ['an empty document', bson({}), true],
    ['text', Buffer.from('{"a":1}'), false],
    ['too short', Buffer.from([5, 0, 0]), false],
    ['a length that is not a document end', Buffer.from([8, 0, 0, 0, 0x10, 0x61, 0x00, 0x07]), false],
    ['an unknown element type', Buffer.from([5, 0, 0, 0, 0x20]), false],
  ])('%s: %s', (_name, sample, expected) => {
    expect(looksLikeBson(sample)).toBe(expected);
  });
});
