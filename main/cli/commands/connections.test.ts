/** `cutover connections …` run as a person would: a real process, a real data folder. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compassExport } from '../../../testkit/compass/export-fixture';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PASSWORD = 'p@ss:w/rd%';
let dataDir: string;
let files: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-connections-'));
  files = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-files-'));
});

function cutover(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), 'connections', ...args],
      { cwd: root, env: { ...process.env, CUTOVER_DATA_DIR: dataDir } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cutover connections', { timeout: 120_000 }, () => {
  it('imports a protected Compass export, lists, skips duplicates, exports and re-imports; never prints secrets', async () => {
    const compass = path.join(files, 'compass.json');
    await writeFile(
      compass,
      compassExport(
        [
          {
            connectionString: 'mongodb://ada@db.example:27017/shop',
            favoriteName: 'Shop',
            secrets: { password: encodeURIComponent(PASSWORD) },
          },
        ],
        { passphrase: 'open sesame' },
      ),
    );

    const locked = await cutover(['import', compass, '--json']);
    expect(locked.code).toBe(1);
    expect(JSON.parse(locked.stdout)).toMatchObject({
      ok: false,
      format: 'compass',
      needsPassphrase: true,
      saved: [],
      errors: ['compass.json: its secrets are encrypted: give --passphrase.'],
    });

    const wrong = await cutover(['import', compass, '--passphrase', 'nope', '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).errors).toEqual([
      'compass.json: wrong passphrase: the encrypted secrets could not be opened with it.',
    ]);

    const imported = await cutover(['import', compass, '--passphrase', 'open sesame', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const out = JSON.parse(imported.stdout);
    expect(out.entries).toEqual([
      {
        where: 'entry 1',
        name: 'Shop',
        kind: 'mongodb',
        host: 'db.example:27017',
        uri: 'mongodb://ada:****@db.example:27017/shop',
      },
    ]);
    expect(out.saved).toHaveLength(1);
    for (const text of [imported.stdout, imported.stderr]) expect(text).not.toContain(encodeURIComponent(PASSWORD));
    expect(await readFile(path.join(dataDir, 'connections.json'), 'utf8')).not.toContain(encodeURIComponent(PASSWORD));

    const again = await cutover(['import', compass, '--passphrase', 'open sesame', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, saved: [], entries: [{ duplicateOf: 'Shop' }] });

    const listed = await cutover(['list', '--json']);
    expect(listed.code).toBe(0);
    const saved = JSON.parse(listed.stdout);
    expect(saved).toEqual([
      expect.objectContaining({
        name: 'Shop',
        kind: 'mongodb',
        redactedUri: 'mongodb://ada:****@db.example:27017/shop',
      }),
    ]);

    const exportFile = path.join(files, 'team.cutover');
    const exported = await cutover(['export', '--all', '--passphrase', 'long enough', '--out', exportFile, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const text = await readFile(exportFile, 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      type: 'Cutover Connections',
      version: 1,
      secrets: 'encrypted',
      connections: [{ name: 'Shop', uri: 'mongodb://ada@db.example:27017/shop' }],
    });
    expect(text).not.toContain(encodeURIComponent(PASSWORD));

    const bare = await cutover(['export', '--id', saved[0].id]);
    expect(JSON.parse(bare.stdout)).toMatchObject({ secrets: 'removed' });
    expect(bare.stdout).not.toContain('encryption');

    const dry = await cutover([
      'import',
      exportFile,
      '--passphrase',
      'long enough',
      '--include-duplicates',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('entry 1: Shop  mongodb://ada:****@db.example:27017/shop  (duplicate of "Shop")');
    expect(dry.stdout).toContain('1 connection(s) would be saved (dry run).');
  });

  it('names bad files and bad arguments', async () => {
    const broken = path.join(files, 'broken.cutover');
    await writeFile(broken, '{"type":"Cutover Connections","version":7,"connections":[]}');
    const run = await cutover(['import', broken]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'broken.cutover: unsupported version 7: it was written by a newer Cutover (this one reads version 1).',
    );
    expect((await cutover(['import'])).code).toBe(2);
    expect((await cutover(['export', '--passphrase', 'short', '--all'])).stderr).toContain('at least 8 characters');
    expect((await cutover(['frobnicate'])).code).toBe(2);
  });
});
