/**
 * The provider platform through the core, as the app uses it: installing third-party packages, the
 * administrator's policy, consent asked by the host, and isolation (each provider in its own process:
 * crash, hang, memory limit, message flood, stuck on Cancel) leaving the app working for the next job.
 */
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../../preload/contract';
import { createCore } from '../app-core';
import { sha256Folder } from './package-hash';
import type { ConsentRequest } from './isolated-provider';
import { providerBody, writeProviderPackage } from './test-packages';

const cores: Array<ReturnType<typeof createCore>> = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.shutdown()));
});

function setup(
  options: {
    policy?: unknown;
    consent?: (r: ConsentRequest) => Promise<boolean>;
    preAllowed?: string[];
    limits?: Record<string, number>;
  } = {},
) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cutover-platform-'));
  const policyFile = path.join(dataDir, 'policy.json');
  if (options.policy !== undefined) writeFileSync(policyFile, JSON.stringify(options.policy));
  const asked: ConsentRequest[] = [];
  const core = createCore({
    providers: [],
    shell: 'browser',
    version: '1.0.0',
    dataDir,
    progressThrottleMs: 0,
    installedProviders: {
      policyFile,
      preAllowed: options.preAllowed,
      consent: async (request) => {
        asked.push(request);
        return (await options.consent?.(request)) ?? false;
      },
      limits: { heartbeatTimeoutMs: 2_000, cancelGraceMs: 1_500, ...options.limits },
    },
  });
  cores.push(core);
  const call = async <T>(name: string, payload: unknown): Promise<T> => {
    const out = await core.dispatch(name, payload);
    if (!out.ok) throw new Error(out.error.message);
    return out.value as T;
  };
  /** Starts the provider's direct action: the snapshot at its end, or (refused before it began) the refusal. */
  const run = async (providerId: string): Promise<Pick<JobSnapshot, 'state' | 'summary'> & Partial<JobSnapshot>> => {
    const started = await core.dispatch('jobs.start', { providerId, context: {} });
    if (!started.ok) return { state: 'failed', summary: `refused: ${started.error.message}` };
    return core.runner.whenDone((started.value as { jobId: string }).jobId);
  };
  return { core, dataDir, policyFile, asked, call, run };
}

const okProvider = (id: string) =>
  writeProviderPackage({
    id,
    body: providerBody(
      id,
      `host.progress.update({ docs: 1 }); return { outcome: 'succeeded', summary: 'ran ' + ${JSON.stringify(id)} };`,
    ),
  });

describe('installing', () => {
  it('installs a folder; it is listed with its publisher, version and declared needs, and runs once allowed', async () => {
    const pkg = writeProviderPackage({
      id: 'com.example.ok',
      body: providerBody('com.example.ok', `return { outcome: 'succeeded', summary: 'ok' };`),
      cutover: { needs: { credentials: true, network: { connectionHosts: true, others: ['api.example.com'] } } },
    });
    const { call, run, asked } = setup({ consent: async () => true });
    const core = cores[0];
    const info = await core.providerPlatform!.install(pkg.dir);
    expect(info).toMatchObject({
      id: 'com.example.ok',
      publisher: 'Example Ltd',
      version: '1.2.3',
      enabled: true,
      allowed: false,
    });
    const listed = await call<Array<{ id: string; needs: string[] }>>('providers.installed.list', {});
    expect(listed[0].needs.join(' ')).toMatch(/raw credentials.*api\.example\.com/);
    // Not registered until the core syncs: the install call does that; here install went around it.
    await call('providers.installed.setEnabled', { id: 'com.example.ok', enabled: true });
    expect(existsSync(pkg.marker)).toBe(false);
    const done = await run('com.example.ok');
    expect(done).toMatchObject({ state: 'succeeded', summary: 'ok' });
    expect(asked).toHaveLength(1);
    expect(asked[0].needs.join(' ')).toContain('raw credentials');
    // Allowed once: not asked again.
    await run('com.example.ok');
    expect(asked).toHaveLength(1);
  });

  it('refuses a package built for another API version, with a clear error', async () => {
    const pkg = writeProviderPackage({
      id: 'com.example.future',
      body: providerBody('com.example.future', 'return {}'),
      cutover: { apiVersion: '2.0' },
    });
    const { core } = setup();
    await expect(core.providerPlatform!.install(pkg.dir)).rejects.toThrow(
      'Provider "com.example.future" cannot run here: it was built for provider API 2.0, and this Cutover speaks 1.0.0 (major versions differ).',
    );
  });

  it('refuses a package without a manifest, naming what is missing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cutover-nomanifest-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    const { core } = setup();
    await expect(core.providerPlatform!.install(dir)).rejects.toThrow(/has no "cutover" field/);
  });
});

describe('policy and consent', () => {
  it('a policy that does not list the provider refuses it, naming the policy, and none of its code runs', async () => {
    const pkg = okProvider('com.example.blocked');
    const { core, policyFile, run, dataDir } = setup({ consent: async () => true });
    await core.providerPlatform!.install(pkg.dir);
    await core.dispatch('providers.installed.setEnabled', { id: 'com.example.blocked', enabled: true });
    // The administrator adds a policy after the install: enforced before loading.
    writeFileSync(policyFile, JSON.stringify({ providers: { allow: ['com.example.other'] } }));
    const done = await run('com.example.blocked');
    expect(done.state).toBe('failed');
    expect(done.summary).toBe(
      `refused: The administrator's policy ${policyFile} does not allow provider "com.example.blocked"; it was not loaded.`,
    );
    expect(existsSync(pkg.marker)).toBe(false);
    // And installing is refused too.
    const again = okProvider('com.example.blocked2');
    await expect(core.providerPlatform!.install(again.dir)).rejects.toThrow(
      `policy ${policyFile} does not allow provider "com.example.blocked2"; it was not installed.`,
    );
    expect(existsSync(path.join(dataDir, 'providers', 'com.example.blocked2'))).toBe(false);
  });

  it('a policy pinned to a package hash allows that package only', async () => {
    const pkg = okProvider('com.example.pinned');
    const hash = await sha256Folder(pkg.dir);
    const { core, policyFile, run } = setup({
      policy: { providers: { allow: [{ id: 'com.example.pinned', sha256: hash }] } },
    });
    await core.providerPlatform!.install(pkg.dir);
    await core.dispatch('providers.installed.setEnabled', { id: 'com.example.pinned', enabled: true });
    expect(await run('com.example.pinned')).toMatchObject({ state: 'succeeded' }); // listed by the policy: consent given by it
    writeFileSync(
      path.join(pkg.dir, 'index.mjs'),
      readFileSync(path.join(pkg.dir, 'index.mjs'), 'utf8') + '\n// changed\n',
    );
    await expect(core.providerPlatform!.install(pkg.dir)).rejects.toThrow(
      `policy ${policyFile} allows provider "com.example.pinned" only with package hash ${hash}`,
    );
  });

  it('a provider whose installed files changed is not loaded', async () => {
    const pkg = okProvider('com.example.tampered');
    const { core, dataDir, run } = setup({ preAllowed: ['com.example.tampered'] });
    await core.providerPlatform!.install(pkg.dir);
    await core.dispatch('providers.installed.setEnabled', { id: 'com.example.tampered', enabled: true });
    writeFileSync(path.join(dataDir, 'providers', 'com.example.tampered', 'extra.js'), 'x');
    const done = await run('com.example.tampered');
    expect(done.summary).toMatch(/changed since it was installed/);
    expect(existsSync(pkg.marker)).toBe(false);
  });

  it('consent declined: the provider is not run, and the person is asked again next time', async () => {
    const pkg = okProvider('com.example.declined');
    const { core, run, asked } = setup({ consent: async () => false });
    await core.providerPlatform!.install(pkg.dir);
    await core.dispatch('providers.installed.setEnabled', { id: 'com.example.declined', enabled: true });
    const done = await run('com.example.declined');
    expect(done).toMatchObject({
      state: 'failed',
      summary: 'refused: You did not allow provider "cutover-provider-com.example.declined" to run, so it was not run.',
    });
    expect(existsSync(pkg.marker)).toBe(false);
    await run('com.example.declined');
    expect(asked).toHaveLength(2);
  });

  it('a disabled provider is not offered; removed, it is gone', async () => {
    const pkg = okProvider('com.example.toggle');
    const { core, call } = setup({ preAllowed: ['com.example.toggle'] });
    await core.providerPlatform!.install(pkg.dir);
    await call('providers.installed.setEnabled', { id: 'com.example.toggle', enabled: false });
    expect(core.registry.get('com.example.toggle')).toBeUndefined();
    await call('providers.installed.setEnabled', { id: 'com.example.toggle', enabled: true });
    expect(core.registry.get('com.example.toggle')).toBeDefined();
    await call('providers.installed.remove', { id: 'com.example.toggle' });
    expect(core.registry.get('com.example.toggle')).toBeUndefined();
    expect(await call('providers.installed.list', {})).toEqual([]);
  });
});
