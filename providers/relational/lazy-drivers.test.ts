/**
 * The PostgreSQL and MySQL drivers load when a relational connection is first used (issue 15): importing
 * the provider loads neither; reading a MariaDB source loads mysql2 only. Checked in a fresh Node process
 * (the drivers are CommonJS: require.cache lists what was loaded).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MYSQL_URL } from './test-helpers';

const root = path.resolve(import.meta.dirname, '../..');

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const drivers = `const { createRequire } = await import('node:module'); const loaded = () => Object.keys(createRequire(import.meta.url).cache).map((f) => (f.match(/[\\\\/]node_modules[\\\\/](pg|mysql2)[\\\\/]/) ?? [])[1]).filter(Boolean);`;

describe('relational drivers', () => {
  it('load only when a connection of their kind is used', async () => {
    const result = await run(`${drivers}
      const { createRelationalProvider } = await import('./providers/relational/index.ts');
      const { openSource } = await import('./providers/relational/source.ts');
      createRelationalProvider();
      const before = [...new Set(loaded())];
      const schema = await openSource('mysql', ${JSON.stringify(MYSQL_URL)}).introspect();
      console.log(JSON.stringify({ before, after: [...new Set(loaded())].sort(), dialect: schema.dialect }));`);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toEqual({
      before: [],
      after: ['mysql2'],
      dialect: 'mysql',
    });
  }, 60_000);
});
