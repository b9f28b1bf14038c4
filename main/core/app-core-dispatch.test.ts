/**
 * The core driven through its one entry point, `dispatch`, exactly as the window drives it: payloads
 * validated, the provider registry, and data files dropped on the window (intake).
 */
import { describe, expect, it } from 'vitest';
import { createCore } from './app-core';
import { parseConnectionString } from './connection-string';
import { coreWith, ok, provider } from './app-core-test-helpers';

describe('dispatch validates every payload', () => {
  const { core } = coreWith([provider({})]);

  it('rejects unknown calls and malformed payloads with a typed error, never a crash', async () => {
    expect(await core.dispatch('nope', {})).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Unknown call "nope".' },
    });
    expect(await core.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const bad = await core.dispatch('connections.open', { uri: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('uri') } });
    expect(await core.dispatch('jobs.cancel', null)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await core.dispatch('shell.openExternal', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('answers app.info', async () => {
    expect(ok(await core.dispatch('app.info', {}))).toMatchObject({ version: '1.2.3', shell: 'browser' });
  });

  it('turns a wrong connection string into a clear bad_request', async () => {
    expect(await core.dispatch('connections.open', { uri: 'http://example.com' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('not a connection type') },
    });
  });

  it('reports an unknown connection as not found', async () => {
    expect(await core.dispatch('connections.browse', { connectionId: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('provider registry semantics', () => {
  it('rejects duplicate provider ids', () => {
    expect(() => coreWith([provider({ id: 'x' }), provider({ id: 'x' })])).toThrow(/already registered/);
  });

  it('enforces the provider allowlist on the host side', () => {
    expect(() =>
      createCore({
        providers: [provider({ id: 'not-allowed' })],
        shell: 'browser',
        version: '0',
        providerAllowlist: new Set(['ok']),
      }),
    ).toThrow(/allowlist/);
  });

  it('offers only providers that fit the connection, with a reason for the rest', async () => {
    const { core } = coreWith([
      provider({ id: 'pg', appliesTo: ['postgres'] }),
      provider({
        id: 'mongo',
        appliesTo: ['mongodb'],
        unavailableReason: (c) => (c.databaseName ? undefined : 'Select a database first.'),
      }),
    ]);
    // A connection kept for this run without contacting the server (files are previewed, not opened).
    const conn = { connections: [core.connections.add(parseConnectionString('mongodb://127.0.0.1:1/'))] };
    const connectionId = conn.connections[0].id;
    const list = ok<Array<{ id: string; available: boolean; unavailableReason?: string }>>(
      await core.dispatch('providers.list', { context: { connectionId } }),
    );
    expect(list.find((p) => p.id === 'pg')).toMatchObject({
      available: false,
      unavailableReason: expect.stringContaining('PostgreSQL'),
    });
    expect(list.find((p) => p.id === 'mongo')).toMatchObject({
      available: false,
      unavailableReason: 'Select a database first.',
    });
    const withDb = ok<Array<{ id: string; available: boolean }>>(
      await core.dispatch('providers.list', { context: { connectionId, databaseName: 'shop' } }),
    );
    expect(withDb.find((p) => p.id === 'mongo')?.available).toBe(true);
    expect(await core.dispatch('jobs.start', { providerId: 'pg', context: { connectionId } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('marks actions that need authentication when the connection has none', async () => {
    const { core } = coreWith([
      provider({
        getAvailableActions: async () => [
          { id: 'a', label: 'A', requiresAuthentication: true },
          { id: 'b', label: 'B' },
        ],
      }),
    ]);
    const connections = [core.connections.add(parseConnectionString('postgres://h/db'))];
    const { actions } = ok<{ actions: Array<{ id: string; disabledReason?: string }> }>(
      await core.dispatch('providers.actions', { providerId: 'p', context: { connectionId: connections[0].id } }),
    );
    expect(actions[0].disabledReason).toMatch(/credentials/);
    expect(actions[1].disabledReason).toBeUndefined();
    expect(
      await core.dispatch('jobs.start', {
        providerId: 'p',
        actionId: 'a',
        context: { connectionId: connections[0].id },
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('credentials') } });
    expect(
      await core.dispatch('jobs.start', {
        providerId: 'p',
        actionId: 'zzz',
        context: { connectionId: connections[0].id },
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('no action "zzz"') } });
  });
});

describe('intake of data files', () => {
  it('hands a dropped data file to the files provider as a private copy, and says when no provider reads a format', async () => {
    const { readFile } = await import('node:fs/promises');
    const { core } = coreWith([provider({})]);
    const dropped = ok<{ category?: string; errors: string[]; dataFile?: { dropId: string; format: string } }>(
      await core.dispatch('intake.content', { fileName: 'people.ndjson', text: '{"a":1}\n{"a":2}\n' }),
    );
    expect(dropped.category).toBe('data-file');
    expect(dropped.errors).toEqual([]);
    // The window gets a drop id; the path of the private copy stays on the main side.
    expect(dropped.dataFile).toEqual({ dropId: expect.any(String), format: 'ndjson' });
    const sheet = ok<{ errors: string[]; dataFile?: unknown }>(
      await core.dispatch('intake.content', { fileName: 'budget.xlsx', text: 'PK\u0003\u0004' }),
    );
    expect(sheet.dataFile).toBeUndefined();
    expect(sheet.errors).toEqual(['budget.xlsx: not a connection file, and no provider imports XLSX files yet.']);

    // With a data folder that is new (no drops/ yet), the copy goes there.
    const os = await import('node:os');
    const path = await import('node:path');
    const { mkdtemp } = await import('node:fs/promises');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-drops-'));
    const withData = createCore({ providers: [provider({})], shell: 'browser', version: '0', dataDir });
    const kept = ok<{ errors: string[]; dataFile?: { dropId: string } }>(
      await withData.dispatch('intake.content', { fileName: 'people.ndjson', text: '{"a":1}\n' }),
    );
    expect(kept.errors).toEqual([]);
    const { readdir } = await import('node:fs/promises');
    const [copyDir] = await readdir(path.join(dataDir, 'drops'));
    expect(await readFile(path.join(dataDir, 'drops', copyDir, 'people.ndjson'), 'utf8')).toBe('{"a":1}\n');
  });
});
