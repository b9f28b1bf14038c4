/** The Saved connections actions stay on one line at 1280 px (they wrapped, one button a line). */
import { test, expect } from './fixtures';

test('saved connection actions do not wrap at 1280 px', async ({ page, harness }) => {
  test.skip(!harness, 'saves connections through the core of the browser harness');
  await harness!.core.dispatch('connections.saved.add', {
    uri: 'mongodb://reporter:secret@db-primary.shop.example:27017/shop?authSource=admin',
    name: 'Shop production (primary)',
  });
  await harness!.core.dispatch('connections.saved.add', {
    uri: 'postgres://app@pg.internal.example:5432/orders',
    name: 'Orders',
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page
    .getByRole('navigation')
    .getByRole('button', { name: /Saved connections/ })
    .click();
  const row = page.getByRole('row').filter({ hasText: 'Shop production (primary)' });
  await expect(row.getByRole('button', { name: /^Delete/ })).toBeVisible();
  const boxes = await row
    .locator('.row-actions .button')
    .evaluateAll((buttons) =>
      buttons.map((b) => ({ top: Math.round(b.getBoundingClientRect().top), right: b.getBoundingClientRect().right })),
    );
  expect(new Set(boxes.map((b) => b.top)).size, `action tops ${boxes.map((b) => b.top).join(', ')}`).toBe(1);
  for (const box of boxes) expect(box.right).toBeLessThanOrEqual(1280);
});
