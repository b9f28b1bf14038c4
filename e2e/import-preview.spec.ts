/**
 * The import preview warns before Start (issue #16), in real Chromium against the real core: a CSV
 * dropped on a database whose target collection already holds documents says how many and what the
 * chosen policy will do; after *Change column types* makes a column int, the preview says how many
 * sampled cells will not convert, with the first one's line and value. Leaving at the preview imports
 * nothing.
 */
import { MongoClient } from 'mongodb';
import { useMongo, type UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { connectWith, databaseItem, dropFiles } from './helpers';
import { dropDatabase, uniqueName } from './data';

test.describe('import preview warnings', () => {
  let server: UsedMongo;
  let db: string;

  test.beforeAll(async () => {
    server = await useMongo();
    db = uniqueName('e2e_preview');
    const client = await new MongoClient(server.uri).connect();
    await client
      .db(db)
      .collection('people')
      .insertMany([{ name: 'already here' }, { name: 'also here' }]);
    await client.close();
  });

  test.afterAll(async () => {
    await dropDatabase(server.uri, db).catch(() => undefined);
    await server?.stop();
  });

  test('cells that will not convert and a collection that already has documents are said before Start', async ({
    page,
    snap,
  }) => {
    await connectWith(page, server.uri, 'Preview');
    const tree = page.getByRole('tree');
    await expect(tree).toBeVisible({ timeout: 20_000 });
    await databaseItem(tree, db).click();
    await expect(page.getByText(db, { exact: true }).first()).toBeVisible();

    await dropFiles(page, [{ name: 'people.csv', text: 'name,age\nAnn,31\nBob,abc\nCy,40\n' }]);
    const dialog = page.getByRole('dialog');
    await expect(dialog.locator('h2')).toHaveText('Import settings', { timeout: 30_000 });
    await expect(dialog.getByLabel('Target collection')).toHaveValue('people');
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const notes = dialog.getByRole('list', { name: 'Notes' });
    const taken = `${db}.people already holds 2 documents: with "Stop if the collection already has documents", Start will stop before importing anything.`;
    await expect(dialog.locator('h2')).toHaveText('Preview', { timeout: 30_000 });
    await expect(notes).toContainText(taken);
    await expect(notes).not.toContainText('will not convert'); // age is inferred as text: every cell fits
    await expect(dialog.getByRole('button', { name: 'Start import' })).toBeVisible();

    await dialog.getByRole('button', { name: 'Change column types' }).click();
    await expect(dialog.locator('h2')).toHaveText('Column types');
    await dialog.getByLabel('age', { exact: true }).selectOption('int');
    await dialog.getByRole('button', { name: 'Preview again' }).click();

    await expect(dialog.locator('h2')).toHaveText('Preview', { timeout: 30_000 });
    await expect(notes).toContainText(
      'Column "age" (int): 1 of the 3 sampled cells will not convert, e.g. line 3: "abc" is not a whole number.',
    );
    await expect(notes).toContainText('With "stop at the first bad row", the import stops at the first of them');
    await expect(notes).toContainText(taken);
    await expect(notes.getByRole('listitem').filter({ hasText: 'will not convert' })).toHaveClass(
      /report-note-warning/,
    );
    await expect(dialog.getByRole('table')).toContainText('abc');
    await snap('preview-warnings');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    const client = await new MongoClient(server.uri).connect();
    try {
      const people = client.db(db).collection('people');
      expect(await people.countDocuments()).toBe(2);
      expect(await people.countDocuments({ name: 'Bob' })).toBe(0);
    } finally {
      await client.close();
    }
  });
});
