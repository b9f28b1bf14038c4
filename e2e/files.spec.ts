/**
 * Data files dropped on the window: with a database selected, a dropped NDJSON file opens the files
 * provider's import with the file filled in; settings, preview, import, and the documents are there,
 * with their Extended JSON types. Without a database selected, the drop says what to do.
 *
 * Files chosen for an import or an export: the window never types a path. The browser harness asks
 * on its own chooser page (another origin, its own key, opened here in a browser context of its own,
 * as a person opens it beside the app); it asks there, not in the window, before replacing a file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { MongoClient, Long } from 'mongodb';
import { useMongo, type UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { answerPrompts, connectWith, databaseItem, dropFiles, selectCollection, startAction } from './helpers';
import { dropDatabase, uniqueName } from './data';

const ROWS = 500;
const ndjson =
  Array.from({ length: ROWS }, (_, i) =>
    JSON.stringify({
      _id: i,
      name: `Person ${i}`,
      visits: { $numberLong: String(9_000_000_000 + i) },
      joined: { $date: '2024-01-02T03:04:05Z' },
    }),
  ).join('\n') + '\n';

test.describe('dropping data files', () => {
  let server: UsedMongo;
  let db: string;

  test.beforeAll(async () => {
    server = await useMongo();
    db = uniqueName('e2e_files');
    const client = await new MongoClient(server.uri).connect();
    await client.db(db).collection('existing').insertOne({ note: 'the database exists' });
    await client.close();
  });

  test.afterAll(async () => {
    await dropDatabase(server.uri, db).catch(() => undefined);
    await server?.stop();
  });

  test('a dropped NDJSON file is imported into the selected database', async ({ page, snap }) => {
    await connectWith(page, server.uri, 'Data');
    const tree = page.getByRole('tree');
    await expect(tree).toBeVisible({ timeout: 20_000 });
    await databaseItem(tree, db).click();
    await expect(page.getByText(db, { exact: true }).first()).toBeVisible();

    await dropFiles(page, [{ name: 'people.ndjson', text: ndjson }]);
    const done = page.getByRole('heading', { level: 2, name: /finished/ });
    const seen = await answerPrompts(
      page,
      [
        [
          /import settings/i,
          async (dialog) => {
            await expect(dialog.getByLabel('Target collection')).toHaveValue('people');
            await snap('settings');
            await dialog.getByRole('button', { name: 'Preview' }).click();
          },
        ],
        [
          /preview/i,
          async (dialog) => {
            await expect(dialog.getByRole('table')).toContainText('Person 0');
            await snap('preview');
            await dialog.getByRole('button', { name: 'Start import' }).click();
          },
        ],
      ],
      done,
      120_000,
    );
    expect(seen.length).toBe(2);
    await expect(done).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('region', { name: /finished/ })).toContainText('500');
    await snap('finished');

    const client = await new MongoClient(server.uri).connect();
    try {
      const people = client.db(db).collection<{ _id: number; visits?: unknown; joined?: unknown }>('people');
      expect(await people.countDocuments()).toBe(ROWS);
      const first = await people.findOne({ _id: 7 }, { promoteLongs: false });
      expect(first?.visits).toEqual(Long.fromString('9000000007'));
      expect(first?.joined).toEqual(new Date('2024-01-02T03:04:05Z'));
    } finally {
      await client.close();
    }
  });

  test('an export asks where in the host’s chooser, which asks before replacing the file', async ({
    page,
    harness,
    browser,
    snap,
  }, testInfo) => {
    test.skip(!harness, 'The browser harness’s chooser page; Electron shows its native Save dialog instead.');
    const out = testInfo.outputPath('existing.jsonl');
    await writeFile(out, 'an older export\n');
    await connectWith(page, server.uri, 'Data');
    await selectCollection(page, db, 'existing');
    await startAction(page, 'Files: import and export', 'Export to a file');
    const dialog = page.getByRole('dialog');
    await expect(dialog.locator('h2')).toHaveText('Export to a file');
    // No path in the window's form: only what to write.
    await expect(dialog.getByRole('textbox', { name: /file|folder|path/i })).toHaveCount(0);
    await dialog.getByLabel('Format').selectOption('ndjson');
    await dialog.getByRole('button', { name: 'Choose where…' }).click();
    await expect(page.getByTestId('host-question')).toContainText('file chooser');
    await snap('waiting-for-chooser');

    const chooser = await openChooser(browser, harness!.chooserUrl);
    await expect(chooser.getByRole('heading', { name: `Export ${db}.existing to` })).toBeVisible({ timeout: 20_000 });
    await expect(chooser.getByLabel(/Path of where to save the file/)).toHaveValue(/existing\.jsonl$/);
    await chooser.getByLabel(/Path of/).fill(out);
    await chooser.getByRole('button', { name: 'Choose' }).click();
    await expect(chooser.getByRole('heading', { name: 'Replace the file?' })).toBeVisible();
    await chooser.getByRole('button', { name: 'Replace' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /finished/ })).toBeVisible({ timeout: 60_000 });
    expect(JSON.parse((await readFile(out, 'utf8')).trim())).toMatchObject({ note: 'the database exists' });
    await chooser.context().close();
  });

  test('an import reads the file chosen in the host’s chooser', async ({ page, harness, browser }, testInfo) => {
    test.skip(!harness, 'The browser harness’s chooser page; Electron shows its native Open dialog instead.');
    const file = testInfo.outputPath('chosen.ndjson');
    await writeFile(file, ndjson.split('\n').slice(0, 10).join('\n') + '\n');
    await connectWith(page, server.uri, 'Data');
    const tree = page.getByRole('tree');
    await expect(tree).toBeVisible({ timeout: 20_000 });
    await databaseItem(tree, db).click();
    await startAction(page, 'Files: import and export', 'Import a file');
    await expect(page.getByTestId('host-question')).toContainText('file chooser');
    const chooser = await openChooser(browser, harness!.chooserUrl);
    await expect(
      chooser.getByRole('heading', { name: `Import into ${db}: choose a file or a mongodump folder` }),
    ).toBeVisible({ timeout: 20_000 });
    await chooser.getByLabel(/Path of/).fill(file);
    await chooser.getByRole('button', { name: 'Choose' }).click();
    const done = page.getByRole('heading', { level: 2, name: /finished/ });
    await answerPrompts(
      page,
      [
        [
          /import settings/i,
          async (d) => {
            await expect(d.getByLabel('Target collection')).toHaveValue('chosen');
            await d.getByRole('button', { name: 'Preview' }).click();
          },
        ],
        [/preview/i, async (d) => d.getByRole('button', { name: 'Start import' }).click()],
      ],
      done,
      60_000,
    );
    await expect(page.getByRole('region', { name: /finished/ })).toContainText('10');
    await chooser.context().close();
  });

  test('without a database selected, a dropped data file says what to do', async ({ page }) => {
    await dropFiles(page, [{ name: 'orders.csv', text: 'id,total\n1,9.5\n' }]);
    await expect(page.getByRole('alert').filter({ hasText: 'orders.csv' })).toContainText(
      'select the database of a MongoDB connection to import it into',
    );
  });
});

/** The harness's chooser page, in a browser context of its own (as a person opens it beside the app). */
async function openChooser(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const chooser = await context.newPage();
  await chooser.goto(url);
  return chooser;
}
