/**
 * Bad connection strings and unreachable servers get a clear error in the window, never a hang.
 */
import { test, expect } from './fixtures';
import { connectWith, databaseItem } from './helpers';

test.describe('connecting', () => {
  test('a malformed connection string gets a clear error', async ({ page, snap }) => {
    for (const uri of ['mongodb://', 'http://x', 'not a connection string at all']) {
      await connectWith(page, uri);
      const alert = page.getByRole('alert');
      await expect(alert).toBeVisible();
      await expect(alert).not.toBeEmpty();
      // A sentence for people, not a stack trace or a JSON dump.
      const text = (await alert.innerText()).trim();
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/^\s*[{[]|at \w+ \(|ZodError|"code":/);
      // Still on the Connect screen, nothing added.
      await expect(page.getByLabel('Connection string', { exact: true })).toHaveValue(uri);
      await expect(page.getByRole('list', { name: 'Connections', exact: true })).toHaveCount(0);
    }
    await snap('malformed');
  });

  test('an unreachable server gets a clear error within seconds', async ({ page, snap }) => {
    const started = Date.now();
    // A refused port is said at once (the "Connecting…" state may be too brief to see).
    await connectWith(page, 'mongodb://127.0.0.1:1/');
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible({ timeout: 15_000 });
    await expect(alert).toContainText('127.0.0.1:1');
    await expect(alert).toContainText(/the connection was refused/i);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The form is usable again (no endless spinner).
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    await snap('unreachable');
  });
});

test('a server that stops answering gets an error with Retry, not an endless spinner', async ({ page, snap }) => {
  const { startMongoTestServer } = await import('../testkit/mongo/index');
  const server = await startMongoTestServer();
  try {
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(server.uri);
    await client.db('shop').collection('orders').insertOne({ n: 1 });
    await client.close();

    await connectWith(page, server.uri, 'Flaky');
    await expect(databaseItem(page, 'shop')).toBeVisible({ timeout: 20_000 });

    // The server goes away: new connections are refused and open ones dropped.
    server.faults.refuseConnectionsFor(120_000);
    server.faults.closeAllConnections();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load the databases' });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText(server.uri.replace(/^mongodb:\/\/|\/$/g, ''));
    await expect(page.getByRole('status').filter({ hasText: 'Loading databases' })).toHaveCount(0);
    await snap('browse-error');

    // Back again: Retry shows the databases.
    server.faults.reset();
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(databaseItem(page, 'shop')).toBeVisible({ timeout: 30_000 });
  } finally {
    await server.stop();
  }
});
