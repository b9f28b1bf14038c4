/**
 * The `page` the specs drive: either Chromium on the browser harness (default) or the real Electron
 * app (CUTOVER_E2E_ELECTRON=1, when Electron's binary is installed). Each test gets a fresh core with a
 * data folder of its own (saved connections, job history and logs, as the app keeps them).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, _electron, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import { startHarness, type Harness } from '../main/harness/server';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const electronMode = process.env.CUTOVER_E2E_ELECTRON === '1';
const electronBinaryDir = path.join(repoRoot, 'node_modules', 'electron', 'dist');

export type Shell = 'browser' | 'electron';

interface Fixtures {
  /** Which app the page belongs to. */
  shell: Shell;
  /** The core's data folder for this test (the browser harness's; Electron keeps its own profile). */
  dataDir: string;
  /** The browser harness (and through it the core), or undefined in Electron mode. */
  harness: Harness | undefined;
  /** Saves a screenshot to e2e/screenshots/<test>-<name>.png. */
  snap: (name: string) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  shell: [electronMode ? 'electron' : 'browser', { option: true }],

  dataDir: async ({}, use, testInfo) => {
    const dir = testInfo.outputPath('data');
    mkdirSync(dir, { recursive: true });
    await use(dir);
  },

  harness: async ({ dataDir }, use) => {
    if (electronMode) return use(undefined);
    const harness = await startHarness({ coreOptions: { dataDir } });
    try {
      await use(harness);
    } finally {
      await harness.stop();
    }
  },

  page: async ({ browser, harness }, use, testInfo) => {
    if (electronMode) {
      testInfo.skip(
        !existsSync(electronBinaryDir),
        `CUTOVER_E2E_ELECTRON=1 but Electron's binary is not installed (${path.relative(repoRoot, electronBinaryDir)} is missing): install Electron without ELECTRON_SKIP_BINARY_DOWNLOAD to run these specs against the desktop app.`,
      );
      testInfo.skip(
        !existsSync(path.join(repoRoot, 'out', 'main', 'index.js')),
        'Electron mode needs the built app: run "npm run build" first.',
      );
      let app: ElectronApplication | undefined;
      const userData = testInfo.outputPath('user-data');
      mkdirSync(userData, { recursive: true });
      try {
        app = await _electron.launch({
          args: ['out/main/index.js', `--user-data-dir=${userData}`],
          cwd: repoRoot,
          // A fresh profile per test (the single-instance lock and job history live there).
          env: {
            ...process.env,
            CUTOVER_E2E: '1',
            CUTOVER_QUIT_WITHOUT_ASKING: '1',
            CUTOVER_USER_DATA_DIR: userData,
          } as Record<string, string>,
        });
        const page = await app.firstWindow();
        await waitForReady(page);
        await use(page);
      } finally {
        await app?.close().catch(() => undefined);
      }
      return;
    }

    if (!harness) throw new Error('The browser harness did not start');
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    page.on('console', (message) => {
      // frame-ancestors in a <meta> CSP is ignored by design (the Electron side sends it as a header).
      if (message.type() === 'error' && !message.text().includes("'frame-ancestors'"))
        console.error(`[page console] ${message.text()}`);
    });
    try {
      await page.goto(harness.url);
      await waitForReady(page);
      await use(page);
      await printScreenIfFailed(page, testInfo);
    } finally {
      await context.close().catch(() => undefined);
    }
  },

  snap: async ({ page }, use, testInfo) => {
    const dir = path.join(repoRoot, 'e2e', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const slug = testInfo.titlePath
      .slice(1)
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    await use(async (name) => {
      await page.screenshot({ path: path.join(dir, `${slug}-${name}.png`), fullPage: true });
    });
  },
});

const printed = new WeakSet<Page>();

/**
 * What the window shows, in the test's output, when the test failed: CI keeps only what the run prints,
 * not the screenshots and traces written beside it. The page fixture calls it last; a hook that stops a
 * server the page was using calls it first, so the screen is the one the failure left.
 */
export async function printScreenIfFailed(page: Page, testInfo: TestInfo): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus || printed.has(page)) return;
  printed.add(page);
  const text = await page
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch((error: Error) => `(unreadable: ${error.message})`);
  console.error(`[screen when "${testInfo.title}" failed]\n${text.replace(/\n{2,}/g, '\n').slice(0, 4_000)}`);
}

/** The window shows "Connecting…" until it reaches the core; then the sidebar appears. */
async function waitForReady(page: Page): Promise<void> {
  await expect(page.getByRole('navigation', { name: 'Cutover' })).toBeVisible({ timeout: 20_000 });
}

export { expect };
