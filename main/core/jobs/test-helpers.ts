/**
 * What the jobs' tests share: a provider that does nothing (the job under test drives the UI itself) and
 * temp dirs removed after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { MigrationProvider } from '../../../providers/api/index';

export const provider: MigrationProvider = {
  id: 'p',
  label: 'P',
  description: 'test',
  appliesTo: ['mongodb'],
  getAvailableActions: async () => [],
  executeAction: async () => ({ outcome: 'succeeded', summary: '' }),
};

/** A maker of fresh temp dirs named `cutover-<name>-…`, each removed after the test that made it. */
export function tempDirs(name: string): () => string {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), `cutover-${name}-`));
    dirs.push(dir);
    return dir;
  };
}
