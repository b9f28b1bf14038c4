/**
 * The import-boundary lint (eslint.config.mjs) fails on planted imports across each boundary, and passes
 * the same files without them: renderer ↛ main/providers, host ↛ provider internals, provider ↛ main,
 * provider ↛ provider, shared ↛ providers, the SDK ↛ the repository, nothing that ships ↛ the test kit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The boundary rule only: the planted snippets are not meant to pass the other rules (an unused import, say),
// which `npm run lint` checks over the whole repository.
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const PLANTED: Array<[string, string, RegExp]> = [
  [
    'renderer/src/screens/Planted.tsx',
    "import { createCore } from '../../../main/core/app-core';",
    /The window imports the IPC contract/,
  ],
  [
    'renderer/src/screens/Planted.tsx',
    "import type { ConnectionKind } from '../../../providers/api/index';",
    /The window imports the IPC contract/,
  ],
  [
    'main/core/planted.ts',
    "import { connectPromptly } from '../../providers/shared/mongo-connect';",
    /not a provider's internals/,
  ],
  [
    'main/core/saved-connections/planted.ts',
    "import { createFilesProvider } from '../../../providers/files/index';",
    /not a provider's internals/,
  ],
  [
    'main/cli/commands/planted.ts',
    "import { parseMapping } from '../../../providers/relational/mapping';",
    /not a provider's internals/,
  ],
  ['providers/files/planted.ts', "import { META_DB } from '../mongo-copy/checkpoints';", /not another provider/],
  [
    'providers/mongo-copy/planted.ts',
    "export { describeMongoError } from '../../main/core/mongo-errors';",
    /do not import the host/,
  ],
  [
    'providers/relational/planted.ts',
    "import { builtinProviders } from '../builtin';",
    /Only the host imports the list/,
  ],
  ['providers/shared/planted.ts', "import { createVersiaProvider } from '../versia/index';", /uses the SDK only/],
  [
    'providers/api/planted.ts',
    "import { connectPromptly } from '../shared/mongo-connect';",
    /imports nothing of the repository/,
  ],
  [
    'providers/versia/adapters/planted.ts',
    "import { cutoverTestkitAdapter } from '../../../testkit/versia/adapter';",
    /The test kit \(testkit\/\) does not ship/,
  ],
  [
    'providers/shared/planted.ts',
    "import { startMongoTestServer } from '../../testkit/mongo/index';",
    /The test kit \(testkit\/\) does not ship/,
  ],
  ['main/cli/planted.ts', "import '../../testkit/versia/register';", /The test kit \(testkit\/\) does not ship/],
  [
    'main/harness/planted.ts',
    "import { startLocalWorld } from '../../testkit/versia/local-world';",
    /The test kit \(testkit\/\) does not ship/,
  ],
];

describe('the boundary lint', () => {
  it.each(PLANTED)('fails on a planted import in %s: %s', async (file, code, message) => {
    const found = await problems(file, `${code}\nexport const x = 1;\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^no-restricted-imports: /);
    expect(found[0]).toMatch(message);
  });

  it('allows what the arrows allow', async () => {
    expect(
      await problems(
        'renderer/src/screens/Ok.tsx',
        "import type { JobSnapshot } from '../../../preload/contract';\nexport const x = 1;\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'main/core/ok.ts',
        "import { apiVersion } from '../../providers/api/index';\nimport { ProviderPlatform } from './providers/platform';\nexport const x = [apiVersion, ProviderPlatform];\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'main/cli/ok.ts',
        "import { builtinProviders } from '../../providers/builtin';\nimport { installedProviderCalls } from '../core/providers/core-calls';\nexport const x = [builtinProviders, installedProviderCalls];\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'providers/files/ok.ts',
        "import { formatBytes } from '../shared/format';\nimport { parseConnectionString } from '../api/connection';\nimport { y } from './settings';\nexport const x = [formatBytes, parseConnectionString, y];\n",
      ),
    ).toEqual([]);
  });

  it('the repository as it is passes', async () => {
    const results = await eslint.lintFiles(['main', 'preload', 'renderer', 'providers']);
    const errors = results.flatMap((r) =>
      r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(errors).toEqual([]);
  }, 120_000);
});
