/**
 * See the data: a selected collection shows its count, size, indexes and a page of documents as Extended
 * JSON (types visible), with paging; a database shows its collections with counts; after a copy into an
 * open connection, that connection's tree shows what arrived.
 */
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import { answerPrompts, connectWith, copyCollectionPrompts, selectCollection, startAction } from './helpers';
import { uniqueName } from './data';

test.describe('Data view', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'records';

  useSeededSource('e2e_data', coll, 45, (seeded) => ({ source, sourceDb } = seeded));
  useFreshTarget((server) => (target = server));

  test('a collection shows its count, indexes and documents with their types; a database its collections', async ({
    page,
    snap,
  }) => {
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    const view = page.getByRole('region', { name: coll });
    await expect(view).toContainText('45 documents');
    await expect(view.getByRole('list', { name: 'Indexes' })).toContainText('_id_');
    const documents = view.getByRole('list', { name: /Documents/ });
    await expect(documents.getByRole('listitem')).toHaveCount(20);
    // Canonical Extended JSON: the types are visible.
    await expect(documents).toContainText('"$numberLong": "9000000000002"');
    await expect(documents).toContainText('"$numberDecimal": "2.02"');
    await expect(documents).toContainText('"$date"');
    await expect(view).toContainText('Documents 1–20 of 45');
    await snap('collection');
    await view.getByRole('button', { name: 'Next page' }).click();
    await expect(view).toContainText('Documents 21–40 of 45');
    await view.getByRole('button', { name: 'Next page' }).click();
    await expect(view).toContainText('Documents 41–45 of 45');
    await expect(view.getByRole('button', { name: 'Next page' })).toBeDisabled();
    // Read-only: nothing to edit.
    await expect(view.getByRole('textbox')).toHaveCount(0);

    // The database's own row (its item also holds the collections).
    await page
      .getByRole('tree')
      .getByRole('treeitem', { name: new RegExp(`^${sourceDb}`) })
      .first()
      .locator('.tree-db')
      .click();
    const table = page.getByRole('table', { name: `Collections of ${sourceDb}` });
    await expect(table.getByRole('row').filter({ hasText: coll })).toContainText('45');
    await snap('database');
  });

  test('after a copy into an open connection, its tree shows what arrived', async ({ page }) => {
    const targetDb = uniqueName('e2e_arrived');
    await connectWith(page, target.uri, 'Target');
    await expect(page.getByRole('heading', { level: 1, name: 'Target' })).toBeVisible();
    await expect(
      page.getByRole('tree').or(page.getByText('This server has no databases you can read yet.')).first(),
    ).toBeVisible();
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');
    const result = page.getByRole('heading', { level: 2, name: 'Copy finished' });
    await answerPrompts(page, copyCollectionPrompts(target.uri, targetDb, coll), result, 60_000);
    await expect(result).toBeVisible();
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Target/ })
      .click();
    await expect(page.getByRole('tree').getByRole('treeitem', { name: new RegExp(`^${targetDb}`) })).toBeVisible();
  });
});
