/**
 * Honest states: a target that fails mid-copy shows "Target unreachable — retrying (n of 8)" with the rate
 * at 0 and no time left, and the copy carries on once it answers; a question answered in another window
 * (or tab) disappears from this one.
 */
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import { answerPrompts, connectWith, copyCollectionPrompts, selectCollection, startAction } from './helpers';
import { countDocuments, uniqueName } from './data';

const DOCS = 6_000;

test.describe('Honest states', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'orders';

  useSeededSource('e2e_honest', coll, DOCS, (seeded) => ({ source, sourceDb } = seeded), 120_000);
  useFreshTarget((server) => (target = server));

  test('a target that fails mid-copy reads "Target unreachable — retrying", rate 0, then the copy finishes', async ({
    page,
    snap,
  }) => {
    test.setTimeout(180_000);
    const targetDb = uniqueName('e2e_retry');
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');
    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    const prompts = copyCollectionPrompts(target.uri, targetDb, coll);
    const start = prompts[2][1];
    prompts[2][1] = async (dialog, p) => {
      target.faults.setLatency(120);
      await start(dialog, p);
    };
    await answerPrompts(page, prompts, overall, 60_000);
    await expect
      .poll(async () => Number((await overall.getAttribute('aria-valuenow')) ?? '0'), { timeout: 60_000 })
      .toBeGreaterThan(0);

    // The target stops accepting writes for a while.
    target.faults.failNextWrites(6, 91);
    const stalled = page.getByTestId('stalled');
    await expect(stalled).toContainText(/Target unreachable — retrying \(\d of 8\)/, { timeout: 60_000 });
    const figures = page.getByRole('region', { name: 'Progress' });
    await expect(figures).toContainText(/Rate\s*0 docs\/s\s*Time left\s*unknown/);
    // Stopping stays possible at once.
    await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeEnabled();
    await snap('retrying');

    target.faults.setLatency(0);
    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
    await expect(stalled).toHaveCount(0);
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(DOCS);
  });

  test('a question answered in another tab disappears from this one', async ({ page, harness }) => {
    test.skip(!harness, 'needs the browser harness (a second tab on the same core)');
    const other = await page.context().newPage();
    await other.goto(harness!.url);
    await expect(other.getByRole('navigation', { name: 'Cutover' })).toBeVisible({ timeout: 20_000 });

    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');
    const here = page.getByRole('dialog', { name: 'Copy to which server?' });
    await expect(here).toBeVisible();
    // The other tab shows the same question (as a modal: it is not on the plan's page).
    const there = other.getByRole('dialog', { name: 'Copy to which server?' });
    await expect(there).toBeVisible();
    await expect(there).toHaveAttribute('aria-modal', 'true');

    await here.getByRole('textbox').fill(target.uri);
    await here.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(page.getByRole('dialog', { name: /plan the copy/i })).toBeVisible();
    await expect(there).toHaveCount(0);
    // The next question came to both; dismissing it in the other tab closes it here too.
    const nextThere = other.getByRole('dialog', { name: /plan the copy/i });
    await expect(nextThere).toBeVisible();
    await nextThere.press('Escape');
    await expect(page.getByRole('dialog', { name: /plan the copy/i })).toHaveCount(0);
    await other.close();
  });
});
