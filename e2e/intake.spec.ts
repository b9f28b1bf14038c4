/**
 * Files dropped anywhere on the window go to the intake: the connections found in them are previewed
 * (redacted, duplicates flagged), the person chooses and saves them, and they appear in the saved
 * connections. A file that is not a connection file gets an error naming it.
 */
import { compassExport } from '../testkit/compass/export-fixture';
import { test, expect } from './fixtures';
import { dropFiles } from './helpers';

test.describe('dropping connection files', () => {
  test('a dropped file holding a connection string ends in the saved connections', async ({ page, snap }) => {
    await dropFiles(page, [
      {
        name: 'production.env',
        text: '# the shop\nAPP_PORT=8080\nSHOP_MONGODB_URI="mongodb://reporter:s3cret@db.shop.example:27017/shop?authSource=admin"\n',
      },
    ]);
    const intake = page.getByRole('region', { name: 'Opened files' });
    await expect(intake).toContainText('production.env');
    await expect(intake).toContainText('1 connection found');
    const choices = intake.getByRole('list', { name: 'Connections in production.env' });
    await expect(choices.getByRole('checkbox', { name: /SHOP_MONGODB_URI/ })).toBeChecked();
    await expect(choices).toContainText('mongodb://reporter:****@db.shop.example:27017/shop?authSource=admin');
    await snap('preview');
    await intake.getByRole('button', { name: 'Save 1 connection' }).click();
    await expect(intake).toContainText('saved 1 connection');
    // The password never reaches the window.
    await expect(page.locator('body')).not.toContainText('s3cret');
    await intake.getByRole('button', { name: 'Show saved connections' }).click();
    const table = page.getByRole('table', { name: 'Saved connections' });
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText('SHOP_MONGODB_URI');
    await expect(table).toContainText('db.shop.example:27017');
    await expect(page.getByRole('button', { name: /Saved connections/ })).toContainText('1');
    await snap('saved');

    // The same file again: its entry is flagged as a duplicate and starts unchosen.
    await dropFiles(page, [{ name: 'again.env', text: 'X="mongodb://reporter:other@DB.SHOP.EXAMPLE/shop"\n' }]);
    const again = intake.getByRole('list', { name: 'Connections in again.env' });
    await expect(again).toContainText('already saved as SHOP_MONGODB_URI');
    await expect(again.getByRole('checkbox')).not.toBeChecked();
    await expect(intake.getByRole('button', { name: 'Save 0 connections' })).toBeDisabled();
  });

  test('a Compass export keeps its favourites and when each was last used', async ({ page }) => {
    const text = compassExport([
      {
        connectionString: 'mongodb://ada@db.shop.example:27017/shop',
        favoriteName: 'Shop (prod)',
        lastUsed: new Date('2024-06-30T08:15:00Z'),
      },
      {
        connectionString: 'mongodb://bob@crm.example:27017/crm',
        favoriteName: 'CRM',
        savedConnectionType: 'recent',
        lastUsed: null,
      },
    ]);
    await dropFiles(page, [{ name: 'compass-connections.json', text }]);
    const intake = page.getByRole('region', { name: 'Opened files' });
    await expect(intake).toContainText('2 connections found');
    await intake.getByRole('button', { name: 'Save 2 connections' }).click();
    await expect(intake).toContainText('saved 2 connections');
    await intake.getByRole('button', { name: 'Show saved connections' }).click();
    const table = page.getByRole('table', { name: 'Saved connections' });
    const shop = table.getByRole('row').filter({ hasText: 'Shop (prod)' });
    await expect(shop.getByRole('button', { name: 'Favourite Shop (prod)' })).toHaveAttribute('aria-pressed', 'true');
    await expect(shop).toContainText(/Jun.*2024|2024.*Jun|30.*2024/);
    await expect(shop).not.toContainText('Never');
    const crm = table.getByRole('row').filter({ hasText: 'CRM' });
    await expect(crm.getByRole('button', { name: 'Favourite CRM' })).toHaveAttribute('aria-pressed', 'false');
    await expect(crm).toContainText('Never');
  });

  test('a dropped corrupt file gets an error naming it', async ({ page, snap }) => {
    const bytes = [
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0xff, 0xfe,
    ];
    await dropFiles(page, [
      { name: 'holiday.png', bytes, type: 'image/png' },
      { name: 'uris.txt', text: 'mongodb://127.0.0.1:27017/\nmongodb://:@\n' },
      {
        name: 'broken.cutover',
        text: '{"type": "Cutover Connections", "version": 1, "connections": [{"name": "x", "uri": "mongodb://h/"',
      },
      { name: 'people.csv', text: 'name,email\nAda,ada@example.com\n' },
    ]);
    const alerts = page.getByRole('alert');
    await expect(alerts.filter({ hasText: 'holiday.png' })).toContainText(/not a connection file/i);
    await expect(alerts.filter({ hasText: 'broken.cutover' })).toContainText(
      'broken.cutover: it ends too early (the file is truncated).',
    );
    await expect(alerts.filter({ hasText: 'people.csv' })).toContainText(
      'people.csv is a CSV data file: select the database of a MongoDB connection to import it into',
    );
    // The good line of uris.txt can be saved, its bad line named.
    await expect(alerts.filter({ hasText: 'uris.txt' })).toContainText('uris.txt line 2');
    const intake = page.getByRole('region', { name: 'Opened files' });
    await expect(intake.getByRole('list', { name: 'Connections in uris.txt' }).getByRole('checkbox')).toHaveCount(1);
    await snap('errors');
    // Dismissing an entry removes it.
    await page.getByRole('button', { name: 'Dismiss holiday.png' }).click();
    await expect(page.getByText('holiday.png')).toHaveCount(0);
  });

  test('an encrypted .cutover file asks for its passphrase, refuses a wrong one, then imports', async ({
    page,
    harness,
  }) => {
    test.skip(!harness, 'Builds the file through the core of the browser harness.');
    const { writeCutoverFile } = await import('../main/core/connection-files/cutover-file');
    const text = await writeCutoverFile(
      [
        {
          name: 'Team DB',
          kind: 'postgres',
          publicUri: 'postgres://ada@pg.team.example/app',
          secrets: { password: 'p@ss:w/rd%' },
          favourite: true,
        },
      ],
      { passphrase: 'correct horse' },
    );
    await dropFiles(page, [{ name: 'team.cutover', text }]);
    const intake = page.getByRole('region', { name: 'Opened files' });
    await expect(intake.getByRole('button', { name: 'Save 1 connection' })).toBeDisabled();
    const passphrase = intake.getByLabel('Passphrase for team.cutover');
    await passphrase.fill('wrong horse');
    await intake.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'team.cutover' })).toContainText('wrong passphrase');
    await passphrase.fill('correct horse');
    await intake.getByRole('button', { name: 'Unlock' }).click();
    await expect(intake.getByRole('button', { name: 'Save 1 connection' })).toBeEnabled();
    await expect(intake).toContainText('postgres://ada:****@pg.team.example/app');
    await intake.getByRole('button', { name: 'Save 1 connection' }).click();
    await expect(intake).toContainText('saved 1 connection');
    const [saved] = await harness!.core.saved.list();
    expect(saved).toMatchObject({ name: 'Team DB', favourite: true });
    expect(decodeURIComponent(new URL(await harness!.core.saved.uriOf(saved.id)).password)).toBe('p@ss:w/rd%');
  });
});

test('a file opened by the system (double-click, argv, second instance) shows its connections', async ({
  page,
  harness,
}, testInfo) => {
  test.skip(
    !harness,
    'Needs the browser harness to open a file on the main side (in Electron this is the OS open-file path).',
  );
  const { writeFile } = await import('node:fs/promises');
  const file = testInfo.outputPath('team.cutover.txt');
  await writeFile(
    file,
    '# team servers\nmongodb://analytics.example:27017/\nmongodb+srv://app:pw@cluster0.example.net/\n',
  );
  await harness!.core.openFile(file);
  const intake = page.getByRole('region', { name: 'Opened files' });
  await expect(intake).toContainText('team.cutover.txt');
  await expect(intake).toContainText('2 connections found');
  await intake.getByRole('button', { name: 'Save 2 connections' }).click();
  await expect(intake).toContainText('saved 2 connections');
  await expect(page.getByRole('button', { name: /Saved connections/ })).toContainText('2');
});
