/**
 * Files dropped anywhere on the window go to the intake: connections found in them appear in the
 * connection list; a file that is not a connection file gets an error naming it.
 */
import { test, expect } from './fixtures';
import { dropFiles } from './helpers';

test.describe('dropping connection files', () => {
  test('a dropped file holding a connection string adds the connection', async ({ page, snap }) => {
    await dropFiles(page, [{ name: 'production.env', text: '# the shop\nAPP_PORT=8080\nSHOP_MONGODB_URI="mongodb://reporter:s3cret@db.shop.example:27017/shop?authSource=admin"\n' }]);
    const connections = page.getByRole('list', { name: 'Connections', exact: true });
    await expect(connections.getByRole('button')).toHaveCount(1);
    const intake = page.getByRole('region', { name: 'Opened files' });
    await expect(intake).toContainText('production.env');
    await expect(intake).toContainText('added 1 connection');
    // The password never reaches the window.
    await expect(page.locator('body')).not.toContainText('s3cret');
    await expect(connections).toContainText('db.shop.example');
    await snap('added');
  });

  test('a dropped corrupt file gets an error naming it', async ({ page, snap }) => {
    const bytes = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0xff, 0xfe];
    await dropFiles(page, [
      { name: 'holiday.png', bytes, type: 'image/png' },
      { name: 'uris.txt', text: 'mongodb://127.0.0.1:27017/\nmongodb://:@\n' },
    ]);
    const alerts = page.getByRole('alert');
    await expect(alerts.filter({ hasText: 'holiday.png' })).toBeVisible();
    await expect(alerts.filter({ hasText: 'holiday.png' })).toContainText(/not a connection file/i);
    // The good line of uris.txt was added, its bad line named.
    await expect(page.getByRole('list', { name: 'Connections', exact: true }).getByRole('button')).toHaveCount(1);
    await expect(alerts.filter({ hasText: 'uris.txt' })).toContainText('line 2');
    await snap('errors');
    // Dismissing an entry removes it.
    await page.getByRole('button', { name: 'Dismiss holiday.png' }).click();
    await expect(page.getByText('holiday.png')).toHaveCount(0);
  });
});

test('a file opened by the system (double-click, argv, second instance) shows its connections', async ({ page, harness }, testInfo) => {
  test.skip(!harness, 'Needs the browser harness to open a file on the main side (in Electron this is the OS open-file path).');
  const { writeFile } = await import('node:fs/promises');
  const file = testInfo.outputPath('team.cutover.txt');
  await writeFile(file, '# team servers\nmongodb://analytics.example:27017/\nmongodb+srv://app:pw@cluster0.example.net/\n');
  await harness!.core.openFile(file);
  const intake = page.getByRole('region', { name: 'Opened files' });
  await expect(intake).toContainText('team.cutover.txt');
  await expect(intake).toContainText('added 2 connections');
  await expect(page.getByRole('list', { name: 'Connections', exact: true }).getByRole('button')).toHaveCount(2);
});
