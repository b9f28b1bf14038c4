/**
 * ESLint, run by `npm test` with no warnings allowed: the recommended JavaScript and TypeScript rules
 * (not the type-checked sets: too slow for `npm test`), the React hooks rules for the window, and the
 * import boundaries of the provider platform (DESIGN.md, "Where the arrows go").
 *
 * Boundaries: the renderer imports the IPC contract (preload/) only; the host (main/) imports the SDK
 * (providers/api), the list of built-ins (providers/builtin) and the way worker threads start
 * (providers/shared/worker), never a provider's internals; a provider
 * imports the SDK, providers/shared and its own folder, never main/ or another provider; providers/shared
 * imports the SDK only; the SDK imports nothing of the repository; nothing that ships (host, providers)
 * imports the test kit (testkit/: test servers and the test kit's Versia adapter). Tests may import what
 * they test.
 */
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const TESTS = [
  '**/*.test.ts',
  '**/*.test.tsx',
  '**/test-helpers.ts',
  '**/test-packages.ts',
  '**/third-party-build.ts',
  '**/bench/**',
  '**/*.fixtures.ts',
  '**/*-fixture.ts',
];
/** The globals of Node that the plain JavaScript files use (TypeScript files are checked by tsc instead). */
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'structuredClone',
    'AbortController',
    'TextEncoder',
    'TextDecoder',
    'fetch',
    'globalThis',
  ].map((g) => [g, 'readonly']),
);
const BUILTINS = readdirSync(new URL('./providers/', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory() && !['api', 'shared', 'examples', 'node_modules'].includes(e.name))
  .map((e) => e.name);

/**
 * The repository's providers/ folder as the host reaches it: a relative path that climbs (`../`) straight
 * into `providers/` (the host's own main/core/providers/ is reached through `core/` or `./`). Allowed:
 * the SDK, the list of built-ins (and its lazy loaders, providers/builtin-loaders.ts), and `allowed` modules.
 */
const hostMayNotImport = (allowed = []) =>
  `^(\\.\\./)+providers/(?!(api(/|$)|builtin$|builtin-loaders$${allowed.map((a) => `|${a.replace('/', '\\/')}$`).join('')}))`;
const HOST_MESSAGE =
  "The host imports the SDK (providers/api) and the list of built-ins (providers/builtin), not a provider's internals.";

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const NO_MAIN = {
  group: ['**/main/**', '**/main'],
  message: 'Providers do not import the host (main/): use the SDK (providers/api) or providers/shared.',
};
const NO_TESTKIT = {
  group: ['**/testkit/**', '**/testkit'],
  message:
    "The test kit (testkit/) does not ship: product code does not import it (tests and the test kit's own development entries may).",
};
const NO_BUILTIN_LIST = {
  group: ['**/providers/builtin', '**/builtin'],
  message: 'Only the host imports the list of built-in providers.',
};

export default [
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '**/dist/**',
      'release/**',
      'build/**',
      'test-results/**',
      'playwright-report/**',
      '**/node_modules/**',
    ],
  },
  {
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // TypeScript checks names and globals itself (no-undef is wrong for types and ambient globals).
    files: ['**/*.{ts,tsx,mts}'],
    rules: { 'no-undef': 'off' },
  },
  {
    // Plain JavaScript: the build and test scripts (Node) and the examples' built packages.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    // CommonJS (the electron stand-in, loaded through `require('electron')`): require() is how it imports.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...NODE_GLOBALS, require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{ts,tsx,mts,mjs,js,cjs}'],
    rules: {
      // An unused name is a mistake, except where a signature needs a slot: `_`-prefixed names, rest siblings.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Correctness beyond the recommended sets (none of them is about layout: Prettier owns that).
      eqeqeq: ['error', 'smart'],
      'array-callback-return': 'error',
      'no-constructor-return': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-throw-literal': 'error',
      'no-unreachable-loop': 'error',
      // Code from strings: input from the window, files and servers must never become code.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // Playwright reads a fixture's dependencies from its first parameter: `async ({}, use)` is its idiom.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: restrict({
      group: ['**/main/**', '**/providers/**', '**/testkit/**'],
      message: 'The window imports the IPC contract (preload/) only.',
    }),
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: TESTS,
    // providers/shared/worker: the one way worker threads are started (the core reads large connection files in one).
    rules: restrict({ regex: hostMayNotImport(['shared/worker']), message: HOST_MESSAGE }, NO_TESTKIT),
  },
  ...BUILTINS.map((name) => ({
    files: [`providers/${name}/**/*.ts`],
    ignores: TESTS,
    rules: restrict(NO_MAIN, NO_BUILTIN_LIST, NO_TESTKIT, {
      group: BUILTINS.filter((other) => other !== name).flatMap((other) => [`**/${other}/**`, `**/${other}`]),
      message: `A provider imports the SDK (providers/api), providers/shared and its own folder (providers/${name}), not another provider.`,
    }),
  })),
  {
    files: ['providers/shared/**/*.ts'],
    ignores: TESTS,
    rules: restrict(NO_MAIN, NO_BUILTIN_LIST, NO_TESTKIT, {
      group: BUILTINS.flatMap((p) => [`**/${p}/**`, `**/${p}`]),
      message: 'providers/shared is used by providers and uses the SDK only.',
    }),
  },
  {
    files: ['providers/api/**/*.ts'],
    ignores: TESTS,
    rules: restrict({
      group: ['../**', '../*'],
      message: 'The SDK (@cutover/provider-api) is a package of its own: it imports nothing of the repository.',
    }),
  },
  {
    files: ['providers/examples/**/*.{ts,js}'],
    ignores: TESTS,
    rules: restrict({
      group: ['../*', '../**'],
      message: 'An example is a third-party package: it imports @cutover/provider-api and its own files only.',
    }),
  },
];
