import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { intakeFile, intakeText } from './intake';

describe('connection file intake', () => {
  it('reads one connection string per line, ignoring comments and blank lines', () => {
    const result = intakeText('/tmp/handover.txt', '# from Sam\n\nmongodb://a:1/\r\n  postgres://u@h/db  \n// old\n');
    expect(result.fileName).toBe('handover.txt');
    expect(result.found.map((f) => f.parsed.kind)).toEqual(['mongodb', 'postgres']);
    expect(result.errors).toEqual([]);
  });

  it('reads .env variables whose values are connection strings', () => {
    const result = intakeText('.env', 'PORT=3000\nMONGO_URL="mongodb://u:p@db:27017/app"\nexport PG_URL=postgres://x@y/z\n');
    expect(result.found.map((f) => f.name)).toEqual(['MONGO_URL', 'PG_URL']);
  });

  it('names the file and line of a bad connection string', () => {
    const result = intakeText('list.txt', 'mongodb://good:1/\nmongodb://\n');
    expect(result.found).toHaveLength(1);
    expect(result.errors).toEqual([expect.stringMatching(/^list\.txt line 2: Invalid MongoDB connection string/)]);
  });

  it('says clearly when a file holds no connection', () => {
    expect(intakeText('data.json', '[{"a":1}]').errors).toEqual(['data.json: not a connection file (no connection string found in it).']);
    expect(intakeText('x.bin', 'ab\u0000cd').errors[0]).toMatch(/binary/);
  });

  it('reads files from disk and refuses missing and oversized ones quickly', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-intake-'));
    await writeFile(path.join(dir, 'one.txt'), 'mongodb://127.0.0.1:27017/\n');
    expect((await intakeFile(path.join(dir, 'one.txt'))).found).toHaveLength(1);
    expect((await intakeFile(path.join(dir, 'missing.txt'))).errors[0]).toMatch(/missing\.txt: cannot open \(the file does not exist\)/);
    await writeFile(path.join(dir, 'huge.txt'), Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect((await intakeFile(path.join(dir, 'huge.txt'))).errors[0]).toMatch(/huge\.txt: not a connection file/);
  });
});
