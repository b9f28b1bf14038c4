/**
 * Plan first: a migration is a plan (its questions in a panel of the page, no Pause, no History entry)
 * until the provider says its work begins; a plan given up leaves nothing in History; once begun the job
 * runs with Pause/Cancel and is listed in History, its duration counting the work, not the questions.
 */
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import { answerPrompts, connectWith, copyCollectionPrompts, selectCollection, startAction } from './helpers';
import { uniqueName } from './data';

test.describe('Plan first', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'people';

  useSeededSource('e2e_plan', coll, 500, (seeded) => ({ source, sourceDb } = seeded));
  useFreshTarget((server) => (target = server));

  test('the questions come in a planning panel; giving up leaves nothing in History', async ({ page, snap }) => {
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');

    const panel = page.getByRole('dialog', { name: 'Copy to which server?' });
    await expect(panel).toBeVisible();
    await expect(panel).toHaveAttribute('aria-modal', 'false');
    // A plan, not a running job: no Pause, no progress, not in the sidebar's running jobs.
    await expect(page.getByText('nothing has started yet')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
    await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Running jobs' })).toHaveCount(0);
    await snap('planning');

    // The second question, then give up with "Cancel plan".
    await panel.getByRole('textbox').fill(target.uri);
    await panel.getByRole('button', { name: 'OK', exact: true }).click();
    const plan = page.getByRole('dialog', { name: /plan the copy/i });
    await expect(plan).toBeVisible();
    await page.getByRole('button', { name: 'Cancel plan' }).click();
    await expect(plan).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name: 'Source' })).toBeVisible();

    await page
      .getByRole('navigation')
      .getByRole('button', { name: /History/ })
      .click();
    await expect(page.getByText('No migrations yet.')).toBeVisible();
  });

  test('the job exists once the plan is settled, then it is in History once', async ({ page }) => {
    const targetDb = uniqueName('e2e_plan_dst');
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');
    // A plan until the copy begins (durations leaving the questions out: main/core/job-runner.test.ts).
    await expect(page.getByText('nothing has started yet')).toBeVisible();
    const result = page.getByRole('heading', { level: 2, name: 'Copy finished' });
    await answerPrompts(page, copyCollectionPrompts(target.uri, targetDb, coll), result, 60_000);
    await expect(result).toBeVisible({ timeout: 60_000 });

    await page
      .getByRole('navigation')
      .getByRole('button', { name: /History/ })
      .click();
    const rows = page.getByRole('row').filter({ hasText: `${sourceDb}.${coll}` });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('Succeeded');
    // History says where the data went: source → target.
    await expect(rows).toContainText(
      `Source · ${sourceDb}.${coll} → 127.0.0.1:${new URL(target.uri.replace('mongodb://', 'http://')).port} · ${targetDb}.${coll}`,
    );
  });
});
