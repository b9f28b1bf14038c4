/**
 * Controlling a running copy from the window: Pause holds it (nothing is read or written) and Resume
 * finishes it; a copy cancelled half-way is resumed from History and ends with every document exactly
 * once. The target server answers slowly while the copy should be caught mid-way.
 */
import { startMongoTestServer, useMongo, type MongoTestServer, type UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { answerPrompts, connectWith, copyCollectionPrompts, selectCollection, startAction } from './helpers';
import { countDocuments, dropDatabase, rawDocuments, seedMixed, uniqueName } from './data';
import type { Page } from '@playwright/test';

const DOCS = 20_000;

test.describe('controlling a copy', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'orders';

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    source = await useMongo();
    sourceDb = uniqueName('e2e_ctl');
    await seedMixed(source.uri, sourceDb, coll, DOCS);
  });

  test.afterAll(async () => {
    if (source?.isReal) await dropDatabase(source.uri, sourceDb).catch(() => undefined);
    await source?.stop();
  });

  test.beforeEach(async () => {
    target = await startMongoTestServer();
  });

  test.afterEach(async () => {
    await target?.stop();
  });

  /** Starts "Copy this collection" into targetDb; the target turns slow once the plan is confirmed. */
  async function startSlowCopy(page: Page, targetDb: string) {
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');
    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    const prompts = copyCollectionPrompts(target.uri, targetDb, coll);
    const start = prompts[2][1];
    prompts[2][1] = async (dialog, p) => {
      target.faults.setLatency(150);
      await start(dialog, p);
    };
    await answerPrompts(page, prompts, overall, 60_000);
    const percent = async () => Number((await overall.getAttribute('aria-valuenow')) ?? '0');
    await expect.poll(percent, { timeout: 60_000, message: 'the copy makes progress' }).toBeGreaterThan(0);
    return { percent };
  }

  test('Pause holds the copy, Resume finishes it', async ({ page, snap }) => {
    test.setTimeout(180_000);
    const targetDb = uniqueName('e2e_paused');
    const { percent } = await startSlowCopy(page, targetDb);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Paused. Nothing is being read or written' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
    await page.waitForTimeout(1_000); // the batches already in flight land
    const atPause = await percent();
    const written = await countDocuments(target.uri, targetDb, coll);
    await page.waitForTimeout(1_500);
    expect(await percent()).toBe(atPause);
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(written);
    expect(written).toBeLessThan(DOCS);
    await snap('paused');

    target.faults.setLatency(0);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('region', { name: 'Copy finished' })).toContainText(/20,000/);
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(DOCS);
  });

  test('a cancelled copy is resumed from History and ends with every document exactly once', async ({ page, snap }) => {
    test.setTimeout(180_000);
    const targetDb = uniqueName('e2e_resumed');
    await startSlowCopy(page, targetDb);

    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const cancelled = page.getByRole('region', { name: 'Cancelled' });
    await expect(cancelled).toBeVisible({ timeout: 60_000 });
    const before = await countDocuments(target.uri, targetDb, coll);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(DOCS);
    target.faults.setLatency(0);

    await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
    const row = page.getByRole('row').filter({ hasText: `${sourceDb}.${coll}` });
    await expect(row).toContainText('Cancelled');
    await snap('history-cancelled');
    await row.getByRole('button').click();
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    // The pre-flight report says it carries on, and offers to resume (not to start over).
    const report = page.getByRole('dialog', { name: 'Pre-flight report' });
    await expect(report).toContainText('This copy was interrupted before: it carries on from its checkpoints');
    await snap('resume-report');
    await report.getByRole('button', { name: 'Resume copy' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
    await snap('resumed');
    // Every source document is in the target once, byte for byte (a duplicate would make the count differ).
    const [from, to] = await Promise.all([rawDocuments(source.uri, sourceDb, coll), rawDocuments(target.uri, targetDb, coll)]);
    expect(to).toHaveLength(DOCS);
    expect(to.filter((raw, i) => !raw.equals(from[i]))).toHaveLength(0);
  });
});
