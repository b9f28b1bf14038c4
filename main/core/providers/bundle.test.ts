/**
 * Installed providers from the command line as it ships: the built bundle (main/cli/vite.config.ts) run by
 * plain Node starts each provider in `provider-child.js` beside it, with the bundled SDK (`provider-sdk-*.js`)
 * as `@cutover/provider-api` and `vscode`: no tsx, no sources.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerBody, writeProviderPackage } from './test-packages';
import { repoRoot } from './third-party-build';

let outDir: string;
let dataDir: string;

beforeAll(async () => {
  outDir = path.join(repoRoot, 'out', `cli-providers-test-${process.pid}`);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-providers-bundle-'));
  await build({
    configFile: path.join(repoRoot, 'main/cli/vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
}, 180_000);
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

function runBundle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(outDir, 'index.js'), ...args], {
      cwd: os.tmpdir(),
      env: {
        ...process.env,
        CUTOVER_DATA_DIR: dataDir,
        CUTOVER_POLICY: path.join(dataDir, 'none.json'),
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the built command line runs installed providers', { timeout: 120_000 }, () => {
  it('a Cutover provider and a DocumentDB v0.3 one (through the bundled vscode shim)', async () => {
    const plain = writeProviderPackage({
      id: 'com.example.bundled',
      body: providerBody(
        'com.example.bundled',
        `return { outcome: 'succeeded', summary: 'bundled ' + new CancelledError().name };`,
      ),
    });
    const v03 = writeProviderPackage({
      id: 'com.example.bundled-v03',
      cutover: { shape: 'documentdb-v0.3' },
      body: `import * as vscode from 'vscode';
export default { id: 'com.example.bundled-v03', label: 'V03', description: 'v0.3', getAvailableActions: async () => [],
  async executeAction() { await vscode.window.withProgress({ title: 'Working', location: vscode.ProgressLocation.Notification }, async (p) => p.report({ increment: 100 })); } };`,
    });
    for (const pkg of [plain, v03]) expect((await runBundle(['providers', 'install', pkg.dir])).code).toBe(0);
    const ran = await runBundle(['providers', 'run', 'com.example.bundled', '--allow-provider', 'com.example.bundled']);
    expect(ran).toMatchObject({ code: 0, stdout: 'bundled CancelledError\n' });
    const ranV03 = await runBundle([
      'providers',
      'run',
      'com.example.bundled-v03',
      '--allow-provider',
      'com.example.bundled-v03',
    ]);
    expect(ranV03).toMatchObject({ code: 0, stdout: 'V03 finished.\n' });
  });
});
