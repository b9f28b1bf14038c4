/**
 * Data files dropped on the window: with a database selected, a dropped NDJSON file opens the files
 * provider's import with the file filled in; settings, preview, import, and the documents are there,
 * with their Extended JSON types. Without a database selected, the drop says what to do.
 */
import { MongoClient, Long } from 'mongodb';
import { useMongo, type UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { answerPrompts, connectWith, dropFiles } from './helpers';
import { dropDatabase, uniqueName } from './data';

const ROWS = 500;
const ndjson = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ _id: i, name: `Person ${i}`, visits: { $numberLong: String(9_000_000_000 + i) }, joined: { $date: '2024-01-02T03:04:05Z' } })).join('\n') + '\n';

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
    await tree.getByRole('treeitem', { name: db, exact: true }).click();
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

  test('without a database selected, a dropped data file says what to do', async ({ page }) => {
    await dropFiles(page, [{ name: 'orders.csv', text: 'id,total\n1,9.5\n' }]);
    await expect(page.getByRole('alert').filter({ hasText: 'orders.csv' })).toContainText('select the database of a MongoDB connection to import it into');
  });
});
