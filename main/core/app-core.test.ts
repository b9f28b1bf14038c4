/**
 * The core driven through its one entry point, `dispatch`, exactly as the window drives it, with
 * small providers written against the public provider API.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, type ActionHost, type MigrationProvider } from '../../providers/api/index';
import type { EventPayload, JobSnapshot, Prompt } from '../../preload/contract';
import { createCore } from './app-core';
import { parseConnectionString } from './connection-string';

function provider(overrides: Partial<MigrationProvider>): MigrationProvider {
  return {
    id: 'p',
    label: 'P',
    description: 'test provider',
    appliesTo: ['mongodb', 'postgres'],
    getAvailableActions: async () => [],
    executeAction: async () => ({ outcome: 'succeeded', summary: 'done' }),
    ...overrides,
  };
}

function coreWith(providers: MigrationProvider[]) {
  const core = createCore({ providers, shell: 'browser', version: '1.2.3', progressThrottleMs: 0 });
  const prompts: Prompt[] = [];
  const updates: JobSnapshot[] = [];
  core.onEvent((name, payload) => {
    if (name === 'job.prompt') prompts.push(payload as EventPayload<'job.prompt'>);
    if (name === 'job.updated') updates.push(payload as JobSnapshot);
  });
  return { core, prompts, updates };
}

const ok = <T>(outcome: { ok: boolean; value?: unknown; error?: unknown }) => {
  if (!outcome.ok) throw new Error(`call failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value as T;
};

async function waitFor<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('dispatch validates every payload', () => {
  const { core } = coreWith([provider({})]);

  it('rejects unknown calls and malformed payloads with a typed error, never a crash', async () => {
    expect(await core.dispatch('nope', {})).toEqual({ ok: false, error: { code: 'bad_request', message: 'Unknown call "nope".' } });
    expect(await core.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const bad = await core.dispatch('connections.open', { uri: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('uri') } });
    expect(await core.dispatch('jobs.cancel', null)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await core.dispatch('shell.openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('answers app.info', async () => {
    expect(ok(await core.dispatch('app.info', {}))).toMatchObject({ version: '1.2.3', shell: 'browser' });
  });

  it('turns a wrong connection string into a clear bad_request', async () => {
    expect(await core.dispatch('connections.open', { uri: 'http://example.com' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('not a connection type') } });
  });

  it('reports an unknown connection as not found', async () => {
    expect(await core.dispatch('connections.browse', { connectionId: 'missing' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('provider registry semantics', () => {
  it('rejects duplicate provider ids', () => {
    expect(() => coreWith([provider({ id: 'x' }), provider({ id: 'x' })])).toThrow(/already registered/);
  });

  it('enforces the provider allowlist on the host side', () => {
    expect(() => createCore({ providers: [provider({ id: 'not-allowed' })], shell: 'browser', version: '0', providerAllowlist: new Set(['ok']) })).toThrow(/allowlist/);
  });

  it('offers only providers that fit the connection, with a reason for the rest', async () => {
    const { core } = coreWith([provider({ id: 'pg', appliesTo: ['postgres'] }), provider({ id: 'mongo', appliesTo: ['mongodb'], unavailableReason: (c) => (c.databaseName ? undefined : 'Select a database first.') })]);
    // A connection kept for this run without contacting the server (files are previewed, not opened).
    const conn = { connections: [core.connections.add(parseConnectionString('mongodb://127.0.0.1:1/'))] };
    const connectionId = conn.connections[0].id;
    const list = ok<Array<{ id: string; available: boolean; unavailableReason?: string }>>(await core.dispatch('providers.list', { context: { connectionId } }));
    expect(list.find((p) => p.id === 'pg')).toMatchObject({ available: false, unavailableReason: expect.stringContaining('PostgreSQL') });
    expect(list.find((p) => p.id === 'mongo')).toMatchObject({ available: false, unavailableReason: 'Select a database first.' });
    const withDb = ok<Array<{ id: string; available: boolean }>>(await core.dispatch('providers.list', { context: { connectionId, databaseName: 'shop' } }));
    expect(withDb.find((p) => p.id === 'mongo')?.available).toBe(true);
    expect(await core.dispatch('jobs.start', { providerId: 'pg', context: { connectionId } })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('marks actions that need authentication when the connection has none', async () => {
    const { core } = coreWith([provider({ getAvailableActions: async () => [{ id: 'a', label: 'A', requiresAuthentication: true }, { id: 'b', label: 'B' }] })]);
    const connections = [core.connections.add(parseConnectionString('postgres://h/db'))];
    const { actions } = ok<{ actions: Array<{ id: string; disabledReason?: string }> }>(await core.dispatch('providers.actions', { providerId: 'p', context: { connectionId: connections[0].id } }));
    expect(actions[0].disabledReason).toMatch(/credentials/);
    expect(actions[1].disabledReason).toBeUndefined();
    expect(await core.dispatch('jobs.start', { providerId: 'p', actionId: 'a', context: { connectionId: connections[0].id } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('credentials') } });
    expect(await core.dispatch('jobs.start', { providerId: 'p', actionId: 'zzz', context: { connectionId: connections[0].id } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('no action "zzz"') } });
  });
});

describe('jobs: direct actions, prompts, progress and cancel', () => {
  it('runs a direct action with a validated input prompt and reports progress and the result', async () => {
    let seen: ActionHost | undefined;
    const { core, prompts, updates } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async (_ctx, actionId, host) => {
          seen = host;
          expect(actionId).toBeUndefined();
          const name = await host.ui.input({ title: 'Name?', validate: (v) => (v.length < 3 ? 'At least 3 characters.' : undefined) });
          host.progress.setPhases(['one', 'two']);
          host.progress.phase('two');
          host.progress.update({ docs: 10, totalDocs: 10, bytes: 100 });
          host.progress.item({ id: 'ns', label: 'db.c', status: 'done', docs: 10 });
          for (let i = 0; i < 60; i++) host.progress.warn(`warning ${i}`);
          return { outcome: 'succeeded', summary: `hello ${name}`, stats: [{ label: 'Rows', value: '10' }] };
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    const first = await waitFor(() => prompts[0]);
    expect(first).toMatchObject({ kind: 'input', title: 'Name?', jobId });
    expect(await core.dispatch('prompts.answer', { jobId, promptId: first.promptId, value: true })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    ok(await core.dispatch('prompts.answer', { jobId, promptId: first.promptId, value: 'ab' }));
    const second = await waitFor(() => prompts[1]);
    expect(second).toMatchObject({ kind: 'input', error: 'At least 3 characters.', value: 'ab' });
    ok(await core.dispatch('prompts.answer', { jobId, promptId: second.promptId, value: 'abc' }));
    const done = await core.runner.whenDone(jobId);
    expect(done).toMatchObject({ state: 'succeeded', summary: 'hello abc', phase: 'two', phases: ['one', 'two'], docs: 10, totalDocs: 10, stats: [{ label: 'Rows', value: '10' }] });
    expect(done.items).toEqual([{ id: 'ns', label: 'db.c', status: 'done', docs: 10 }]);
    expect(done.warnings).toHaveLength(50);
    expect(done.droppedMessages).toBe(10);
    expect(seen).toBeDefined();
    await waitFor(() => (updates.at(-1)?.state === 'succeeded' ? true : undefined));
    expect(ok<JobSnapshot[]>(await core.dispatch('jobs.list', {}))).toHaveLength(1);
  });

  it('cancel closes open prompts and ends the job as cancelled', async () => {
    const { core, prompts } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async (_ctx, _a, host) => {
          const answer = await host.ui.confirm({ title: 'Go?', message: 'Really?' });
          if (!answer || host.cancellation.isCancellationRequested) throw new CancelledError('Stopped before starting.');
          return { outcome: 'succeeded', summary: 'went' };
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    await waitFor(() => prompts[0]);
    ok(await core.dispatch('jobs.cancel', { jobId }));
    expect(await core.runner.whenDone(jobId)).toMatchObject({ state: 'cancelled', summary: 'Stopped before starting.' });
  });

  it('a provider that throws ends the job as failed with its message, credentials redacted', async () => {
    const { core } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async () => {
          throw new Error('could not reach mongodb://admin:hunter2@db:27017/');
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    const done = await core.runner.whenDone(jobId);
    expect(done.state).toBe('failed');
    expect(done.summary).toBe('could not reach mongodb://admin:****@db:27017/');
    expect(JSON.stringify(done)).not.toContain('hunter2');
  });

  it('coalesces progress: thousands of updates produce only a few snapshots', async () => {
    const core = createCore({
      providers: [
        provider({
          appliesTo: [],
          executeAction: async (_c, _a, host) => {
            const end = Date.now() + 600;
            let docs = 0;
            while (Date.now() < end) {
              host.progress.update({ docs: ++docs, bytes: docs * 100 });
              if (docs % 100 === 0) await new Promise((r) => setImmediate(r));
            }
            return { outcome: 'succeeded', summary: `${docs}` };
          },
        }),
      ],
      shell: 'browser',
      version: '0',
    });
    let snapshots = 0;
    core.onEvent((name) => name === 'job.updated' && snapshots++);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    const done = await core.runner.whenDone(jobId);
    expect(Number(done.summary)).toBeGreaterThan(1000);
    expect(snapshots).toBeLessThan(10);
    expect(done.docsPerSecond).toBeGreaterThan(0);
  });
});

describe('History: records, pause, re-run', () => {
  it('records every job on disk, seals its secrets, and re-runs it with the remembered parameters', async () => {
    const { mkdtemp, readdir, readFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-history-'));
    const seen: Array<Record<string, string | undefined>> = [];
    const core = createCore({
      providers: [
        provider({
          executeAction: async (ctx, _a, host) => {
            seen.push(ctx.extendedProperties);
            host.remember({ targetUri: 'mongodb://admin:s3cr%40t@target:27017/' });
            host.progress.warn('something odd');
            return { outcome: 'succeeded', summary: 'ok', details: [{ title: 'Missing in target', items: ['1', '2'] }] };
          },
        }),
      ],
      shell: 'browser',
      version: '0',
      dataDir,
    });
    const connections = [core.connections.add(parseConnectionString('postgres://bob:hunter2@h/db'))];
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: { connectionId: connections[0].id, databaseName: 'db' } }));
    await core.runner.whenDone(jobId);

    const history = ok<Array<{ jobId: string; state: string; canRerun?: boolean; details?: unknown }>>(await core.dispatch('history.list', {}));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ jobId, state: 'succeeded', canRerun: true, details: [{ title: 'Missing in target', items: ['1', '2'] }] });
    const files = await readdir(path.join(dataDir, 'jobs'));
    const text = await readFile(path.join(dataDir, 'jobs', files[0]), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr');
    const log = ok<{ text: string }>(await core.dispatch('jobs.log', { jobId }));
    expect(log.text).toContain('WARNING something odd');

    const rerun = ok<{ jobId: string }>(await core.dispatch('history.rerun', { jobId }));
    await core.runner.whenDone(rerun.jobId);
    expect(seen[1]).toMatchObject({ targetUri: 'mongodb://admin:s3cr%40t@target:27017/' });
    expect(await core.dispatch('history.rerun', { jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A confirmation given for one run (the command line's confirm=yes) is not replayed by a re-run.
    const headless = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: { connectionId: connections[0].id, databaseName: 'db', extendedProperties: { confirm: 'yes', format: 'csv' } } }));
    await core.runner.whenDone(headless.jobId);
    const replayed = ok<{ jobId: string }>(await core.dispatch('history.rerun', { jobId: headless.jobId }));
    await core.runner.whenDone(replayed.jobId);
    expect(seen[2]).toMatchObject({ confirm: 'yes', format: 'csv' });
    expect(seen[3]).toMatchObject({ format: 'csv' });
    expect(seen[3].confirm).toBeUndefined();

    // A later run of the app sees the records; one left running is shown as interrupted.
    const again = createCore({ providers: [provider({})], shell: 'browser', version: '0', dataDir });
    expect(ok<unknown[]>(await again.dispatch('history.list', {}))).toHaveLength(4);
  });

  it('a job whose log cannot be written (a full disk) still runs, and says once that its log is incomplete', async () => {
    const { mkdtemp, symlink } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-nolog-'));
    await symlink('/dev/full', path.join(dataDir, 'logs')); // not a folder: every write of the log fails
    const core = createCore({
      providers: [
        provider({
          executeAction: async (_ctx, _a, host) => {
            for (const n of [1, 2, 3]) host.progress.warn(`odd ${n}`);
            return { outcome: 'succeeded', summary: 'ok' };
          },
        }),
      ],
      shell: 'browser',
      version: '0',
      dataDir,
    });
    const connection = core.connections.add(parseConnectionString('postgres://h/db'));
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: { connectionId: connection.id } }));
    const done = await core.runner.whenDone(jobId);
    await core.runner.log(jobId);
    const warnings = (core.runner.list().find((j) => j.jobId === jobId) ?? done).warnings;
    expect(done.state).toBe('succeeded');
    expect(warnings.filter((w) => w.includes('could not be written'))).toHaveLength(1);
    expect(warnings).toEqual(expect.arrayContaining(['odd 1', 'odd 2', 'odd 3']));
  });

  it('pauses and resumes a running job', async () => {
    let release!: () => void;
    const states: boolean[] = [];
    const { core } = coreWith([
      provider({
        appliesTo: [],
        executeAction: async (_c, _a, host) => {
          // Only a job that began can be paused (a plan cannot).
          host.begin();
          host.pause.onPauseChanged((paused) => {
            states.push(paused);
            if (!paused) release();
          });
          await new Promise<void>((resolve) => (release = resolve));
          return { outcome: 'succeeded', summary: 'resumed' };
        },
      }),
    ]);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('jobs.start', { providerId: 'p', context: {} }));
    ok(await core.dispatch('jobs.pause', { jobId }));
    expect(core.runner.list()[0].state).toBe('paused');
    ok(await core.dispatch('jobs.resume', { jobId }));
    expect(await core.runner.whenDone(jobId)).toMatchObject({ state: 'succeeded' });
    expect(states).toEqual([true, false]);
  });
});

describe('intake of data files', () => {
  it('hands a dropped data file to the files provider as a private copy, and says when no provider reads a format', async () => {
    const { readFile } = await import('node:fs/promises');
    const { core } = coreWith([provider({})]);
    const dropped = ok<{ category?: string; errors: string[]; dataFile?: { dropId: string; format: string } }>(await core.dispatch('intake.content', { fileName: 'people.ndjson', text: '{"a":1}\n{"a":2}\n' }));
    expect(dropped.category).toBe('data-file');
    expect(dropped.errors).toEqual([]);
    // The window gets a drop id; the path of the private copy stays on the main side.
    expect(dropped.dataFile).toEqual({ dropId: expect.any(String), format: 'ndjson' });
    const sheet = ok<{ errors: string[]; dataFile?: unknown }>(await core.dispatch('intake.content', { fileName: 'budget.xlsx', text: 'PK\u0003\u0004' }));
    expect(sheet.dataFile).toBeUndefined();
    expect(sheet.errors).toEqual(['budget.xlsx: not a connection file, and no provider imports XLSX files yet.']);

    // With a data folder that is new (no drops/ yet), the copy goes there.
    const os = await import('node:os');
    const path = await import('node:path');
    const { mkdtemp } = await import('node:fs/promises');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-drops-'));
    const withData = createCore({ providers: [provider({})], shell: 'browser', version: '0', dataDir });
    const kept = ok<{ errors: string[]; dataFile?: { dropId: string } }>(await withData.dispatch('intake.content', { fileName: 'people.ndjson', text: '{"a":1}\n' }));
    expect(kept.errors).toEqual([]);
    const { readdir } = await import('node:fs/promises');
    const [copyDir] = await readdir(path.join(dataDir, 'drops'));
    expect(await readFile(path.join(dataDir, 'drops', copyDir, 'people.ndjson'), 'utf8')).toBe('{"a":1}\n');
  });
});
