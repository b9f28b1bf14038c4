/**
 * The browser harness is the whole app minus the window (issue 16): with its data folder, a copy that
 * failed after retrying shows its warnings in the job log (not "The log is empty."); History survives a
 * restart of the harness; Resume on the failed job carries it on to the last document. The error logs
 * of the files provider land in the same data folder, not in the person's own.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { MongoClient } from 'mongodb';
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { startHarness, type Harness } from '../main/harness/server';
import { parseHarnessArgs } from '../main/harness/cli';
import { test, expect, repoRoot } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import { answerPrompts, connectWith, copyCollectionPrompts, dropFiles, selectCollection, startAction } from './helpers';
import { countDocuments, uniqueName } from './data';

const DOCS = 3_000;

async function open(browser: Browser, harness: Harness): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(harness.url);
  await expect(page.getByRole('navigation', { name: 'Cutover' })).toBeVisible({ timeout: 20_000 });
  return page;
}

/** A screenshot of a page of this spec's own harness (the `snap` fixture would shoot the fixture's page). */
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(repoRoot, 'e2e', 'screenshots', `harness-data-${name}.png`), fullPage: true });

test('npm run dev:web keeps its data in Cutover’s data folder, or in --data-dir', () => {
  expect(parseHarnessArgs([], { CUTOVER_DATA_DIR: '/srv/cutover-data' }).dataDir).toBe('/srv/cutover-data');
  expect(parseHarnessArgs(['--data-dir', '/tmp/x', '--port', '0'], {})).toMatchObject({ dataDir: '/tmp/x', port: 0 });
  expect(() => parseHarnessArgs(['--port', 'abc'], {})).toThrow('--port abc: not a port number');
  expect(() => parseHarnessArgs(['--data-dir'], {})).toThrow('--data-dir needs a value');
  expect(() => parseHarnessArgs(['--verbose'], {})).toThrow('Unknown option --verbose');
});

test.describe('The harness keeps its data', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'ledger';

  useSeededSource('e2e_harness', coll, DOCS, (seeded) => ({ source, sourceDb } = seeded), 120_000);
  useFreshTarget((server) => (target = server));

  test('a failed copy shows its warnings in the log; History survives a restart; Resume finishes it', async ({
    browser,
    dataDir,
  }) => {
    test.setTimeout(240_000);
    const targetDb = uniqueName('e2e_resumed');
    let harness = await startHarness({ coreOptions: { dataDir } });
    try {
      let page = await open(browser, harness);
      await connectWith(page, source.uri, 'Source');
      await selectCollection(page, sourceDb, coll);
      await startAction(page, 'MongoDB copy', 'Copy this collection');
      const prompts = copyCollectionPrompts(target.uri, targetDb, coll);
      const start = prompts[2][1];
      prompts[2][1] = async (dialog, p) => {
        // Every write fails with a transient error: the copy retries, warns each time, then fails.
        target.faults.failNextWrites(1_000, 91);
        await start(dialog, p);
      };
      const failed = page.getByRole('heading', { level: 2, name: /failed/i });
      await answerPrompts(page, prompts, failed, 60_000);
      await expect(failed).toBeVisible({ timeout: 120_000 });
      target.faults.reset();
      // The driver's message ends its sentence before Cutover's own.
      await expect(page.getByRole('main')).toContainText(
        /will shut down\. (Nothing was copied|[\d,]+ documents? had been copied)/,
      );
      // The collection the failure interrupted does not read "Skipped" (that reads as a choice).
      await expect(page.getByRole('list', { name: 'Items' })).toContainText(/Not started|Stopped/);
      await expect(page.getByRole('list', { name: 'Items' })).not.toContainText('Skipped');

      await page.getByRole('button', { name: 'Show log' }).click();
      const log = page.getByRole('region', { name: 'Job log' });
      await expect(log.getByLabel('Log text')).toContainText(/retry|retrying/i);
      await expect(log).not.toContainText('The log is empty.');
      await expect(log).toContainText(dataDir);
      await shot(page, 'failed-log');

      // A new harness on the same data folder: History still lists the job, and its log.
      await page.context().close();
      await harness.stop();
      harness = await startHarness({ coreOptions: { dataDir } });
      page = await open(browser, harness);
      await page
        .getByRole('navigation')
        .getByRole('button', { name: /History/ })
        .click();
      const row = page.getByRole('row').filter({ hasText: `${sourceDb}.${coll}` });
      await expect(row).toContainText('Failed');
      await shot(page, 'history-after-restart');
      await row.getByRole('button').click();
      await page.getByRole('button', { name: 'Show log' }).click();
      await expect(page.getByRole('region', { name: 'Job log' }).getByLabel('Log text')).toContainText(
        /retry|retrying/i,
      );

      // Resume carries the copy on; every document ends up in the target once.
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      const report = page.getByRole('dialog', { name: 'Pre-flight report' });
      await expect(report).toBeVisible({ timeout: 30_000 });
      await report.getByRole('button', { name: /Resume copy|Start copy/ }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
      expect(await countDocuments(target.uri, targetDb, coll)).toBe(DOCS);
      await page
        .getByRole('navigation')
        .getByRole('button', { name: /History/ })
        .click();
      await expect(
        page
          .getByRole('row')
          .filter({ hasText: `${sourceDb}.${coll}` })
          .filter({ hasText: 'Succeeded' }),
      ).toHaveCount(1);
      await page.context().close();
    } finally {
      await harness.stop();
    }
  });

  test('the files provider writes its error logs in the harness’s data folder', async ({ page, dataDir }) => {
    await connectWith(page, target.uri, 'Target');
    await expect(page.getByRole('heading', { level: 1, name: 'Target' })).toBeVisible();
    // An empty server: create a database to drop onto.
    const client = await new MongoClient(target.uri).connect();
    await client.db('drop_here').collection('x').insertOne({ n: 1 });
    await client.close();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByRole('tree')
      .getByRole('treeitem', { name: /^drop_here/ })
      .click();
    await dropFiles(page, [{ name: 'rows.ndjson', text: '{"_id": 1}\n{"_id": \n' }], { checkOverlay: false });
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Bad rows').selectOption('continue');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('button', { name: 'Start import' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /finished/ })).toBeVisible({ timeout: 60_000 });
    const errors = path.join(dataDir, 'files', 'errors');
    await expect(page.getByRole('main')).toContainText(errors);
    expect(existsSync(errors) && readdirSync(errors).length).toBe(1);
  });
});
