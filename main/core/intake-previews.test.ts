/** The intake's preview → choose → commit flow through the core's dispatcher, with a data folder on disk. */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntakeResult, SavedConnection } from '../../preload/contract';
import { startMongoTestServer } from '../../testkit/mongo/index';
import { createCore } from './app-core';
import { compassExport } from '../../testkit/compass/export-fixture';
import type { HostDialogs } from './host-dialogs';

async function coreInTemp(hostDialogs?: HostDialogs) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-previews-'));
  const core = createCore({
    providers: [],
    shell: 'browser',
    version: 'test',
    dataDir,
    connectTimeoutMs: 2_000,
    hostDialogs,
  });
  const events: Array<[string, unknown]> = [];
  core.onEvent((name, payload) => events.push([name, payload]));
  async function call<T>(name: string, payload: unknown): Promise<T> {
    const outcome = await core.dispatch(name, payload);
    if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
    return outcome.value as T;
  }
  return { core, dataDir, events, call };
}

describe('importing connection files', () => {
  it('previews, flags duplicates, saves only the chosen entries and announces the change', async () => {
    const { call, events, dataDir } = await coreInTemp();
    await call('connections.saved.add', { uri: 'mongodb://ada:old@db.example:27017/shop', name: 'Shop' });
    const result = await call<IntakeResult>('intake.content', {
      fileName: 'team.txt',
      text: 'mongodb://ada:n3w%40pw@DB.example/shop?tls=true\npostgres://bob:pw@pg.example/reports\nmysql://\n',
    });
    expect(result.connections).toEqual([]);
    const entries = result.preview!.entries;
    expect(entries.map((e) => [e.where, e.redactedUri, e.duplicateOf?.name, !!e.error])).toEqual([
      ['line 1', 'mongodb://ada:****@DB.example/shop?tls=true', 'Shop', false],
      ['line 2', 'postgres://bob:****@pg.example/reports', undefined, false],
      ['line 3', undefined, undefined, true],
    ]);
    expect(result.errors).toEqual([expect.stringMatching(/^team\.txt line 3: /)]);
    expect(JSON.stringify(result)).not.toContain('n3w');

    // An unusable entry makes the whole commit fail, and nothing is saved.
    await expect(
      call('intake.commit', {
        previewId: result.preview!.previewId,
        entryIds: [entries[1].entryId, entries[2].entryId],
      }),
    ).rejects.toThrow(/bad_request: team\.txt line 3 cannot be imported/);
    expect(await call<SavedConnection[]>('connections.saved.list', {})).toHaveLength(1);

    const { saved } = await call<{ saved: SavedConnection[] }>('intake.commit', {
      previewId: result.preview!.previewId,
      entryIds: [entries[1].entryId],
    });
    expect(saved.map((s) => s.name)).toEqual(['pg.example']);
    expect((await call<SavedConnection[]>('connections.saved.list', {})).map((s) => s.name)).toEqual([
      'pg.example',
      'Shop',
    ]);
    expect(events.filter(([name]) => name === 'connections.savedChanged').at(-1)?.[1]).toHaveLength(2);
    expect(await readFile(path.join(dataDir, 'connections.json'), 'utf8')).not.toMatch(/old|"pw"|:pw@/);
    // A committed preview is gone.
    await expect(call('intake.commit', { previewId: result.preview!.previewId, entryIds: [] })).rejects.toThrow(
      /not_found/,
    );
  });

  it('imports a Compass export with its favourites and last use, kept in the data folder', async () => {
    const { call, core, dataDir } = await coreInTemp();
    const used = new Date('2024-06-30T08:15:00Z');
    const text = compassExport([
      { connectionString: 'mongodb://ada@db.example/shop', favoriteName: 'Shop', lastUsed: used },
      {
        connectionString: 'mongodb://bob@db.example/crm',
        favoriteName: 'CRM (recent)',
        savedConnectionType: 'recent',
        lastUsed: null,
      },
    ]);
    const result = await call<IntakeResult>('intake.content', { fileName: 'compass.json', text });
    const ids = result.preview!.entries.map((e) => e.entryId);
    await call('intake.commit', { previewId: result.preview!.previewId, entryIds: ids });
    const expected = [
      { name: 'Shop', favourite: true, lastUsed: used.getTime() },
      { name: 'CRM (recent)', favourite: false },
    ];
    const listed = await call<SavedConnection[]>('connections.saved.list', {});
    expect(listed).toMatchObject(expected);
    expect(listed[1].lastUsed).toBeUndefined();
    await core.shutdown();
    // Read back from connections.json by a new core.
    const again = createCore({ providers: [], shell: 'browser', version: 'test', dataDir });
    expect(await again.saved.list()).toMatchObject(expected);
    await again.shutdown();
  });

  it('asks for the passphrase of a protected Compass export before importing it', async () => {
    const { call, core } = await coreInTemp();
    const text = compassExport(
      [{ connectionString: 'mongodb://ada@db.example/', favoriteName: 'Ada', secrets: { password: 'p%40ss' } }],
      { passphrase: 'open sesame' },
    );
    const locked = await call<IntakeResult>('intake.content', { fileName: 'compass.json', text });
    expect(locked.preview).toMatchObject({ format: 'compass', needsPassphrase: true });
    const previewId = locked.preview!.previewId;
    await expect(call('intake.commit', { previewId, entryIds: [locked.preview!.entries[0].entryId] })).rejects.toThrow(
      /enter its passphrase/,
    );
    const wrong = await call<IntakeResult>('intake.unlock', { previewId, passphrase: 'nope' });
    expect(wrong.errors).toEqual([
      'compass.json: wrong passphrase: the encrypted secrets could not be opened with it.',
    ]);
    const open = await call<IntakeResult>('intake.unlock', { previewId, passphrase: 'open sesame' });
    expect(open.preview).toMatchObject({
      previewId,
      needsPassphrase: false,
      entries: [{ name: 'Ada', redactedUri: 'mongodb://ada:****@db.example/' }],
    });
    const { saved } = await call<{ saved: SavedConnection[] }>('intake.commit', {
      previewId,
      entryIds: [open.preview!.entries[0].entryId],
    });
    expect(await core.saved.uriOf(saved[0].id)).toBe('mongodb://ada:p%40ss@db.example/');
  });

  it('exports to .cutover and imports it back, secrets encrypted with the passphrase', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-export-'));
    // The host (not the window) says where and agrees to export the secrets.
    const first = await coreInTemp({
      where: 'in the test',
      chooseFile: async ({ defaultName }) => ({ path: path.join(outDir, defaultName!) }),
      confirmReplace: async () => false,
      confirm: async () => true,
    });
    const a = await first.call<SavedConnection>('connections.saved.add', {
      uri: 'postgres://bob:s%C3%A9cr%C3%A9t%2F%25@pg.example/reports',
      name: 'Reports',
      favourite: true,
    });
    const written = await first.call<{ fileName?: string }>('connections.saved.export', {
      ids: [a.id],
      passphrase: 'long enough',
    });
    expect(written).toEqual({ fileName: 'Reports.cutover' });
    const file = { fileName: written.fileName!, content: await readFile(path.join(outDir, written.fileName!), 'utf8') };
    expect(file.content).not.toContain('cr%C3%A9t');
    const second = await coreInTemp();
    const locked = await second.call<IntakeResult>('intake.content', { fileName: file.fileName, text: file.content });
    const open = await second.call<IntakeResult>('intake.unlock', {
      previewId: locked.preview!.previewId,
      passphrase: 'long enough',
    });
    const { saved } = await second.call<{ saved: SavedConnection[] }>('intake.commit', {
      previewId: open.preview!.previewId,
      entryIds: open.preview!.entries.map((e) => e.entryId),
    });
    expect(saved[0]).toMatchObject({ name: 'Reports', favourite: true });
    expect(decodeURIComponent(new URL(await second.core.saved.uriOf(saved[0].id)).password)).toBe('sécrét/%');
    await expect(second.call('connections.saved.export', { ids: [saved[0].id] })).rejects.toThrow(
      /bad_request: Exporting needs a Save dialog on the host side/,
    );
  });

  it('connects a saved connection by id and records when it was last used', async () => {
    const server = await startMongoTestServer({ auth: { users: [{ user: 'ada', password: 'p@ss:w/rd%' }] } });
    try {
      const { call } = await coreInTemp();
      const saved = await call<SavedConnection>('connections.saved.add', {
        uri: `mongodb://ada:${encodeURIComponent('p@ss:w/rd%')}@127.0.0.1:${server.port}/?authSource=admin`,
        name: 'Local',
      });
      expect(saved.lastUsed).toBeUndefined();
      expect(await call('connections.saved.test', { id: saved.id })).toMatchObject({ ok: true });
      const opened = await call<{ id: string; savedId?: string; name: string }>('connections.saved.connect', {
        id: saved.id,
      });
      expect(opened).toMatchObject({ savedId: saved.id, name: 'Local' });
      const [after] = await call<SavedConnection[]>('connections.saved.list', {});
      expect(after.lastUsed).toBeGreaterThan(Date.now() - 10_000);
      expect(
        (await call<{ databases: unknown[] }>('connections.browse', { connectionId: opened.id })).databases,
      ).toBeDefined();
    } finally {
      await server.stop();
    }
  });
});
