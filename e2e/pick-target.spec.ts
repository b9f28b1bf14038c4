/**
 * Pick, don't type: the target of a copy is chosen from the saved and open connections (its credentials
 * stay on the main side: the window only shows the redacted string); typing a new string still works.
 */
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import { answerPrompts, connectWith, copyCollectionPrompts, selectCollection, startAction } from './helpers';
import { countDocuments, uniqueName } from './data';

test.describe('Pick the target', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'items';

  useSeededSource('e2e_pick', coll, 300, (seeded) => ({ source, sourceDb } = seeded));
  useFreshTarget((server) => (target = server));

  test('the copy target is picked from the saved connections', async ({ page, harness, snap }) => {
    test.skip(!harness, 'saves the target through the core of the browser harness');
    const targetDb = uniqueName('e2e_pick_dst');
    await harness!.core.dispatch('connections.saved.add', { uri: target.uri, name: 'Backup server' });
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');

    const panel = page.getByRole('dialog', { name: 'Copy to which server?' });
    const saved = panel.getByRole('list', { name: 'Saved connections' });
    await expect(saved.getByRole('button', { name: /Backup server/ })).toBeVisible();
    // The source is offered too, as an open connection.
    await expect(
      panel.getByRole('list', { name: 'Open connections' }).getByRole('button', { name: /Source/ }),
    ).toBeVisible();
    await snap('pick-target');
    await saved.getByRole('button', { name: /Backup server/ }).click();

    const result = page.getByRole('heading', { level: 2, name: 'Copy finished' });
    await answerPrompts(page, copyCollectionPrompts(target.uri, targetDb, coll).slice(1), result, 60_000);
    await expect(result).toBeVisible({ timeout: 60_000 });
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(300);
  });

  test('the load level and verification chosen last time between two servers are offered again', async ({ page }) => {
    const run = async (targetDb: string, choose: boolean) => {
      await selectCollection(page, sourceDb, coll);
      await startAction(page, 'MongoDB copy', 'Copy this collection');
      const prompts = copyCollectionPrompts(target.uri, targetDb, coll);
      const plan = prompts[1][1];
      prompts[1][1] = async (dialog, p) => {
        if (choose) {
          await dialog.getByLabel('Load on the servers').selectOption('low');
          await dialog.getByLabel('Verify after copying').selectOption('none');
        } else {
          await expect(dialog.getByLabel('Load on the servers')).toHaveValue('low');
          await expect(dialog.getByLabel('Verify after copying')).toHaveValue('none');
        }
        await plan(dialog, p);
      };
      const result = page.getByRole('heading', { level: 2, name: 'Copy finished' });
      await answerPrompts(page, prompts, result, 60_000);
      await expect(result).toBeVisible({ timeout: 60_000 });
    };
    await connectWith(page, source.uri, 'Source');
    await run(uniqueName('e2e_first'), true);
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Source/ })
      .click();
    await run(uniqueName('e2e_second'), false);
  });
});
