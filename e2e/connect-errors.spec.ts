/**
 * Bad connection strings and unreachable servers get a clear error in the window, never a hang.
 */
import { test, expect } from './fixtures';
import { connectWith } from './helpers';

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
    await connectWith(page, 'mongodb://127.0.0.1:1/');
    await expect(page.getByRole('button', { name: 'Connecting…' })).toBeVisible();
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible({ timeout: 15_000 });
    await expect(alert).toContainText('127.0.0.1:1');
    await expect(alert).toContainText(/refused|reach|timed out/i);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The form is usable again (no endless spinner).
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    await snap('unreachable');
  });
});
