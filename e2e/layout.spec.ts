/**
 * Layout details from issue 16, measured in the page as a person sees it: empty states keep their text off
 * the card's edge; at 800×600 no screen scrolls sideways (Saved connections with several rows included);
 * the import preview shows its last column whole; New connection focuses the connection field.
 */
import type { Locator, Page } from '@playwright/test';
import { MongoClient } from 'mongodb';
import { startMongoTestServer, type MongoTestServer } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { connectWith, databaseItem, dropFiles } from './helpers';

/** Nothing wider than the window: the page and every scroll container inside it. */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const found: string[] = [];
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1)
      found.push(`the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const style = getComputedStyle(el);
      if (!['auto', 'scroll'].includes(style.overflowX)) continue;
      if (
        el.scrollWidth > el.clientWidth + 1 &&
        el.clientWidth > 0 &&
        !el.closest('table, pre, [data-scrolls-sideways]')
      ) {
        found.push(`${el.tagName.toLowerCase()}.${el.className} scrolls ${el.scrollWidth - el.clientWidth}px sideways`);
      }
    }
    return found;
  });
  expect(overflow, `sideways scrolling on ${where}`).toEqual([]);
}

/** The text of an empty state stands clear of its box's edges. */
async function expectPadded(empty: Locator): Promise<void> {
  await expect(empty).toBeVisible();
  const box = await empty.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      left: parseFloat(style.paddingLeft),
      top: parseFloat(style.paddingTop),
      border: parseFloat(style.borderLeftWidth),
    };
  });
  expect(box.top, 'padding above an empty state').toBeGreaterThanOrEqual(12);
  if (box.border > 0) expect(box.left, 'padding inside a boxed empty state').toBeGreaterThanOrEqual(16);
}

const nav = (page: Page, name: RegExp) => page.getByRole('navigation').getByRole('button', { name });

test.describe('Layout', () => {
  let server: MongoTestServer;

  test.beforeEach(async () => {
    server = await startMongoTestServer();
    const client = await new MongoClient(server.uri).connect();
    await client.db('shop').collection('orders').insertOne({ n: 1 });
    await client.close();
  });

  test.afterEach(async () => {
    await server?.stop();
  });

  test('empty states are padded; at 800×600 nothing scrolls sideways', async ({ page, harness, snap }) => {
    test.skip(!harness, 'saves connections through the core of the browser harness');
    await page.setViewportSize({ width: 800, height: 600 });

    await nav(page, /Saved connections/).click();
    await expectPadded(page.getByText(/^No saved connections yet/));
    await nav(page, /History/).click();
    await expectPadded(page.getByText(/^No migrations yet/));
    await snap('history-empty-800');

    const names = [
      'Shop production (primary, read-only reporting replica)',
      'Orders',
      'Warehouse EU',
      'Analytics (long name for a connection)',
    ];
    await harness!.core.dispatch('connections.saved.add', {
      uri: 'mongodb://reporter:secret@db-primary.shop.example:27017/shop?authSource=admin&replicaSet=rs0',
      name: names[0],
    });
    await harness!.core.dispatch('connections.saved.add', {
      uri: 'postgres://app@pg.internal.example:5432/orders',
      name: names[1],
    });
    await harness!.core.dispatch('connections.saved.add', {
      uri: 'mysql://root@mariadb.warehouse.eu.example:3306/stock',
      name: names[2],
    });
    await harness!.core.dispatch('connections.saved.add', {
      uri: 'mongodb+srv://analyst@cluster0.analytics.mongodb.example/reports',
      name: names[3],
    });
    await nav(page, /History/).click();
    await nav(page, /Saved connections/).click();
    await expect(page.getByRole('row').filter({ hasText: 'Warehouse EU' })).toBeVisible();
    await snap('saved-800');
    await expectNoSidewaysScroll(page, 'Saved connections');

    await connectWith(page, server.uri, 'Shop');
    await expect(page.getByRole('heading', { level: 1, name: 'Shop' })).toBeVisible();
    await expect(page.getByRole('tree')).toBeVisible();
    await expectNoSidewaysScroll(page, 'the connection');
    await databaseItem(page, 'shop').click();
    await expectNoSidewaysScroll(page, 'a database');
    await snap('database-800');
    await page.getByRole('button', { name: 'Migrate…' }).click();
    await expect(page.getByRole('list', { name: 'Migrations' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'Migrate');
    await snap('migrate-800');
    await nav(page, /Settings/).click();
    await expectNoSidewaysScroll(page, 'Settings');
    await page.getByRole('button', { name: 'New connection' }).click();
    await expect(page.getByLabel('Connection string', { exact: true })).toBeFocused();
    await expectNoSidewaysScroll(page, 'New connection');
    await snap('connect-800');
  });

  test('the import preview shows its last column whole', async ({ page, snap }) => {
    await connectWith(page, server.uri, 'Shop');
    await databaseItem(page, 'shop').click();
    const header =
      'order_id,customer_name,shipping_address_line,total_amount_in_euros,delivery_instructions_for_courier';
    const rows = Array.from(
      { length: 5 },
      (_, i) =>
        `${i},Customer number ${i},${i} Long Street Name Avenue,${i}.50,Leave the parcel with the neighbour at number ${i}`,
    );
    await dropFiles(page, [{ name: 'wide.csv', text: `${header}\n${rows.join('\n')}\n`, type: 'text/csv' }], {
      checkOverlay: false,
    });
    const preview = page.getByRole('dialog');
    await expect(preview.getByRole('heading', { level: 2, name: /import settings/i })).toBeVisible({ timeout: 30_000 });
    await preview.getByRole('button', { name: 'Preview' }).click();
    const table = preview.getByRole('table');
    await expect(table).toContainText('delivery_instructions_for_courier');
    const lastHeader = table.getByRole('columnheader').last();
    await lastHeader.scrollIntoViewIfNeeded();
    await snap('preview');
    // The last column can be read: inside the dialog, whether the table scrolls or wraps.
    const [cell, dialogBox] = await Promise.all([lastHeader.boundingBox(), preview.boundingBox()]);
    expect(cell && dialogBox, 'the boxes of the last column and the dialog').toBeTruthy();
    expect(cell!.x + cell!.width).toBeLessThanOrEqual(dialogBox!.x + dialogBox!.width + 0.5);
    const clipped = await lastHeader.evaluate((th) => {
      for (let el: HTMLElement | null = th.parentElement; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.overflowX === 'hidden' || style.overflowX === 'clip') {
          const outer = el.getBoundingClientRect();
          const inner = th.getBoundingClientRect();
          if (inner.right > outer.right + 0.5)
            return `${el.tagName.toLowerCase()}.${el.className} hides ${Math.round(inner.right - outer.right)}px of it`;
        }
      }
      return '';
    });
    expect(clipped).toBe('');
  });

  test('one of a thing is singular: "1 document", "1 bad row"', async ({ page, snap }) => {
    await connectWith(page, server.uri, 'Shop');
    await databaseItem(page, 'shop').click();
    await dropFiles(page, [{ name: 'one.ndjson', text: '{"_id": 1, "name": "good"}\n{"_id": 2, "name": \n' }], {
      checkOverlay: false,
    });
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { level: 2, name: /import settings/i })).toBeVisible({ timeout: 30_000 });
    await dialog.getByLabel('Bad rows').selectOption('continue');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('button', { name: 'Start import' }).click();
    const done = page.getByRole('heading', { level: 2, name: /finished/ });
    await expect(done).toBeVisible({ timeout: 60_000 });
    const main = page.getByRole('main');
    await expect(main).toContainText('Imported 1 document into');
    await expect(main).toContainText('1 bad row was not imported');
    await snap('one-of-each');
    const slips =
      /(^|[^\d,.])1 (documents|bad rows|rows|collections|databases|warnings|errors|namespaces|indexes|items)\b/;
    expect((await main.innerText()).match(slips)?.[0], 'a plural after 1 on the result').toBeUndefined();
    await nav(page, /History/).click();
    await expect(page.getByRole('row').filter({ hasText: 'one' }).first()).toBeVisible();
    expect((await main.innerText()).match(slips)?.[0], 'a plural after 1 in History').toBeUndefined();
  });
});
