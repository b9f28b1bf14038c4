/**
 * For tests: writes small provider packages (package.json with a `cutover` manifest and an ESM entry)
 * as a third party would ship them, with a marker file that proves whether any of their code ran.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPackage {
  dir: string;
  /** Written by the package's top-level code when it is loaded. */
  marker: string;
}

export function writeProviderPackage(options: {
  id: string;
  body: string;
  cutover?: Record<string, unknown>;
  name?: string;
  version?: string;
  root?: string;
}): TestPackage {
  const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), 'cutover-pkg-'));
  const dir = path.join(root, options.id);
  mkdirSync(dir, { recursive: true });
  const marker = path.join(root, `${options.id}.loaded`);
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: options.name ?? `cutover-provider-${options.id}`,
        version: options.version ?? '1.2.3',
        description: `Test provider ${options.id}`,
        type: 'module',
        cutover: {
          id: options.id,
          apiVersion: '1.0',
          entry: 'index.mjs',
          publisher: 'Example Ltd',
          connectionKinds: [],
          ...options.cutover,
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    path.join(dir, 'index.mjs'),
    `import { writeFileSync } from 'node:fs';\nimport { CancelledError } from '@cutover/provider-api';\nwriteFileSync(${JSON.stringify(marker)}, 'loaded');\n${options.body}\n`,
  );
  return { dir, marker };
}

/** A provider object literal with one direct action whose body is `run` (has context, host in scope). */
export function providerBody(id: string, run: string, extra = ''): string {
  return `export default {
  id: ${JSON.stringify(id)}, label: 'Test ${id}', description: 'test', appliesTo: [],
  async getAvailableActions() { return []; },
  async executeAction(context, actionId, host) { ${run} },
  ${extra}
};`;
}
