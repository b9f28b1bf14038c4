/**
 * The Electron fuses electron-builder flips when packaging (read from electron-builder.yml as data:
 * this machine has no Electron binary to flip them in).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// js-yaml comes with electron-builder (a devDependency), which reads this same file.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const config = yaml.load(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../electron-builder.yml'), 'utf8'),
) as { electronFuses?: Record<string, boolean> };

describe('Electron fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and inspect arguments; load only the integrity-checked app.asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
