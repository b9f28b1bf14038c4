/**
 * The ActionHost a provider gets for one job: its first progress begins a provider that never signals;
 * warnings and errors reach the window redacted and the log; a stalled job clears at its next count;
 * routes are redacted and bounded; pause and cancellation follow the job; remembered parameters and the
 * choices kept for next time go to their real files (History, last-choices.json) in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationProvider } from '../../../providers/api/index';
import { JobHistory } from '../job-history';
import { LastChoices } from '../last-choices';
import { FileKeySecretStore } from '../secret-store';
import { actionHostFor } from './action-host';
import { Job } from './job-state';
import type { JobRunnerOptions } from './runner-options';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-host-'));
  dirs.push(dir);
  return dir;
};

const provider: MigrationProvider = {
  id: 'p',
  label: 'P',
  description: 'test',
  appliesTo: ['mongodb'],
  getAvailableActions: async () => [],
  executeAction: async () => ({ outcome: 'succeeded', summary: '' }),
};

function setup(extra: Partial<JobRunnerOptions> = {}, signalsBegin = false) {
  const options: JobRunnerOptions = {
    throttleMs: 0,
    events: { updated: () => {}, prompt: () => {}, promptClosed: () => {} },
    openExternal: async () => {},
    ...extra,
  };
  const job = new Job({ ...provider, signalsBegin }, undefined, 'Copy', options, {
    authenticated: false,
    extendedProperties: {},
  });
  return { job, host: actionHostFor(job, options) };
}

describe('action host', () => {
  it('begins a provider that never signals at its first progress, one that signals only when it says', () => {
    for (const first of ['phase', 'update', 'item'] as const) {
      const { job, host } = setup();
      host.progress.setPhases(['Copy']);
      expect(job.begun).toBe(false);
      if (first === 'phase') host.progress.phase('Copy');
      if (first === 'update') host.progress.update({ docs: 1 });
      if (first === 'item') host.progress.item({ id: 'a', label: 'a', status: 'running', docs: 0 });
      expect(job.begun).toBe(true);
    }
    const { job, host } = setup({}, true);
    host.progress.phase('Plan');
    host.progress.update({ docs: 1 });
    expect(job.begun).toBe(false);
    host.begin();
    expect(job.begun).toBe(true);
  });

  it('redacts warnings, errors, stalls and routes for the window, logs them, and clears a stall at the next count', async () => {
    const logDir = tempDir();
    const { job, host } = setup({ logDir });
    const uri = 'mongodb://alice:s3cret@db.example:27017/';
    host.progress.warn(`Slow: ${uri}`);
    host.progress.error(`Failed: ${uri}`);
    host.progress.stalled(`Target ${uri} unreachable — retrying (1 of 8)`);
    host.progress.stalled(`Target ${uri} unreachable — retrying (1 of 8)`);
    host.route({ from: uri, to: `${uri}${'x'.repeat(600)}` });
    const snap = job.snapshot();
    expect(snap.warnings).toEqual(['Slow: mongodb://alice:****@db.example:27017/']);
    expect(snap.errors).toEqual(['Failed: mongodb://alice:****@db.example:27017/']);
    expect(snap.stalled).toBe('Target mongodb://alice:****@db.example:27017/ unreachable — retrying (1 of 8)');
    expect(snap.route?.from).toBe('mongodb://alice:****@db.example:27017/');
    expect(snap.route?.to).toHaveLength(500);
    host.route({ to: 'file.json', format: 'json' });
    expect(job.snapshot().route).toEqual({
      from: 'mongodb://alice:****@db.example:27017/',
      to: 'file.json',
      format: 'json',
    });
    host.progress.update({ docs: 5 });
    expect(job.snapshot().stalled).toBeUndefined();
    await job.flushLog();
    const log = readFileSync(path.join(logDir, `${job.id}.log`), 'utf8');
    expect(log).not.toContain('s3cret');
    expect(log.match(/WARNING Target/g)).toHaveLength(1);
    expect(log).toContain('ERROR Failed: ');
  });

  it('follows the job for pause and cancellation', () => {
    const { job, host } = setup();
    const heard: boolean[] = [];
    const stop = host.pause.onPauseChanged((paused) => heard.push(paused));
    job.state = 'paused';
    expect(host.pause.isPaused).toBe(true);
    job.pauseListeners.forEach((listener) => listener(true));
    stop();
    job.pauseListeners.forEach((listener) => listener(false));
    expect(heard).toEqual([true]);
    expect(host.cancellation.isCancellationRequested).toBe(false);
    job.abort.abort();
    expect(host.cancellation.isCancellationRequested).toBe(true);
    expect(host.cancellation.signal.aborted).toBe(true);
  });

  it('keeps remembered parameters for a re-run and choices for next time in their files', async () => {
    const dataDir = tempDir();
    const secrets = new FileKeySecretStore(dataDir);
    const choices = new LastChoices(path.join(dataDir, 'last-choices.json'));
    const { job, host } = setup({ history: new JobHistory(dataDir), secrets, choices }, true);
    host.begin();
    host.remember({ streams: '4' });
    host.remember({ verify: 'sample' });
    await job.saveRecord();
    const record = await new JobHistory(dataDir).get(job.id);
    expect(JSON.parse(secrets.open(record!.rerun!.sealed)).parameters).toEqual({ streams: '4', verify: 'sample' });
    expect(await host.lastChoices('a→b')).toBeUndefined();
    host.keepChoices('a→b', { streams: '8' });
    const fromFile = () => new LastChoices(path.join(dataDir, 'last-choices.json')).get('p', 'a→b');
    for (let i = 0; i < 200 && !(await fromFile()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await fromFile()).toEqual({ streams: '8' });
    expect(await host.lastChoices('a→b')).toEqual({ streams: '8' });
  });
});
