/**
 * The utilityProcess adapter, driven through the provider platform. Electron's binary is absent here, so
 * `utilityProcess.fork` is a stand-in with Electron's surface (postMessage, 'message' and 'exit' events,
 * stderr, kill, pid) over a Node child process; with Electron installed the same adapter gets the real one.
 * What this checks is the adapter: messages both ways, the heap limit in execArgv, exit and crash reports.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../core/app-core';
import { scriptExecArgv } from '../core/providers/launcher';
import { providerBody, writeProviderPackage } from '../core/providers/test-packages';
import { utilityProcessLauncher } from './utility-process-launcher';

const forked: Array<{ execArgv: string[]; serviceName: string }> = [];
const standInUtilityProcess = {
  fork(
    modulePath: string,
    args: string[],
    options: {
      env: Record<string, string>;
      cwd: string;
      execArgv: string[];
      stdio: Array<'pipe' | 'ignore'>;
      serviceName: string;
    },
  ) {
    forked.push({ execArgv: options.execArgv, serviceName: options.serviceName });
    // Electron runs the built .js; here the script is TypeScript, so tsx is added as the fork launcher would.
    const child = fork(modulePath, args, {
      env: options.env,
      cwd: options.cwd,
      execArgv: [...scriptExecArgv(modulePath), ...options.execArgv],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const events = new EventEmitter();
    child.on('message', (m) => events.emit('message', m));
    child.on('exit', (code) => events.emit('exit', code ?? 1));
    return Object.assign(events, {
      pid: child.pid,
      stderr: child.stderr,
      stdout: null,
      postMessage: (m: unknown) => child.send(m as object),
      kill: () => child.kill('SIGKILL'),
    });
  },
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cutover-utility-'));
const ok = writeProviderPackage({
  id: 'u.ok',
  body: providerBody(
    'u.ok',
    `host.progress.update({ docs: 2 }); return { outcome: 'succeeded', summary: 'via utilityProcess ' + (await host.ui.confirm({ title: 'Go?', message: 'Go on?' })) };`,
  ),
});
const crash = writeProviderPackage({
  id: 'u.crash',
  body: providerBody(
    'u.crash',
    `setTimeout(() => { throw new Error('utility boom'); }, 10); await new Promise(() => {});`,
  ),
});
const core = createCore({
  providers: [],
  shell: 'electron',
  version: '1.0.0',
  dataDir,
  progressThrottleMs: 0,
  installedProviders: {
    policyFile: path.join(dataDir, 'none.json'),
    preAllowed: ['u.ok', 'u.crash'],
    launcher: utilityProcessLauncher(standInUtilityProcess as never),
    limits: { memoryMb: 200 },
  },
});
afterAll(() => core.shutdown());

describe('utilityProcess launcher', () => {
  it('runs a provider: prompts and progress cross, the heap limit is set, a crash is reported', async () => {
    for (const p of [ok, crash]) await core.providerPlatform!.install(p.dir);
    await core.dispatch('providers.installed.setEnabled', { id: 'u.ok', enabled: true });
    core.onEvent((name, payload) => {
      if (name === 'job.prompt')
        void core.dispatch('prompts.answer', {
          jobId: (payload as { jobId: string }).jobId,
          promptId: (payload as { promptId: string }).promptId,
          value: true,
        });
    });
    const started = await core.dispatch('jobs.start', { providerId: 'u.ok', context: {} });
    if (!started.ok) throw new Error(started.error.message);
    const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    expect(done).toMatchObject({ state: 'succeeded', summary: 'via utilityProcess true', docs: 2 });
    expect(forked.at(-1)).toEqual({ execArgv: ['--max-old-space-size=200'], serviceName: 'Cutover provider u.ok' });

    const crashed = await core.dispatch('jobs.start', { providerId: 'u.crash', context: {} });
    if (!crashed.ok) throw new Error(crashed.error.message);
    const failed = await core.runner.whenDone((crashed.value as { jobId: string }).jobId);
    expect(failed.state).toBe('failed');
    expect(failed.summary).toMatch(
      /^Provider "cutover-provider-u.crash" stopped unexpectedly \(exit code 1\): .*utility boom/,
    );
  }, 60_000);
});
