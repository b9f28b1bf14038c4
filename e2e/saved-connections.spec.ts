/**
 * The Saved connections screen, as a person uses it, against real servers: the MongoDB wire-protocol
 * test server (with users, so a wrong password is refused) and a closed port on 127.0.0.1.
 * Add (the password never reaches the window), Test (connected / refused / wrong password), Edit
 * (rename; moving to another server asks for the password again), Duplicate, Favourite,
 * Delete (with its confirmation), and Connect. Every change is in the data folder: it survives a
 * reload of the window and, with the browser harness, a fresh core reading the same folder.
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { MongoClient } from 'mongodb';
import { startMongoTestServer, type MongoTestServer } from '../testkit/mongo/index';
import { startHarness, type Harness } from '../main/harness/server';
import { expect, test } from './fixtures';
import { databaseItem } from './helpers';

const USER = 'alice';
const PASSWORD = 'Tr0ub4dor-horse';
const WRONG_PASSWORD = 'not-her-Pa55word';

/** A port on 127.0.0.1 nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const withPassword = (server: MongoTestServer, password: string) =>
  server.uri.replace('mongodb://', `mongodb://${USER}:${encodeURIComponent(password)}@`);
const redacted = (server: MongoTestServer) => server.uri.replace('mongodb://', `mongodb://${USER}:****@`);
const hostOf = (server: MongoTestServer) => `127.0.0.1:${server.port}`;

async function seed(server: MongoTestServer, db: string): Promise<void> {
  const client = new MongoClient(withPassword(server, PASSWORD), { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db(db).collection('items').insertOne({ seeded: true });
  } finally {
    await client.close();
  }
}

async function openSavedScreen(page: Page): Promise<Locator> {
  await page
    .getByRole('navigation', { name: 'Cutover' })
    .getByRole('button', { name: /Saved connections/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Saved connections' })).toBeVisible();
  return page.getByRole('table', { name: 'Saved connections' });
}

async function addConnection(page: Page, uri: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  await dialog.getByLabel('Connection string', { exact: true }).fill(uri);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('button', { name: 'Save connection' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Edit ${name}`, exact: true })).toBeVisible();
}

/** The row of the saved connection named `name`. */
function rowOf(table: Locator, name: string): Locator {
  return table
    .getByRole('row')
    .filter({ has: table.page().getByRole('button', { name: `Edit ${name}`, exact: true }) });
}

/** The names of the saved connections, in the order the table lists them. */
async function listedNames(table: Locator): Promise<string[]> {
  return table
    .getByRole('button', { name: /^Edit / })
    .evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('aria-label') ?? '').replace(/^Edit /, '')));
}

/** Presses Test and waits for its result: the row's status (success) or alert (failure). */
async function testConnection(row: Locator, name: string): Promise<void> {
  const button = row.getByRole('button', { name: `Test ${name}`, exact: true });
  await button.click();
  // Disabled while the check runs, enabled again with a result.
  await expect(button).toBeEnabled({ timeout: 30_000 });
  await expect(row.getByRole('status').filter({ hasText: 'Testing…' })).toHaveCount(0);
}

/** Neither password is anywhere in the window: text, markup, or the value of a field. */
async function expectNoSecrets(page: Page): Promise<void> {
  for (const secret of [PASSWORD, WRONG_PASSWORD, encodeURIComponent(PASSWORD)]) {
    await expect(page.locator('body')).not.toContainText(secret);
    expect(await page.content()).not.toContain(secret);
    const values = await page
      .locator('input, textarea')
      .evaluateAll((fields) => fields.map((f) => (f as HTMLInputElement).value));
    expect(values.filter((v) => v.includes(secret))).toEqual([]);
  }
}

test.describe('saved connections', () => {
  let live: MongoTestServer;
  let moved: MongoTestServer;
  let refusedPort: number;

  test.beforeAll(async () => {
    const auth = { users: [{ user: USER, password: PASSWORD }] };
    live = await startMongoTestServer({ auth });
    moved = await startMongoTestServer({ auth });
    await seed(live, 'warehouse');
    await seed(moved, 'shop');
    refusedPort = await closedPort();
  });

  test.afterAll(async () => {
    await live?.stop();
    await moved?.stop();
  });

  test('added with a password it is listed redacted; Test tells connected, refused and wrong password apart', async ({
    page,
    snap,
  }) => {
    const table = await openSavedScreen(page);
    await expect(page.getByText('No saved connections yet.')).toBeVisible();

    await addConnection(page, withPassword(live, PASSWORD), 'Warehouse');
    await expect(table.getByRole('row')).toHaveCount(2);
    const warehouse = rowOf(table, 'Warehouse');
    await expect(warehouse).toContainText(redacted(live));
    await expect(warehouse.getByRole('cell').nth(1)).toHaveText('MongoDB');
    await expect(warehouse.getByRole('cell').nth(2)).toHaveText(hostOf(live));
    await expect(warehouse.getByRole('cell').nth(3)).toHaveText('Never');
    await expect(
      page.getByRole('navigation', { name: 'Cutover' }).getByRole('button', { name: /Saved connections/ }),
    ).toContainText('1');
    await expectNoSecrets(page);

    await addConnection(page, withPassword(live, WRONG_PASSWORD), 'Wrong password');
    await addConnection(page, `mongodb://127.0.0.1:${refusedPort}/`, 'Nobody home');
    await expect(table.getByRole('row')).toHaveCount(4);
    expect(await listedNames(table)).toEqual(['Nobody home', 'Warehouse', 'Wrong password']);
    await expectNoSecrets(page);

    // A live server with the right password.
    await testConnection(warehouse, 'Warehouse');
    await expect(warehouse.getByRole('status')).toHaveText(`Connected to ${hostOf(live)}.`);
    await expect(warehouse.getByRole('alert')).toHaveCount(0);

    // A closed port: refused, said as one sentence naming the address.
    const nobody = rowOf(table, 'Nobody home');
    await testConnection(nobody, 'Nobody home');
    await expect(nobody.getByRole('alert')).toHaveText(
      `Could not reach 127.0.0.1:${refusedPort}: the connection was refused (is the server running, and is the port right?).`,
    );
    await expect(nobody.getByRole('status')).toHaveCount(0);

    // The right server, the wrong password: the server's refusal, without the password.
    const wrong = rowOf(table, 'Wrong password');
    await testConnection(wrong, 'Wrong password');
    await expect(wrong.getByRole('alert')).toHaveText(`${hostOf(live)} rejected the user name or password.`);
    await expect(wrong.getByRole('status')).toHaveCount(0);

    // Each result stays with its own row.
    await expect(warehouse.getByRole('status')).toHaveText(`Connected to ${hostOf(live)}.`);
    await expectNoSecrets(page);
    await snap('tested');
  });

  test('edit keeps the stored password only on the same server; duplicate, favourite and delete last across a reload and a new core', async ({
    page,
    harness,
    dataDir,
    snap,
  }) => {
    let table = await openSavedScreen(page);
    await addConnection(page, withPassword(live, PASSWORD), 'Warehouse');
    await addConnection(page, `mongodb://127.0.0.1:${refusedPort}/`, 'Nobody home');
    const warehouse = rowOf(table, 'Warehouse');
    await testConnection(warehouse, 'Warehouse');
    await expect(warehouse.getByRole('status')).toHaveText(`Connected to ${hostOf(live)}.`);

    // Edit: the form shows **** for the stored password; rename and move it to the other server (which asks for the password).
    await warehouse.getByRole('button', { name: 'Edit Warehouse', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Warehouse' });
    const uriField = dialog.getByLabel('Connection string', { exact: true });
    await expect(uriField).toHaveValue(redacted(live));
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('Warehouse');
    await expect(dialog.getByLabel('Favourite', { exact: true })).not.toBeChecked();
    await expectNoSecrets(page);
    await uriField.fill(`${redacted(moved)}shop?authSource=admin&appName=edited`);
    await dialog.getByLabel('Name', { exact: true }).fill('Shop');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    // The stored password belongs to the old server: **** on another one is refused and it is asked again.
    await expect(dialog.getByRole('alert')).toContainText(
      `The server changed from ${hostOf(live)} to ${hostOf(moved)}: the stored secrets are not sent there. Type the password again in place of ****.`,
    );
    await uriField.fill(`${withPassword(moved, PASSWORD)}shop?authSource=admin&appName=edited`);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toHaveCount(0);

    const shop = rowOf(table, 'Shop');
    await expect(rowOf(table, 'Warehouse')).toHaveCount(0);
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(shop).toContainText(`${redacted(moved)}shop?authSource=admin&appName=edited`);
    await expect(shop.getByRole('cell').nth(2)).toHaveText(hostOf(moved));
    // The result of the test before the edit was about the old address: it is not shown any more.
    await expect(shop.getByRole('status')).toHaveCount(0);
    // The password typed for it was stored: the other server (which needs it) accepts the connection.
    await testConnection(shop, 'Shop');
    await expect(shop.getByRole('status')).toHaveText(`Connected to ${hostOf(moved)}.`);
    await expect(shop.getByRole('alert')).toHaveCount(0);
    await expectNoSecrets(page);

    // Duplicate: a copy with the same address and password, not a favourite.
    await shop.getByRole('button', { name: 'Duplicate Shop', exact: true }).click();
    await expect(table.getByRole('row')).toHaveCount(4);
    const copy = rowOf(table, 'Shop (copy)');
    await expect(copy).toContainText(`${redacted(moved)}shop?authSource=admin&appName=edited`);
    await expect(copy.getByRole('button', { name: 'Favourite Shop (copy)' })).toHaveAttribute('aria-pressed', 'false');
    await testConnection(copy, 'Shop (copy)');
    await expect(copy.getByRole('status')).toHaveText(`Connected to ${hostOf(moved)}.`);
    expect(await listedNames(table)).toEqual(['Nobody home', 'Shop', 'Shop (copy)']);

    // Favourite: the star is pressed and favourites come first.
    const star = copy.getByRole('button', { name: 'Favourite Shop (copy)' });
    await star.click();
    await expect(star).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => listedNames(table)).toEqual(['Shop (copy)', 'Nobody home', 'Shop']);

    // Delete asks first; Cancel keeps it, Delete removes it.
    const nobody = rowOf(table, 'Nobody home');
    await nobody.getByRole('button', { name: 'Delete Nobody home', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Nobody home?' });
    await expect(confirm).toContainText('Servers are not touched');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(table.getByRole('row')).toHaveCount(4);
    await nobody.getByRole('button', { name: 'Delete Nobody home', exact: true }).click();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(confirm).toHaveCount(0);
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(nobody).toHaveCount(0);
    const expected = ['Shop (copy)', 'Shop'];
    expect(await listedNames(table)).toEqual(expected);
    await snap('changed');

    // A reload of the window: the same list, favourite included.
    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Cutover' })).toBeVisible({ timeout: 20_000 });
    table = await openSavedScreen(page);
    await expect.poll(() => listedNames(table)).toEqual(expected);
    await expect(rowOf(table, 'Shop (copy)').getByRole('button', { name: 'Favourite Shop (copy)' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(rowOf(table, 'Shop').getByRole('button', { name: 'Favourite Shop', exact: true })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    await expect(rowOf(table, 'Shop')).toContainText(`${redacted(moved)}shop?authSource=admin&appName=edited`);

    if (!harness) return;
    // On disk: the list in connections.json, the password only sealed.
    const file = await readFile(path.join(dataDir, 'connections.json'), 'utf8');
    expect(
      (JSON.parse(file) as { connections: Array<{ name: string }> }).connections.map((c) => c.name).sort(),
    ).toEqual(['Shop', 'Shop (copy)']);
    expect(file).not.toContain(PASSWORD);
    expect(file).not.toContain(encodeURIComponent(PASSWORD));

    // A new core reading the same data folder (Cutover started again) has it all, password included.
    const again: Harness = await startHarness({ coreOptions: { dataDir } });
    try {
      await page.goto(again.url);
      await expect(page.getByRole('navigation', { name: 'Cutover' })).toBeVisible({ timeout: 20_000 });
      table = await openSavedScreen(page);
      await expect.poll(() => listedNames(table)).toEqual(expected);
      await expect(rowOf(table, 'Shop (copy)').getByRole('button', { name: 'Favourite Shop (copy)' })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      const shopAgain = rowOf(table, 'Shop');
      await testConnection(shopAgain, 'Shop');
      await expect(shopAgain.getByRole('status')).toHaveText(`Connected to ${hostOf(moved)}.`);
      await expectNoSecrets(page);
    } finally {
      await page.goto('about:blank').catch(() => undefined);
      await again.stop();
    }
  });

  test('Export writes the file where Cutover itself asked, after it confirmed the passwords; the window learns only the name', async ({
    page,
    harness,
    dataDir,
    snap,
  }, testInfo) => {
    test.skip(
      !harness,
      'The native Save dialog of the desktop app cannot be answered from here; the host dialogs of the harness are scripted here.',
    );
    const out = testInfo.outputPath('team.cutover');
    const asked: string[] = [];
    // The host's own questions, answered by the test as a person on the harness's chooser page would.
    const own = await startHarness({
      coreOptions: {
        dataDir,
        hostDialogs: {
          where: 'at the test',
          // A Save dialog asks about replacing itself.
          chooseFile: async ({ defaultName }) => (
            asked.push(`save ${defaultName}`),
            { path: out, replaceConfirmed: true }
          ),
          confirmReplace: async () => false,
          confirm: async ({ message }) => (asked.push(message), true),
        },
      },
    });
    try {
      await page.goto(own.url);
      await expect(page.getByRole('navigation', { name: 'Cutover' })).toBeVisible({ timeout: 20_000 });
      const table = await openSavedScreen(page);
      await addConnection(page, withPassword(live, PASSWORD), 'Warehouse');
      await rowOf(table, 'Warehouse').getByRole('checkbox', { name: 'Choose Warehouse for export' }).check();
      await page.getByRole('button', { name: 'Export 1…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export 1 connection' });
      await dialog.getByRole('checkbox', { name: /Include passwords/ }).check();
      await dialog.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await expect(dialog).toHaveCount(0);
      await expect(page.getByRole('main').getByText('Written to team.cutover', { exact: true })).toBeVisible();
      expect(asked).toEqual(['Export this connection with its passwords?', 'save Warehouse.cutover']);
      const file = await readFile(out, 'utf8');
      expect(file).toContain('"secrets": "encrypted"');
      expect(file).not.toContain(PASSWORD);
      await expectNoSecrets(page);
      await snap('exported');
    } finally {
      await page.goto('about:blank').catch(() => undefined);
      await own.stop();
    }
  });

  test('Connect on a saved connection opens it and lists its databases', async ({ page, snap }) => {
    let table = await openSavedScreen(page);
    await addConnection(page, withPassword(live, PASSWORD), 'Warehouse');
    await addConnection(page, `mongodb://127.0.0.1:${refusedPort}/`, 'Nobody home');

    // An unreachable one says why in its row and stays on the list.
    await rowOf(table, 'Nobody home').getByRole('button', { name: 'Connect to Nobody home' }).click();
    await expect(rowOf(table, 'Nobody home').getByRole('alert')).toContainText(`127.0.0.1:${refusedPort}`, {
      timeout: 30_000,
    });
    await expect(rowOf(table, 'Nobody home').getByRole('alert')).toContainText(/refused/i);
    await expect(page.getByRole('heading', { level: 1, name: 'Saved connections' })).toBeVisible();

    await rowOf(table, 'Warehouse').getByRole('button', { name: 'Connect to Warehouse' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Warehouse' })).toBeVisible({ timeout: 20_000 });
    const tree = page.getByRole('tree');
    await expect(databaseItem(tree, 'warehouse')).toBeVisible({ timeout: 20_000 });
    await expect(databaseItem(tree, 'shop')).toHaveCount(0);
    await expect(
      page.getByRole('list', { name: 'Connections', exact: true }).getByRole('button', { name: /Warehouse/ }),
    ).toBeVisible();
    await expectNoSecrets(page);
    await snap('connected');

    // Its last use is recorded.
    table = await openSavedScreen(page);
    await expect(rowOf(table, 'Warehouse').getByRole('cell').nth(3)).not.toHaveText('Never');
    await expect(rowOf(table, 'Nobody home').getByRole('cell').nth(3)).toHaveText('Never');
  });
});
