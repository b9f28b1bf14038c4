/**
 * Ctrl-C and SIGTERM under the CLI, as a person meets them: a real `cutover copy` process mid-copy
 * (a latency proxy keeps it busy), signals sent as a terminal and `npm run` send them, exit code, JSON
 * summary and job record checked. And a job record left by a process that died shows as interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo, type UsedMongo } from '../../testkit/mongo/index';
import { startLatencyProxy, type LatencyProxy } from '../../testkit/latency-proxy';

const root = path.resolve(import.meta.dirname, '../..');
const DOCS = 20_000;
let source: UsedMongo;
let target: UsedMongo;
let slow: LatencyProxy;

beforeAll(async () => {
  source = await useMongo();
  target = await useMongo();
  const client = await new MongoClient(source.uri).connect();
  await client
    .db('sig_src')
    .collection<{ _id: number }>('orders')
    .insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: i, total: i * 1.5, note: 'x'.repeat(100) })));
  await client.close();
  slow = await startLatencyProxy(source.uri, { delayMs: 40 });
}, 60_000);
afterAll(async () => {
  await slow?.stop();
  const client = await new MongoClient(source.uri).connect();
  await client.db('sig_src').dropDatabase();
  await client.close();
  await target?.stop();
  await source?.stop();
});

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code, or the signal that killed the process. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], dataDir: string, detached = false): Run {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, CUTOVER_DATA_DIR: dataDir }, detached });
  const run: Run = { child, stdout: '', stderr: '', ended: undefined as never };
  child.stdout!.on('data', (d) => (run.stdout += d));
  child.stderr!.on('data', (d) => (run.stderr += d));
  run.ended = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return run;
}

const cli = (args: string[], dataDir: string) =>
  start(process.execPath, ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), ...args], dataDir);

const copyArgs = (targetDb: string) => [
  'copy',
  '--from',
  slow.uri,
  '--to',
  target.uri,
  '--db',
  'sig_src',
  '--collection',
  'orders',
  '--target-db',
  targetDb,
  '--verify',
  'none',
  '--json',
];

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Mid-copy: the Copy phase has begun and some documents are on the target. */
async function midCopy(run: Run, targetDb: string): Promise<void> {
  const client = await new MongoClient(target.uri).connect();
  try {
    await until(() => /^Copy /m.test(run.stderr), `the Copy phase (stderr: ${run.stderr})`);
    await until(
      async () => (await client.db(targetDb).collection('orders').estimatedDocumentCount()) > 0,
      'the first documents on the target',
    );
  } finally {
    await client.close();
  }
}

async function records(dataDir: string): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(dataDir, 'jobs');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8'))));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('signals under the CLI', () => {
  it('two SIGINTs a few ms apart (one Ctrl-C, forwarded) cancel cleanly: exit 1, the JSON summary, the record cancelled', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-sig-'));
    const run = cli(copyArgs('sig_int'), dataDir);
    await midCopy(run, 'sig_int');
    run.child.kill('SIGINT');
    await sleep(5);
    run.child.kill('SIGINT');
    const ended = await run.ended;
    expect(ended, run.stderr).toEqual({ code: 1, signal: null });
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: false, state: 'cancelled' });
    expect(summary.docs).toBeLessThan(DOCS);
    const [record] = await records(dataDir);
    expect(record).toMatchObject({ state: 'cancelled', pid: run.child.pid });
    expect(record.processStart).toEqual(expect.any(Number));
  }, 120_000);

  it('SIGTERM twice within milliseconds counts once too (exit 1 with the summary)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-sig-'));
    const run = cli(copyArgs('sig_term'), dataDir);
    await midCopy(run, 'sig_term');
    run.child.kill('SIGTERM');
    run.child.kill('SIGTERM');
    expect(await run.ended, run.stderr).toEqual({ code: 1, signal: null });
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, state: 'cancelled' });
    expect((await records(dataDir))[0]).toMatchObject({ state: 'cancelled' });
  }, 120_000);

  it('under npm run cutover, Ctrl-C to the whole process group cancels cleanly', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-sig-'));
    const run = start('npm', ['run', '--silent', 'cutover', '--', ...copyArgs('sig_npm')], dataDir, true);
    await midCopy(run, 'sig_npm');
    process.kill(-run.child.pid!, 'SIGINT'); // what the terminal does on Ctrl-C
    const ended = await run.ended;
    // Cutover exits 1; npm passes on its shell's status, and Debian's sh (dash), having seen the SIGINT
    // itself, ends by it once its child has exited: so npm reports 1, or the SIGINT.
    expect([1, 'SIGINT'], run.stderr).toContain(ended.code ?? ended.signal);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, state: 'cancelled' });
    expect((await records(dataDir))[0]).toMatchObject({ state: 'cancelled' });
  }, 120_000);

  it('a copy killed outright is shown as interrupted (resumable) by the next start (cutover history)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-sig-'));
    const run = cli(copyArgs('sig_kill'), dataDir);
    await midCopy(run, 'sig_kill');
    await until(
      async () => (await records(dataDir).catch(() => [])).some((r) => r.pid === run.child.pid),
      'the job record',
    );
    run.child.kill('SIGKILL');
    await run.ended;
    expect((await records(dataDir))[0]).toMatchObject({ state: 'running', pid: run.child.pid });

    const history = cli(['history', '--json'], dataDir);
    expect((await history.ended).code, history.stderr).toBe(0);
    const [listed] = JSON.parse(history.stdout);
    expect(listed).toMatchObject({ state: 'failed', interrupted: true, canRerun: true });
    expect(listed.summary).toMatch(
      /^Interrupted: the Cutover process that ran this job \(process \d+\) ended while it was running\. Run it again to resume/,
    );
    const plain = cli(['history'], dataDir);
    await plain.ended;
    expect(plain.stdout).toMatch(/ interrupted +\d[\d,]* docs {2}/);
  }, 120_000);
});

describe('the signal guard', () => {
  it('a signal a second or more after the first forces: exit 130 at once, the cancel having been asked once', async () => {
    const script = `import { cancelOnSignals } from ${JSON.stringify(path.join(root, 'main/cli/signals.ts'))};
cancelOnSignals(() => console.log('cancel'));
setInterval(() => undefined, 1000);
console.log('ready');`;
    const run = start(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], os.tmpdir());
    await until(() => run.stdout.includes('ready'), 'the script');
    run.child.kill('SIGINT');
    await sleep(5);
    run.child.kill('SIGINT');
    await until(() => run.stdout.includes('cancel'), 'the cancel');
    await sleep(1_100);
    expect(run.child.exitCode).toBe(null);
    run.child.kill('SIGINT');
    expect(await run.ended).toEqual({ code: 130, signal: null });
    expect(run.stdout.match(/cancel/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/SIGINT again: stopping at once/);
  }, 60_000);
});
