/**
 * Reading in the connection-files worker gives exactly what reading in the main thread gives: the same
 * entries in the same order (text and bytes, content over several chunks with characters cut at chunk
 * edges), the same passphrase outcomes, and the same errors naming the line, column or entry. Large
 * content goes to the worker by default; the intake still names the file.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compassExport } from '../../../testkit/compass/export-fixture';
import { intakeFile, intakeText } from '../intake';
import { writeCutoverFile } from './cutover-file';
import { IN_THREAD_MAX, readConnectionFile } from './read-connection-file';
import { ConnectionFileError, type ConnectionFileFormat } from './types';

async function both(format: ConnectionFileFormat, content: string | Uint8Array, passphrase?: string) {
  const [inThread, inWorker] = await Promise.all([
    readConnectionFile(format, content, { passphrase, inWorker: false }),
    readConnectionFile(format, content, { passphrase, inWorker: true }),
  ]);
  expect(inWorker).toEqual(inThread);
  return inWorker;
}

describe('reading a connection file in the worker', () => {
  it('gives the same entries as the main thread, from text and from bytes cut into chunks mid-character', async () => {
    // About 1.9 MB: two chunks, names with two-, three- and four-byte characters all along.
    const entries = Array.from({ length: 12_000 }, (_, i) => ({
      name: `Café ☕ 🚀 ${i}`,
      kind: i % 2 ? 'mongodb' : 'postgres',
      publicUri: i % 2 ? `mongodb://ada@db${i}.example:27017/shop` : `postgres://bob@pg${i}.example/reports`,
      secrets: {},
      favourite: i % 3 === 0,
    }));
    const text = await writeCutoverFile(entries);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024 + 1);
    const fromText = await both('cutover', text);
    const fromBytes = await readConnectionFile('cutover', Buffer.from(text), { inWorker: true });
    expect(fromBytes).toEqual(fromText);
    expect(fromText.entries).toHaveLength(10_000);
    expect(fromText.errors).toEqual(['it holds more than 10,000 connections: only the first 10,000 are read']);
    expect(fromText.entries[9_999]).toMatchObject({
      where: 'entry 10000',
      name: 'Café ☕ 🚀 9999',
      kind: 'mongodb',
      favourite: true,
      redactedUri: 'mongodb://ada@db9999.example:27017/shop',
    });
    expect(fromText.entries[9_999].identity).toBeTruthy();
  }, 120_000);

  it('gives the same text-file entries and line errors, and the same Compass entries with favourites, last use and secrets', async () => {
    const lines = `# team\nPG=postgres://bob:pw@pg.example/reports\nmongodb://\nmongodb://ada:pw@db.example/shop\n`;
    const text = await both('text', lines);
    expect(text.format).toBe('env');
    expect(text.entries.map((e) => [e.where, !!e.error])).toEqual([
      ['line 2', false],
      ['line 3', true],
      ['line 4', false],
    ]);

    const compass = compassExport(
      [
        { connectionString: 'mongodb://ada@db.example/', favoriteName: 'Ada', secrets: { password: 'p%40ss' } },
        { connectionString: 'mongodb://bob@db.example/' },
      ],
      { passphrase: 'open sesame' },
    );
    expect((await both('compass', compass)).needsPassphrase).toBe(true);
    expect((await both('compass', compass, 'wrong')).errors).toEqual([
      'wrong passphrase: the encrypted secrets could not be opened with it',
    ]);
    const open = await both('compass', compass, 'open sesame');
    expect(open.entries.map((e) => [e.uri, e.name, e.favourite, e.lastUsed])).toEqual([
      ['mongodb://ada:p%40ss@db.example/', 'Ada', true, Date.UTC(2025, 0, 1)],
      ['mongodb://bob@db.example/', undefined, undefined, Date.UTC(2025, 0, 1)],
    ]);
  }, 120_000);

  it('fails with the same error naming the line and column of corrupt JSON', async () => {
    const good = await writeCutoverFile([{ name: 'a', kind: 'mongodb', publicUri: 'mongodb://h/', secrets: {} }]);
    const bad = good.replace('"connections": [', '"connections": [,');
    const errors = await Promise.all(
      [false, true].map((inWorker) =>
        readConnectionFile('cutover', bad, { inWorker }).catch((error: unknown) => error),
      ),
    );
    expect(errors[1]).toBeInstanceOf(ConnectionFileError);
    expect((errors[1] as Error).message).toMatch(/^corrupt JSON at line \d+, column \d+$/);
    expect((errors[1] as Error).message).toBe((errors[0] as Error).message);
  }, 60_000);

  it('is where the intake reads large files, from a drop and from disk, and errors still name the file', async () => {
    const padding = `${'#'.repeat(100)}\n`.repeat(Math.ceil(IN_THREAD_MAX / 100));
    const text = `${padding}mongodb://ada:pw@db.example/shop\nnot-a://connection\npostgres://\n`;
    expect(text.length).toBeGreaterThan(IN_THREAD_MAX);
    const dropped = await intakeText('big.txt', text);
    expect(dropped.entries.map((e) => e.where)).toEqual([
      `line ${padding.split('\n').length}`,
      `line ${padding.split('\n').length + 2}`,
    ]);
    expect(dropped.errors).toEqual([
      expect.stringMatching(new RegExp(`^big\\.txt line ${padding.split('\n').length + 2}: `)),
    ]);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-worker-'));
    const file = path.join(dir, 'team.cutover');
    const entries = Array.from({ length: 3_000 }, (_, i) => ({
      name: `c${i}`,
      kind: 'mongodb',
      publicUri: `mongodb://ada@db${i}.example/shop`,
      secrets: {},
    }));
    const cutover = await writeCutoverFile(entries);
    expect(cutover.length).toBeGreaterThan(IN_THREAD_MAX);
    await writeFile(file, cutover.replace('"kind": "mongodb"', '"kind": "mongodb",,'));
    expect((await intakeFile(file)).errors).toEqual([
      expect.stringMatching(/^team\.cutover: corrupt JSON at line \d+, column \d+\.$/),
    ]);
    await writeFile(file, cutover);
    const read = await intakeFile(file);
    expect(read.entries).toHaveLength(3_000);
    // The bytes are kept (for a second reading with a passphrase), not a decoded copy.
    expect(read.content).toBeInstanceOf(Uint8Array);
  }, 120_000);
});
