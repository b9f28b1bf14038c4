/**
 * The History record of a job, against the real History folder and secret store in a temp dir: nothing
 * while the job plans; once it begins, its snapshot, log file and process; the re-run sealed (the connection
 * string and parameters, never `confirm`); no re-run without a secret store; a record that cannot be
 * written goes to the job's log instead.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationContext, MigrationProvider } from '../../../providers/api/index';
import { JobHistory } from '../job-history';
import { FileKeySecretStore } from '../secret-store';
import { Job } from './job-state';
import type { JobRunnerOptions } from './runner-options';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-record-'));
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
const context: MigrationContext = {
  authenticated: true,
  connection: { name: 'Prod', uri: 'mongodb://alice:s3cret@db.example:27017/', kind: 'mongodb' },
  databaseName: 'sales',
  collectionName: 'orders',
  extendedProperties: { target: 'mongodb://t.example/', confirm: 'yes' },
} as unknown as MigrationContext;

function job(options: Partial<JobRunnerOptions>): Job {
  return new Job(
    provider,
    'copy-collection',
    'Copy orders',
    {
      events: { updated: () => {}, prompt: () => {}, promptClosed: () => {} },
      openExternal: async () => {},
      ...options,
    },
    context,
  );
}

describe('History record', () => {
  it('writes nothing while the job plans, then its record with a sealed re-run once it begins', async () => {
    const dataDir = tempDir();
    const history = new JobHistory(dataDir);
    const secrets = new FileKeySecretStore(dataDir);
    const logDir = path.join(dataDir, 'logs');
    const planned = job({ history, secrets, logDir });
    await planned.saveRecord();
    expect(await history.list(new Set())).toEqual([]);

    planned.parameters = { streams: '4' };
    planned.beginWork();
    planned.tracker.update({ docs: 12, bytes: 3400 });
    await planned.saveRecord();
    const record = await history.get(planned.id);
    expect(record).toMatchObject({
      jobId: planned.id,
      providerId: 'p',
      actionId: 'copy-collection',
      title: 'Copy orders',
      state: 'running',
      docs: 12,
      bytes: 3400,
      canRerun: true,
      pid: process.pid,
    });
    expect(record?.logFile).toBe(path.join(logDir, `${planned.id}.log`));
    expect(record?.rerun).toMatchObject({
      providerId: 'p',
      actionId: 'copy-collection',
      connectionName: 'Prod',
      databaseName: 'sales',
      collectionName: 'orders',
    });
    const file = readFileSync(path.join(dataDir, 'jobs', `${planned.id}.json`), 'utf8');
    expect(file).not.toContain('s3cret');
    expect(JSON.parse(secrets.open(record!.rerun!.sealed))).toEqual({
      uri: context.connection!.uri,
      parameters: { target: 'mongodb://t.example/', streams: '4' },
    });
  });

  it('records no re-run without a secret store', async () => {
    const history = new JobHistory(tempDir());
    const begun = job({ history });
    begun.beginWork();
    await begun.saveRecord();
    const record = await history.get(begun.id);
    expect(record).toMatchObject({ jobId: begun.id, canRerun: false });
    expect(record?.rerun).toBeUndefined();
  });

  it('logs a record that cannot be written, and the job goes on', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'jobs'), 'a file where the jobs folder should be');
    const logDir = path.join(dataDir, 'logs');
    const begun = job({ history: new JobHistory(dataDir), logDir });
    begun.beginWork();
    await begun.saveRecord();
    await begun.flushLog();
    expect(readFileSync(path.join(logDir, `${begun.id}.log`), 'utf8')).toMatch(
      /WARNING Could not write the job record: /,
    );
  });
});
