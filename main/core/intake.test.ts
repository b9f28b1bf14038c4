import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';
import { describe, expect, it } from 'vitest';
import { compassEncrypt, compassExport } from '../../testkit/compass/export-fixture';
import { writeCutoverFile } from './connection-files/cutover-file';
import { classifyFile } from './connection-files/classify';
import { intakeFile, intakeText } from './intake';

const SPECIAL = 'p@ss:w/rd%';
const UNICODE = 'pässwörd-密码-🔑';
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'cutover-intake-'));
const uris = (found: { entries: Array<{ uri?: string }> }) => found.entries.map((e) => e.uri);
const passwordOf = (uri: string | undefined) =>
  decodeURIComponent(new ConnectionString(uri!.replace(/^postgres:/, 'mongodb:')).password);

describe('plain text and .env connection files', () => {
  it('reads one connection string per line, ignoring comments and blank lines', async () => {
    const result = await intakeText(
      '/tmp/handover.txt',
      '# from Sam\n\nmongodb://a:1/\r\n  postgres://u@h/db  \n// old\n',
    );
    expect(result.fileName).toBe('handover.txt');
    expect(result.format).toBe('text');
    expect(result.entries.map((e) => [e.where, e.kind])).toEqual([
      ['line 3', 'mongodb'],
      ['line 4', 'postgres'],
    ]);
    expect(result.errors).toEqual([]);
  });

  it('reads .env variables whose values are connection strings', async () => {
    const result = await intakeText(
      '.env',
      'PORT=3000\nMONGO_URL="mongodb://u:p@db:27017/app"\nexport PG_URL=postgres://x@y/z\nSOCIAL=@alice@social.example\n',
    );
    expect(result.format).toBe('env');
    expect(result.entries.map((e) => e.name)).toEqual(['MONGO_URL', 'PG_URL', 'SOCIAL']);
  });

  it('names the file and line of a bad connection string, and keeps the good ones', async () => {
    const result = await intakeText('list.txt', 'mongodb://good:1/\nmongodb://\npostgres://h:99999/x\n');
    expect(result.entries.filter((e) => e.uri)).toHaveLength(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^list\.txt line 2: Invalid MongoDB connection string/),
      expect.stringMatching(/^list\.txt line 3: /),
    ]);
  });

  it('keeps special characters in passwords exactly', async () => {
    const encoded = encodeURIComponent(SPECIAL);
    const result = await intakeText(
      'x.txt',
      `mongodb://u:${encoded}@h:27017/\npostgres://u:${encodeURIComponent(UNICODE)}@h/db\n`,
    );
    expect(passwordOf(result.entries[0].uri)).toBe(SPECIAL);
    expect(passwordOf(result.entries[1].uri)).toBe(UNICODE);
  });
});

describe('which files are connection files', () => {
  it('tells connection files, data files and binary files apart from the head alone', () => {
    expect(classifyFile('a.cutover', '{"type":"Cutover Connections"')).toMatchObject({
      category: 'connection-file',
      format: 'cutover',
    });
    expect(classifyFile('export.json', '{\n  "type": "Compass Connections",')).toMatchObject({
      category: 'connection-file',
      format: 'compass',
    });
    expect(classifyFile('people.json', '[{"a":1}]')).toMatchObject({ category: 'data-file', dataFormat: 'json' });
    expect(classifyFile('events', '{"a":1}\n{"a":2}\n')).toMatchObject({ category: 'data-file', dataFormat: 'ndjson' });
    expect(classifyFile('people.csv', 'name,email\nAda,ada@example.com\n')).toMatchObject({
      category: 'data-file',
      dataFormat: 'csv',
    });
    expect(classifyFile('.env', 'A=1\n')).toMatchObject({ category: 'connection-file', format: 'env' });
    expect(classifyFile('uris.txt', 'mongodb://h/\n')).toMatchObject({ category: 'connection-file', format: 'text' });
    expect(classifyFile('x.bin', 'ab\u0000cd')).toMatchObject({ category: 'unknown' });
  });

  it('tells data files (for the files provider) from connection files', async () => {
    const json = await intakeText('data.json', '[{"a":1}]');
    expect(json).toMatchObject({ category: 'data-file', dataFormat: 'json', errors: [] });
    expect(await intakeText('people.csv', 'name,uri\nAda,mongodb://h/\n')).toMatchObject({
      category: 'data-file',
      dataFormat: 'csv',
    });
    expect(await intakeText('dump.bson', '\u0010\u0000\u0000\u0000')).toMatchObject({
      category: 'data-file',
      dataFormat: 'bson',
    });
    expect((await intakeText('x.bin', 'ab\u0000cd')).errors[0]).toMatch(/x\.bin: not a connection file \(it is binary/);
    expect((await intakeText('notes.txt', 'hello there\n')).errors).toEqual([
      'notes.txt: not a connection file (no connection string found in it).',
    ]);
  });
});

describe('MongoDB Compass exports', () => {
  const withPassword = `mongodb://ada:${encodeURIComponent(SPECIAL)}@db1.example.net:27017,db2.example.net:27018/shop?replicaSet=rs0&authSource=admin`;

  it('reads a plain export (canonical EJSON) with names from favorite.name', async () => {
    const text = compassExport([
      { connectionString: withPassword, favoriteName: 'Shop (prod)' },
      { connectionString: 'mongodb+srv://cluster0.example.net/?tls=true' },
    ]);
    expect(text).toContain('"$numberInt": "1"');
    const result = await intakeText('compass-export.json', text);
    expect(result.format).toBe('compass');
    expect(result.errors).toEqual([]);
    expect(result.entries.map((e) => e.name)).toEqual(['Shop (prod)', undefined]);
    expect(passwordOf(result.entries[0].uri)).toBe(SPECIAL);
    expect(result.entries[1].uri).toBe('mongodb+srv://cluster0.example.net/?tls=true');
  });

  it('keeps favourites and last use: a favourite (old exports) or savedConnectionType "favorite" (new ones), lastUsed in milliseconds', async () => {
    const used = new Date('2024-06-30T08:15:00Z');
    const text = compassExport([
      {
        connectionString: 'mongodb://a.example/',
        favoriteName: 'Old favourite',
        favoriteColor: 'color5',
        lastUsed: used,
      },
      {
        connectionString: 'mongodb://b.example/',
        favoriteName: 'New favourite',
        savedConnectionType: 'favorite',
        lastUsed: null,
      },
      { connectionString: 'mongodb://c.example/', favoriteName: 'Recent', savedConnectionType: 'recent' },
      { connectionString: 'mongodb://d.example/' },
    ]);
    const result = await intakeText('compass-export.json', text);
    expect(result.errors).toEqual([]);
    expect(result.entries.map((e) => [e.name, e.favourite, e.lastUsed])).toEqual([
      ['Old favourite', true, used.getTime()],
      ['New favourite', true, undefined],
      ['Recent', undefined, Date.UTC(2025, 0, 1)],
      [undefined, undefined, Date.UTC(2025, 0, 1)],
    ]);
    // A last use that is not a date is left out, not an error.
    const odd = JSON.parse(compassExport([{ connectionString: 'mongodb://e.example/' }]));
    odd.connections[0].lastUsed = 'yesterday';
    const [oddEntry] = (await intakeText('odd.json', JSON.stringify(odd))).entries;
    expect(oddEntry).toMatchObject({ uri: 'mongodb://e.example/' });
    expect(oddEntry).not.toHaveProperty('lastUsed');
  });

  it('reads a passphrase-protected export: asks for the passphrase, refuses a wrong one, opens with the right one', async () => {
    const text = compassExport(
      [
        {
          connectionString: 'mongodb://ada@db.example.net:27017/?tls=true&tlsCertificateKeyFile=%2Fkeys%2Fada.pem',
          favoriteName: 'Ada',
          secrets: { password: encodeURIComponent(SPECIAL), tlsCertificateKeyFilePassword: UNICODE },
        },
        {
          connectionString: 'mongodb://bob@db.example.net:27017/',
          favoriteName: 'Bob',
          secrets: { password: encodeURIComponent(UNICODE) },
        },
      ],
      { passphrase: 'correct horse' },
    );
    const locked = await intakeText('protected.json', text);
    expect(locked.needsPassphrase).toBe(true);
    expect(locked.errors).toEqual([]);
    expect(locked.entries.map((e) => e.uri)).toEqual([
      'mongodb://ada@db.example.net:27017/?tls=true&tlsCertificateKeyFile=%2Fkeys%2Fada.pem',
      'mongodb://bob@db.example.net:27017/',
    ]);

    const wrong = await intakeText('protected.json', text, { passphrase: 'wrong horse' });
    expect(wrong.needsPassphrase).toBe(true);
    expect(wrong.errors).toEqual([
      'protected.json: wrong passphrase: the encrypted secrets could not be opened with it.',
    ]);

    const open = await intakeText('protected.json', text, { passphrase: 'correct horse' });
    expect(open.needsPassphrase).toBeUndefined();
    expect(open.errors).toEqual([]);
    expect(passwordOf(open.entries[0].uri)).toBe(SPECIAL);
    expect(
      new URL(open.entries[0].uri!.replace('mongodb:', 'http:')).searchParams.get('tlsCertificateKeyFilePassword'),
    ).toBe(UNICODE);
    expect(passwordOf(open.entries[1].uri)).toBe(UNICODE);
  });

  it('names unsupported versions, corrupt and truncated files, bad entries and SSH tunnels', async () => {
    expect(
      (await intakeText('v2.json', compassExport([{ connectionString: 'mongodb://h/' }], { version: 2 }))).errors,
    ).toEqual(['v2.json: unsupported Compass export version 2 (Cutover reads version 1).']);
    const good = compassExport([{ connectionString: 'mongodb://h/' }]);
    expect((await intakeText('cut.json', good.slice(0, good.length / 2))).errors[0]).toMatch(
      /^cut\.json: it ends too early \(the file is truncated\)\.$/,
    );
    expect((await intakeText('bad.json', good.replace('"connections": [', '"connections": [,'))).errors[0]).toMatch(
      /^bad\.json: corrupt JSON at line \d+, column \d+/,
    );
    const mixed = await intakeText(
      'mixed.json',
      compassExport([
        { connectionString: 'mongodb://ok/' },
        { connectionString: 'http://nope/', favoriteName: 'Web' },
        { connectionString: 'mongodb://h/', favoriteName: 'Tunnel', sshTunnel: { host: 'bastion', port: 22 } },
      ]),
    );
    expect(mixed.entries.filter((e) => e.uri)).toHaveLength(1);
    expect(mixed.errors).toEqual([
      expect.stringMatching(/^mixed\.json entry 2 \("Web"\): "http:" is not a connection type/),
      'mixed.json entry 3 ("Tunnel"): it connects through an SSH tunnel, which Cutover cannot use yet',
    ]);
  });

  it('refuses encrypted secrets of an unknown version or truncated', async () => {
    const base = JSON.parse(
      compassExport([{ connectionString: 'mongodb://u@h/', secrets: { password: 'x' } }], { passphrase: 'pw' }),
    );
    base.connections[0].connectionSecrets = compassEncrypt('{"secrets":{}}', 'pw', 0x0002);
    expect((await intakeText('v.json', JSON.stringify(base), { passphrase: 'pw' })).errors).toEqual([
      'v.json entry 1: the encrypted secrets use an unsupported version (0x0002; Cutover reads 0x0001)',
    ]);
    base.connections[0].connectionSecrets = 'AAEC';
    expect((await intakeText('t.json', JSON.stringify(base), { passphrase: 'pw' })).errors[0]).toMatch(
      /t\.json entry 1: the encrypted secrets are truncated/,
    );
  });
});

describe('Cutover connection files', () => {
  const entries = [
    {
      name: 'Shop',
      kind: 'mongodb',
      publicUri: 'mongodb://ada@db.example.net:27017/shop',
      secrets: { password: SPECIAL },
      favourite: true,
    },
    {
      name: 'Reports',
      kind: 'postgres',
      publicUri: 'postgres://bob@pg.example.net:5432/reports?sslmode=require',
      secrets: { password: UNICODE, options: { sslpassword: 'k3y' } },
    },
    { name: 'Social', kind: 'versia', publicUri: 'versia://alice@social.example', secrets: { password: 'tok-123' } },
  ];

  it('exports without secrets: nothing secret in the file, connections still readable', async () => {
    const text = await writeCutoverFile(entries);
    for (const secret of [SPECIAL, encodeURIComponent(SPECIAL), UNICODE, encodeURIComponent(UNICODE), 'k3y', 'tok-123'])
      expect(text).not.toContain(secret);
    const result = await intakeText('team.cutover', text);
    expect(result.errors).toEqual([]);
    expect(result.needsPassphrase).toBeUndefined();
    expect(uris(result)).toEqual(entries.map((e) => e.publicUri));
    expect(result.entries[0]).toMatchObject({ name: 'Shop', favourite: true, kind: 'mongodb' });
  });

  it('exports with a passphrase: secrets encrypted, restored exactly with the right passphrase only', async () => {
    const text = await writeCutoverFile(entries, { passphrase: 'a long passphrase' });
    for (const secret of [SPECIAL, encodeURIComponent(SPECIAL), UNICODE, 'k3y', 'tok-123'])
      expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({
      type: 'Cutover Connections',
      version: 1,
      secrets: 'encrypted',
      encryption: { cipher: 'aes-256-gcm', kdf: 'scrypt' },
    });
    expect((await intakeText('t.cutover', text)).needsPassphrase).toBe(true);
    const wrong = await intakeText('t.cutover', text, { passphrase: 'not it' });
    expect(wrong.errors).toEqual(['t.cutover: wrong passphrase: the encrypted secrets could not be opened with it.']);
    const open = await intakeText('t.cutover', text, { passphrase: 'a long passphrase' });
    expect(open.errors).toEqual([]);
    expect(passwordOf(open.entries[0].uri)).toBe(SPECIAL);
    expect(passwordOf(open.entries[1].uri)).toBe(UNICODE);
    expect(new URL(open.entries[1].uri!).searchParams.get('sslpassword')).toBe('k3y');
    expect(open.entries[2].uri).toBe('versia://alice:tok-123@social.example');
  });

  it('detects entries changed after encryption (the secrets are bound to them)', async () => {
    const text = (await writeCutoverFile(entries, { passphrase: 'a long passphrase' })).replace(
      'db.example.net',
      'evil.example.net',
    );
    expect((await intakeText('t.cutover', text, { passphrase: 'a long passphrase' })).errors[0]).toMatch(
      /wrong passphrase/,
    );
  });

  it('names unsupported versions, corrupt, truncated and invalid files and entries', async () => {
    const text = await writeCutoverFile(entries);
    expect((await intakeText('new.cutover', text.replace('"version": 1', '"version": 2'))).errors).toEqual([
      'new.cutover: unsupported version 2: it was written by a newer Cutover (this one reads version 1).',
    ]);
    expect((await intakeText('cut.cutover', text.slice(0, 100))).errors).toEqual([
      'cut.cutover: it ends too early (the file is truncated).',
    ]);
    expect((await intakeText('bad.cutover', text.replace('"connections": [', '"connections": [}'))).errors[0]).toMatch(
      /^bad\.cutover: corrupt JSON at line \d+, column \d+/,
    );
    expect((await intakeText('other.cutover', '{"hello": 1}')).errors[0]).toMatch(
      /^other\.cutover: not a Cutover connection file/,
    );
    const broken = JSON.parse(text);
    broken.connections[1].uri = 'postgres://';
    broken.connections[2] = { name: 'No uri' };
    const result = await intakeText('broken.cutover', JSON.stringify(broken));
    expect(result.entries.map((e) => !!e.uri)).toEqual([true, false, false]);
    expect(result.errors).toEqual([
      expect.stringMatching(/^broken\.cutover entry 2 \("Reports"\): /),
      expect.stringMatching(/^broken\.cutover entry 3 \("No uri"\): uri: /),
    ]);
  });
});

describe('files from disk', () => {
  it('reads files and refuses missing, oversized and folder paths with their names', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'one.txt'), 'mongodb://127.0.0.1:27017/\n');
    expect((await intakeFile(path.join(dir, 'one.txt'))).entries).toHaveLength(1);
    await writeFile(
      path.join(dir, 'team.cutover'),
      await writeCutoverFile([{ name: 'A', kind: 'mongodb', publicUri: 'mongodb://a/', secrets: {} }]),
    );
    expect((await intakeFile(path.join(dir, 'team.cutover'))).entries.map((e) => e.name)).toEqual(['A']);
    expect((await intakeFile(path.join(dir, 'missing.txt'))).errors[0]).toMatch(
      /missing\.txt: cannot open \(the file does not exist\)/,
    );
    expect((await intakeFile(dir)).errors[0]).toMatch(/cannot open \(it is a folder\)/);
    await writeFile(path.join(dir, 'huge.txt'), Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect((await intakeFile(path.join(dir, 'huge.txt'))).errors[0]).toMatch(
      /huge\.txt: not a connection file \(11\.0 MB is far larger/,
    );
  });

  it('reads a file larger than the sniffed head in full', async () => {
    const dir = await tmp();
    const lines = Array.from({ length: 3000 }, (_, i) => `mongodb://host${i}.example.net:27017/db${i}`).join('\n');
    await writeFile(path.join(dir, 'many.txt'), lines);
    expect(lines.length).toBeGreaterThan(64 * 1024);
    const result = await intakeFile(path.join(dir, 'many.txt'));
    expect(result.entries).toHaveLength(3000);
    expect(result.entries[2999].uri).toBe('mongodb://host2999.example.net:27017/db2999');
  });

  it('rejects a 50 MB garbage file quickly, reading only its head', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'garbage.cutover');
    const handle = await open(file, 'w');
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < 50; i++) await handle.write(chunk);
    await handle.close();
    global.gc?.();
    const before = process.memoryUsage();
    const started = performance.now();
    const result = await intakeFile(file);
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    expect(result.errors).toEqual(['garbage.cutover: not a connection file (it is binary, not text).']);
    expect(elapsed).toBeLessThan(500);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(40 * 1024 * 1024);
    console.log(
      `50 MB garbage: rejected in ${elapsed.toFixed(1)} ms, arrayBuffers +${((after.arrayBuffers - before.arrayBuffers) / 1024).toFixed(0)} KB, rss +${((after.rss - before.rss) / 1024 / 1024).toFixed(1)} MB`,
    );
    // A 50 MB text file of the right kind is refused by size, also without reading it.
    const text = path.join(dir, 'big.txt');
    await writeFile(text, Buffer.alloc(50 * 1024 * 1024, 'mongodb://h/\n'));
    const t0 = performance.now();
    expect((await intakeFile(text)).errors[0]).toMatch(/big\.txt: not a connection file \(50\.0 MB/);
    expect(performance.now() - t0).toBeLessThan(500);
    expect((await readFile(file)).length).toBe(50 * 1024 * 1024);
  });
});
