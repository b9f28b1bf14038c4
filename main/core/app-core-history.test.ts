/**
 * History through `dispatch`: every job recorded on disk with its secrets sealed, re-run with its
 * remembered parameters, a log that cannot be written, and pause/resume of a running job.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from './app-core';
import { parseConnectionString } from './connection-string';
import { coreWith, ok, provider } from './app-core-test-helpers';

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
            return {
              outcome: 'succeeded',
              summary: 'ok',
              details: [{ title: 'Missing in target', items: ['1', '2'] }],
            };
          },
        }),
      ],
      shell: 'browser',
      version: '0',
      dataDir,
    });
    const connections = [core.connections.add(parseConnectionString('postgres://bob:hunter2@h/db'))];
    const { jobId } = ok<{ jobId: string }>(
      await core.dispatch('jobs.start', {
        providerId: 'p',
        context: { connectionId: connections[0].id, databaseName: 'db' },
      }),
    );
    await core.runner.whenDone(jobId);

    const history = ok<Array<{ jobId: string; state: string; canRerun?: boolean; details?: unknown }>>(
      await core.dispatch('history.list', {}),
    );
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      jobId,
      state: 'succeeded',
      canRerun: true,
      details: [{ title: 'Missing in target', items: ['1', '2'] }],
    });
    const files = await readdir(path.join(dataDir, 'jobs'));
    const text = await readFile(path.join(dataDir, 'jobs', files[0]), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr');
    const log = ok<{ text: string }>(await core.dispatch('jobs.log', { jobId }));
    expect(log.text).toContain('WARNING something odd');

    const rerun = ok<{ jobId: string }>(await core.dispatch('history.rerun', { jobId }));
    await core.runner.whenDone(rerun.jobId);
    expect(seen[1]).toMatchObject({ targetUri: 'mongodb://admin:s3cr%40t@target:27017/' });
    expect(await core.dispatch('history.rerun', { jobId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // A confirmation given for one run (the command line's confirm=yes) is not replayed by a re-run.
    const headless = ok<{ jobId: string }>(
      await core.dispatch('jobs.start', {
        providerId: 'p',
        context: {
          connectionId: connections[0].id,
          databaseName: 'db',
          extendedProperties: { confirm: 'yes', format: 'csv' },
        },
      }),
    );
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
    const { jobId } = ok<{ jobId: string }>(
      await core.dispatch('jobs.start', { providerId: 'p', context: { connectionId: connection.id } }),
    );
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
