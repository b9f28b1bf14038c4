/**
 * .env connection files are read with dotenv's rules (quotes, trailing comments, `export`), each entry
 * keeping its line number; lines that are not variables are read as plain connection strings.
 */
import { describe, expect, it } from 'vitest';
import { readTextConnections } from './text-file';

describe('.env files', () => {
  it('reads values as dotenv does, and names each entry by its line', async () => {
    const text = [
      '# services',
      'PORT=3000',
      'MAIN="mongodb://ann:pw@db.example:27017/app" # the main database',
      "OLD='mongodb://bob@old.example/app' # moved in May",
      'export PG_URL=postgres://x@pg.example/z # reporting',
      'EMPTY=',
    ].join('\n');
    const result = await readTextConnections(text);
    expect(result.format).toBe('env');
    expect(result.entries.map((e) => [e.where, e.name, e.uri])).toEqual([
      ['line 3', 'MAIN', 'mongodb://ann:pw@db.example:27017/app'],
      ['line 4', 'OLD', 'mongodb://bob@old.example/app'],
      ['line 5', 'PG_URL', 'postgres://x@pg.example/z'],
    ]);
  });

  it('keeps plain lines of connection strings beside variables', async () => {
    const result = await readTextConnections('mongodb://a.example/x\r\nB=mongodb://b.example/y\r\n');
    expect(result.entries.map((e) => [e.where, e.name, e.uri])).toEqual([
      ['line 1', undefined, 'mongodb://a.example/x'],
      ['line 2', 'B', 'mongodb://b.example/y'],
    ]);
  });
});
