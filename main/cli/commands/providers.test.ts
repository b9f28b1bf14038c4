/**
 * `cutover providers …` run as a person would: a real process, a real data folder, a policy file given
 * by CUTOVER_POLICY, stdin not a terminal (consent comes from --allow-provider or the policy, never a hang).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../testkit/run-cli';
import { providerBody, writeProviderPackage } from '../../core/providers/test-packages';

let dataDir: string;
let policy: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-providers-'));
  policy = path.join(dataDir, 'policy.json');
});

/** `cutover providers <args>` with this test's data folder and policy file. */
const cutover = (args: string[]) =>
  runCli(['providers', ...args], { env: { ...process.env, CUTOVER_DATA_DIR: dataDir, CUTOVER_POLICY: policy } });

describe('cutover providers', { timeout: 120_000 }, () => {
  it('installs, lists with publisher and needs, runs only when allowed, disables and removes', async () => {
    const pkg = writeProviderPackage({
      id: 'com.example.cli',
      body: providerBody(
        'com.example.cli',
        `return { outcome: 'succeeded', summary: 'hello ' + context.extendedProperties.who, stats: [{ label: 'Greeted', value: '1' }] };`,
      ),
      cutover: { needs: { network: { others: ['api.example.com'] } } },
    });
    const installed = await cutover(['install', pkg.dir]);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain(
      'com.example.cli  cutover-provider-com.example.cli 1.2.3 by Example Ltd  (enabled, not yet allowed)',
    );
    expect(installed.stdout).toContain('needs: Connects to api.example.com.');

    const listed = await cutover(['list', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: 'com.example.cli', publisher: 'Example Ltd', version: '1.2.3', enabled: true, allowed: false },
    ]);

    // No terminal, no --allow-provider: refused at once, nothing ran.
    const refused = await cutover(['run', 'com.example.cli', '--set', 'who=Ada']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Provider "com.example.cli" has not been allowed to run: allow it (cutover … --allow-provider com.example.cli)',
    );
    expect(existsSync(pkg.marker)).toBe(false);

    const ran = await cutover(['run', 'com.example.cli', '--set', 'who=Ada', '--allow-provider', 'com.example.cli']);
    expect(ran.stderr).not.toContain('cutover:');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe('hello Ada\n  Greeted: 1\n');

    // The policy lists other providers only: refused before loading, naming the policy.
    writeFileSync(policy, JSON.stringify({ providers: { allow: ['com.example.other'] } }));
    const blocked = await cutover(['run', 'com.example.cli', '--allow-provider', 'com.example.cli']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      `The administrator's policy ${policy} does not allow provider "com.example.cli"; it was not loaded.`,
    );
    expect((await cutover(['list'])).stdout).toContain('(blocked by policy)');
    writeFileSync(policy, JSON.stringify({ providers: { allow: ['com.example.cli'] } }));

    expect((await cutover(['disable', 'com.example.cli'])).stdout).toContain('(disabled)');
    const disabled = await cutover(['run', 'com.example.cli', '--allow-provider', 'com.example.cli']);
    expect(disabled.stderr).toContain('No migration provider "com.example.cli".');
    expect((await cutover(['enable', 'com.example.cli'])).code).toBe(0);
    // Listed by the policy: that is consent enough.
    expect((await cutover(['run', 'com.example.cli', '--set', 'who=Bo'])).stdout).toContain('hello Bo');

    expect((await cutover(['remove', 'com.example.cli'])).stdout).toBe('Removed com.example.cli.\n');
    expect((await cutover(['list'])).stdout).toBe('No providers installed.\n');
  });

  it('bad input: a clear error and exit code 2 for usage, 1 for a package that is not a provider', async () => {
    const usage = await cutover(['frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Unknown "providers frobnicate"');
    const notThere = await cutover(['install', path.join(dataDir, 'nope.tgz')]);
    expect(notThere).toMatchObject({
      code: 1,
      stderr: `cutover providers: ${path.join(dataDir, 'nope.tgz')} does not exist.\n`,
    });
    const junk = path.join(dataDir, 'junk.tgz');
    writeFileSync(junk, 'not a tarball');
    const bad = await cutover(['install', junk]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/junk\.tgz is (empty or )?not a tarball/);
  });
});
