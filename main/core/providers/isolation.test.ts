/**
 * Isolation: a third-party provider runs in a process of its own. A crash, a hang (no heartbeat), its
 * memory limit, a flood of messages, or ignoring Cancel fail its job with one clear sentence; the app
 * (this process) keeps working and the next job runs. A million progress updates through the SDK are
 * coalesced in the provider's process: the app's memory stays bounded (figures printed).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../../preload/contract';
import { createCore } from '../app-core';
import type { IsolatedProvider } from './isolated-provider';
import { providerBody, writeProviderPackage } from './test-packages';

const root = mkdtempSync(path.join(os.tmpdir(), 'cutover-isolation-'));
const pkg = (id: string, run: string) => writeProviderPackage({ id, root, body: providerBody(id, run) });

const PACKAGES = {
  healthy: pkg(
    't.healthy',
    `host.progress.update({ docs: 5, totalDocs: 5 }); return { outcome: 'succeeded', summary: 'healthy ran' };`,
  ),
  crash: pkg('t.crash', `setTimeout(() => process.exit(3), 10); await new Promise(() => {});`),
  throws: pkg(
    't.throws',
    `setTimeout(() => { throw new Error('boom in a timer'); }, 10); await new Promise(() => {});`,
  ),
  hang: pkg('t.hang', `await new Promise((r) => setTimeout(r, 50)); for (;;) {}`),
  memory: pkg(
    't.memory',
    `const keep = []; for (;;) { keep.push(new Array(1e5).fill({ x: Math.random() })); await null; }`,
  ),
  flood: pkg(
    't.flood',
    `for (let i = 0; i < 1_000_000; i++) { host.progress.update({ docs: i, totalDocs: 1_000_000 }); host.progress.item({ id: 'x', label: 'x', status: 'running', docs: i }); } return { outcome: 'succeeded', summary: 'flooded politely' };`,
  ),
  rawFlood: pkg(
    't.rawflood',
    `for (let i = 0; i < 200_000; i++) process.send({ type: 'heartbeat' }); await new Promise(() => {});`,
  ),
  stuck: pkg('t.stuck', `await new Promise(() => {});`),
  env: pkg('t.env', `return { outcome: 'succeeded', summary: Object.keys(process.env).sort().join(',') };`),
  context: pkg(
    't.context',
    `return { outcome: 'succeeded', summary: context.connection ? context.connection.uri : 'none' };`,
  ),
  badPrompt: pkg(
    't.badprompt',
    `await host.ui.pick([{ id: 1, label: { html: '<img onerror>' } }], { title: 'x' }); return { outcome: 'succeeded', summary: 'should not get here' };`,
  ),
  pause: pkg(
    't.pause',
    `const seen = []; host.pause.onPauseChanged((p) => seen.push(p)); host.progress.phase('listening');
    for (let i = 0; i < 400 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    host.remember({ seen: seen.join(',') }); host.log.info('pause seen ' + seen.join(','));
    return { outcome: 'succeeded', summary: 'pause ' + seen.join(',') + ' dataDir ' + (host.dataDir ? 'given' : 'missing') };`,
  ),
  garbage: pkg(
    't.garbage',
    `process.send({ type: 'done', result: { outcome: 'maybe' } }); await new Promise(() => {});`,
  ),
};

let core: ReturnType<typeof createCore>;
process.env.CUTOVER_TEST_SECRET = 'do-not-leak';

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cutover-isolation-data-'));
  core = createCore({
    providers: [],
    shell: 'browser',
    version: '1.0.0',
    dataDir,
    progressThrottleMs: 100,
    installedProviders: {
      policyFile: path.join(dataDir, 'no-policy.json'),
      preAllowed: Object.values(PACKAGES).map((p) => path.basename(p.dir)),
      limits: { heartbeatTimeoutMs: 3_000, memoryMb: 64, cancelGraceMs: 3_000 },
    },
  });
  for (const p of Object.values(PACKAGES)) await core.providerPlatform!.install(p.dir);
  // Registered with the core (the Providers screen's calls do this after an install).
  await core.dispatch('providers.installed.setEnabled', { id: 't.healthy', enabled: true });
}, 60_000);
afterAll(() => core.shutdown());

async function start(providerId: string, context: Record<string, unknown> = {}): Promise<string> {
  const started = await core.dispatch('jobs.start', { providerId, context });
  if (!started.ok) throw new Error(started.error.message);
  return (started.value as { jobId: string }).jobId;
}
const run = async (providerId: string, context?: Record<string, unknown>): Promise<JobSnapshot> =>
  core.runner.whenDone(await start(providerId, context));

async function expectAppWorks(): Promise<void> {
  expect(await run('t.healthy')).toMatchObject({ state: 'succeeded', summary: 'healthy ran', docs: 5 });
}

describe('a misbehaving provider fails its job and the next job runs', () => {
  it('crash (process.exit)', async () => {
    const done = await run('t.crash');
    expect(done).toMatchObject({
      state: 'failed',
      summary: 'Provider "cutover-provider-t.crash" stopped unexpectedly (exit code 3).',
    });
    await expectAppWorks();
  });

  it('crash (an uncaught exception), naming its last words', async () => {
    const done = await run('t.throws');
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /^Provider "cutover-provider-t.throws" stopped unexpectedly \(exit code 1\): .*boom in a timer/,
    );
    await expectAppWorks();
  });

  it('hang: no heartbeat', async () => {
    const done = await run('t.hang');
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /^Provider "cutover-provider-t.hang" stopped responding \(no heartbeat for \d+ s\), so Cutover ended its process\.$/,
    );
    await expectAppWorks();
  }, 30_000);

  it("memory blow-up: the provider's heap limit ends it, not the app", async () => {
    const before = process.memoryUsage().rss;
    const done = await run('t.memory');
    expect(done).toMatchObject({
      state: 'failed',
      summary: 'Provider "cutover-provider-t.memory" ran out of memory (its limit is 64 MB), so its process ended.',
    });
    console.log(
      `[memory blow-up] app rss before ${(before / 1048576).toFixed(0)} MB, after ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB (provider limit 64 MB)`,
    );
    await expectAppWorks();
  }, 60_000);

  it("a million progress updates through the SDK: coalesced, the app's memory bounded", async () => {
    const updates: number[] = [];
    const off = core.onEvent((name, payload) => {
      if (name === 'job.updated' && (payload as JobSnapshot).providerId === 't.flood')
        updates.push((payload as JobSnapshot).docs);
    });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    let peakHeap = heapBefore;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    const started = Date.now();
    const done = await run('t.flood');
    clearInterval(sampler);
    off();
    expect(done).toMatchObject({ state: 'succeeded', summary: 'flooded politely', docs: 999_999 });
    const mb = (n: number) => (n / 1048576).toFixed(1);
    console.log(
      `[progress flood] 2,000,000 port calls (1,000,000 update + 1,000,000 item) in ${Date.now() - started} ms; ${updates.length} job.updated events reached the window; ` +
        `app heap ${mb(heapBefore)} → peak ${mb(peakHeap)} MB (+${mb(peakHeap - heapBefore)}), rss ${mb(rssBefore)} → ${mb(process.memoryUsage().rss)} MB`,
    );
    expect(updates.length).toBeLessThan(1000);
    expect(peakHeap - heapBefore).toBeLessThan(100 * 1048576);
    await expectAppWorks();
  }, 60_000);

  it('a flood of raw messages past the SDK ends the provider', async () => {
    const done = await run('t.rawflood');
    expect(done).toMatchObject({
      state: 'failed',
      summary:
        'Provider "cutover-provider-t.rawflood" flooded Cutover with more than 2000 messages a second, so Cutover ended its process.',
    });
    await expectAppWorks();
  }, 30_000);

  it('a message outside the protocol ends the provider', async () => {
    const done = await run('t.garbage');
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /^Provider "cutover-provider-t.garbage" sent a message Cutover does not accept \(result.outcome: .*\), so Cutover ended its process\.$/,
    );
    await expectAppWorks();
  });

  it('a prompt the window could not show ends the provider', async () => {
    const done = await run('t.badprompt');
    expect(done.state).toBe('failed');
    expect(done.summary).toMatch(
      /^cutover-provider-t.badprompt asked for a prompt Cutover cannot show \(pick: items\.0\.id: .*\), so Cutover ended its process\.$/,
    );
    await expectAppWorks();
  });

  it('Cancel ends a provider that ignores it, and its process', async () => {
    const jobId = await start('t.stuck');
    await new Promise((r) => setTimeout(r, 500));
    const provider = core.registry.get('t.stuck') as IsolatedProvider;
    const pid = provider.lastPid!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    const asked = Date.now();
    await core.dispatch('jobs.cancel', { jobId });
    const done = await core.runner.whenDone(jobId);
    const took = Date.now() - asked;
    console.log(
      `[cancel] a provider that ignores Cancel ended ${took} ms after Cancel (grace 3 s, required within 5 s)`,
    );
    expect(done).toMatchObject({
      state: 'cancelled',
      summary: 'Cancelled: cutover-provider-t.stuck did not stop within 3 s, so Cutover ended its process.',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(pid, 0)).toThrow();
    await expectAppWorks();
  }, 30_000);
});

describe('what reaches the provider process', () => {
  it('pause and resume, its data folder and its log', async () => {
    const jobId = await start('t.pause');
    for (let i = 0; i < 400 && core.runner.list().find((j) => j.jobId === jobId)?.phase !== 'listening'; i++)
      await new Promise((r) => setTimeout(r, 50));
    await core.dispatch('jobs.pause', { jobId });
    await core.dispatch('jobs.resume', { jobId });
    const done = await core.runner.whenDone(jobId);
    expect(done).toMatchObject({ state: 'succeeded', summary: 'pause true,false dataDir given' });
  });

  it('a scrubbed environment', async () => {
    const done = await run('t.env');
    expect(done.summary).not.toContain('CUTOVER_TEST_SECRET');
    expect(done.summary!.split(',')).toEqual(expect.arrayContaining(['CUTOVER_PROVIDER_ID', 'NODE_ENV']));
    expect(
      done
        .summary!.split(',')
        .every((k) =>
          ['CUTOVER_PROVIDER_ID', 'NODE_ENV', 'TZ', 'LANG', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot'].includes(k),
        ),
    ).toBe(true);
  });

  it('the redacted connection only, when raw credentials were not declared', async () => {
    // The context as the core builds it for an open connection (no server needed to check what crosses).
    const provider = core.registry.get('t.context')!;
    const context = {
      authenticated: true,
      extendedProperties: {},
      connection: {
        id: 'c',
        kind: 'postgres' as const,
        name: 'pg',
        uri: 'postgres://alice:s3cret@127.0.0.1:5432/db',
        redactedUri: 'postgres://alice:****@127.0.0.1:5432/db',
      },
    };
    const { JobRunner } = await import('../job-runner');
    const runner = new JobRunner({
      events: { updated: () => undefined, prompt: () => undefined, promptClosed: () => undefined },
      openExternal: async () => undefined,
    });
    const snapshot = await runner.whenDone(runner.start(provider, undefined, context, 't'));
    expect(snapshot.summary).toBe('postgres://alice:****@127.0.0.1:5432/db');
  });
});
