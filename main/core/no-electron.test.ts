import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
/** Everything except the thin Electron layer (main/electron) and the preload entry must run under plain Node. */
const CORE_DIRS = ['main/core', 'main/harness', 'main/cli', 'providers', 'testkit', 'preload/shapes'];
const CORE_FILES = ['preload/contract.ts', 'preload/client.ts', 'preload/ws-transport.ts'];

function sources(dir: string): string[] {
  const abs = path.join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts|js|mjs)$/.test(f))
    .map((f) => path.join(dir, f));
}

describe('the core stays free of Electron', () => {
  const files = [...CORE_DIRS.flatMap(sources), ...CORE_FILES];

  it('finds the core files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s does not import electron', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const imports = [
      ...text.matchAll(
        /(?:^|\n)\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]electron(?:\/[^'"]*)?['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/g,
      ),
    ];
    expect(imports.map((m) => m[0].trim())).toEqual([]);
  });
});
