/** `npm run testkit:mongo -- --help` prints the options and exits 0 (it used to say "unknown argument"). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

it('prints its options with --help', () => {
  const out = execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'testkit/mongo/cli.ts', '--', '--help'],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
  expect(out).toMatch(/usage: testkit:mongo/);
  expect(out).toMatch(/--port <port>/);
  expect(out).toMatch(/--user user:password/);
}, 90_000);
