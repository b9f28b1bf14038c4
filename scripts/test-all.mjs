#!/usr/bin/env node
/**
 * `npm test`: every test the project has — typecheck, ESLint (no warnings), Prettier's check, unit + integration (Vitest), e2e (Playwright in
 * Chromium through the browser harness) — then one plain closing line: `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const results = { passed: 0, failed: 0, skipped: 0 };
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = (label, args, env = {}) => {
  console.log(`\n== ${label}: ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(npx, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `== ${label} ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status === 0;
};
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

// 1. Typecheck counts as one check.
if (run('typecheck', ['tsc', '-p', 'tsconfig.json', '--noEmit'])) results.passed++;
else results.failed++;

// 1b. ESLint (eslint.config.mjs: the recommended and React hooks rules, and the import boundaries of the
// provider platform), with no warnings allowed, counts as one check.
if (run('lint', ['eslint', '.', '--max-warnings', '0'])) results.passed++;
else results.failed++;

// 1c. Prettier's check (.prettierrc.json, 120 columns; `npm run format` fixes it) counts as one check.
if (run('format', ['prettier', '--check', '.', '--log-level', 'warn'])) results.passed++;
else results.failed++;

// 2. Unit and integration tests. The app is built first: some tests run the built main process and
// package it (scripts/built-main.test.ts, scripts/package-check.test.ts); CUTOVER_BUILT tells them it is fresh.
const appBuilt = run('build app', ['electron-vite', 'build', '--logLevel', 'warn']);
if (!appBuilt) results.failed++;
rmSync('.vitest-results.json', { force: true });
const vitestOk = run(
  'unit + integration',
  ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.vitest-results.json'],
  appBuilt ? { CUTOVER_BUILT: '1' } : {},
);
const vitest = readJson('.vitest-results.json');
if (vitest) {
  results.passed += vitest.numPassedTests;
  results.failed +=
    vitest.numFailedTests + (vitest.numFailedTestSuites && !vitest.numFailedTests ? vitest.numFailedTestSuites : 0);
  results.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
} else if (!vitestOk) results.failed++;

// 3. End-to-end tests (build the renderer for the harness first).
if (existsSync('playwright.config.ts')) {
  const built = run('build renderer', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  if (!built) results.failed++;
  else {
    rmSync('.playwright-results.json', { force: true });
    const e2eOk = run('e2e', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: '.playwright-results.json',
    });
    const e2e = readJson('.playwright-results.json');
    if (e2e?.stats) {
      results.passed += e2e.stats.expected + (e2e.stats.flaky ?? 0);
      results.failed += e2e.stats.unexpected;
      results.skipped += e2e.stats.skipped;
      if (!e2eOk && e2e.stats.unexpected === 0) results.failed++;
    } else if (!e2eOk) results.failed++;
  }
}

console.log(`\n${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed === 0 && results.passed > 0 ? 0 : 1);
