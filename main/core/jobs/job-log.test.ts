/**
 * The job's log file: lines in order with their level, secrets redacted, owner-only; a log that cannot be
 * written is reported once and never stops the job; the window reads the newest part of a long log; an id
 * that is not a plain job id names no file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobLog, jobLogFile, readLogTail } from './job-log';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-job-log-'));
  dirs.push(dir);
  return dir;
};

describe('job log', () => {
  it('appends lines in order, with levels, redacted, readable by the owner only', async () => {
    const logDir = path.join(tempDir(), 'logs');
    const file = jobLogFile(logDir, 'job-1')!;
    const failures: string[] = [];
    const log = new JobLog(file, (message) => failures.push(message));
    log.write('info', 'Started');
    log.write('warning', 'Retrying mongodb://alice:s3cret@db.example:27017/app');
    log.write('error', 'Gone');
    await log.flush();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'INFO Started',
      'WARNING Retrying mongodb://alice:****@db.example:27017/app',
      'ERROR Gone',
    ]);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(failures).toEqual([]);
  });

  it('keeps no log without a file', async () => {
    const log = new JobLog(undefined, () => {
      throw new Error('no failure expected');
    });
    log.write('error', 'nowhere');
    await expect(log.flush()).resolves.toBeUndefined();
  });

  it('says once, naming the file, when the log cannot be written, and the job goes on', async () => {
    const blocker = path.join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, 'a file where the log folder should be');
    const file = path.join(blocker, 'job-2.log');
    const failures: string[] = [];
    const log = new JobLog(file, (message) => failures.push(message));
    log.write('info', 'one');
    log.write('info', 'two');
    await log.flush();
    log.write('info', 'three');
    await log.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(`The job's log ${file} could not be written`);
  });

  it('gives the newest part of a long log, and an empty text when there is none', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'long.log');
    writeFileSync(file, `${'a'.repeat(100)}${'b'.repeat(50)}`);
    expect(await readLogTail(file, 50)).toEqual({ path: file, text: 'b'.repeat(50), truncated: true });
    expect(await readLogTail(file)).toEqual({
      path: file,
      text: `${'a'.repeat(100)}${'b'.repeat(50)}`,
      truncated: false,
    });
    expect(await readLogTail(path.join(dir, 'missing.log'))).toEqual({
      path: path.join(dir, 'missing.log'),
      text: '',
      truncated: false,
    });
  });

  it('names a file only for a plain job id inside the log folder', () => {
    expect(jobLogFile('/logs', 'a1-b2')).toBe(path.join('/logs', 'a1-b2.log'));
    expect(jobLogFile('/logs', '../secret')).toBeUndefined();
    expect(jobLogFile('/logs', 'a/b')).toBeUndefined();
    expect(jobLogFile(undefined, 'a1')).toBeUndefined();
  });
});
