/**
 * Details from issue 16: New connection focuses the connection field; an unnamed connection does not
 * show its host twice; a Versia connection's page does not talk about databases; provider icons are
 * drawn as icons (no text glyph that a font may lack); a malformed port gets a sentence.
 */
import { startMongoTestServer, type MongoTestServer } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { MongoClient } from 'mongodb';
import { connectWith, databaseItem } from './helpers';

test.describe('Details', () => {
  let server: MongoTestServer;

  test.beforeEach(async () => {
    server = await startMongoTestServer();
  });

  test.afterEach(async () => {
    await server?.stop();
  });

  test('New connection focuses the field; an unnamed connection shows its host once; provider icons are icons', async ({
    page,
  }) => {
    await connectWith(page, server.uri);
    const host = new URL(server.uri.replace('mongodb://', 'http://')).host;
    const item = page.getByRole('navigation').getByRole('button', { name: host });
    await expect(item).toBeVisible();
    expect((await item.innerText()).split(host).length - 1).toBe(1);

    await page.getByRole('button', { name: 'New connection' }).click();
    await expect(page.getByLabel('Connection string', { exact: true })).toBeFocused();

    await page.getByRole('navigation').getByRole('button', { name: host }).click();
    await page.getByRole('button', { name: 'Migrate…' }).click();
    const providers = page.getByRole('list', { name: 'Migrations' });
    await expect(
      providers
        .getByRole('button', { name: 'Files' })
        .or(providers.getByRole('button', { name: /MongoDB copy/ }))
        .first(),
    ).toBeVisible();
    const icons = providers.locator('.provider-icon');
    for (let i = 0; i < (await icons.count()); i++) {
      await expect(icons.nth(i).locator('svg')).toHaveCount(1);
      expect((await icons.nth(i).innerText()).trim()).toBe('');
    }
  });

  test('a Versia connection page does not talk about databases', async ({ page }) => {
    await connectWith(page, 'versia://alice:token@social.example', 'Alice');
    await expect(page.getByRole('heading', { level: 1, name: 'Alice' })).toBeVisible();
    await expect(page.getByRole('main')).not.toContainText(/database|collection/i);
  });

  test('the drop overlay names what is dropped: a CSV onto a database is an import', async ({ page }) => {
    const client = new MongoClient(server.uri);
    await client.db('shop').collection('orders').insertOne({ n: 1 });
    await client.close();
    await connectWith(page, server.uri, 'Shop');
    await databaseItem(page, 'shop').click();
    const dragged = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['id,total\n1,9.5\n'], 'orders.csv', { type: 'text/csv' }));
      return transfer;
    });
    await page.evaluate(
      (transfer) =>
        window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true })),
      dragged,
    );
    await expect(page.getByTestId('drop-overlay')).toContainText('Import into shop');
    await expect(page.getByTestId('drop-overlay')).not.toContainText('connection files');
    await page.evaluate(() => window.dispatchEvent(new DragEvent('dragend', { bubbles: true })));
    await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  });

  test('a malformed port gets a sentence, not the URL parser’s message', async ({ page }) => {
    await connectWith(page, 'mongodb://127.0.0.1:abc');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('the port of 127.0.0.1:abc is "abc", not a number');
    await expect(alert).not.toContainText(/Unable to parse|with URL|Invalid URL/);
  });
});
