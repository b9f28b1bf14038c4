/**
 * Accessibility: axe-core on every main screen (connect, browse with the data view, providers, a plan's
 * question, a modal prompt, progress, result, saved connections, history, settings, installed providers) finds no serious or
 * critical violation; each screen is also saved at 800×600 and 1920×1080 (e2e/screenshots/, git-ignored),
 * and at 800×600 nothing scrolls sideways.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { test, expect, repoRoot } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import { answerPrompts, connectWith, copyCollectionPrompts, selectCollection } from './helpers';
import { uniqueName } from './data';

const SIZES = [
  { width: 800, height: 600 },
  { width: 1920, height: 1080 },
];

/** Runs axe (WCAG 2.x A/AA plus label-content-name-mismatch) and keeps screenshots at both sizes. */
async function audit(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const describe = bad
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join('\n  ')}`,
    )
    .join('\n');
  expect(bad, `${screen}: serious or critical axe violations\n${describe}`).toEqual([]);

  const dir = path.join(repoRoot, 'e2e', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    await page.screenshot({ path: path.join(dir, `screen-${screen}-${size.width}x${size.height}.png`) });
    if (size.width === 800) {
      const sideways = await page.evaluate(
        () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
      );
      expect(sideways, `${screen}: scrolls sideways at 800×600`).toBe(false);
    }
  }
  if (before) await page.setViewportSize(before);
}

test.describe('Accessibility', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'clients';

  useSeededSource('e2e_a11y', coll, 4_000, (seeded) => ({ source, sourceDb } = seeded));
  useFreshTarget((server) => (target = server));

  test('every main screen passes axe with no serious or critical violation', async ({ page }) => {
    test.setTimeout(240_000);
    await expect(page.getByLabel('Connection string', { exact: true })).toBeVisible();
    await audit(page, 'connect');

    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await expect(page.getByRole('region', { name: coll })).toContainText('4,000 documents');
    await audit(page, 'browse');

    await page.getByRole('button', { name: 'Migrate…' }).click();
    await expect(
      page.getByRole('list', { name: 'Migrations' }).getByRole('button', { name: 'MongoDB copy' }),
    ).toBeVisible();
    await audit(page, 'providers');

    await page.getByRole('list', { name: 'Migrations' }).getByRole('button', { name: 'MongoDB copy' }).click();
    await page
      .getByRole('list', { name: 'Actions of MongoDB copy' })
      .getByRole('button', { name: 'Copy this collection' })
      .click();
    await expect(page.getByRole('dialog', { name: 'Copy to which server?' })).toBeVisible();
    await audit(page, 'plan');

    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    const prompts = copyCollectionPrompts(target.uri, uniqueName('e2e_a11y_dst'), coll);
    const start = prompts[2][1];
    prompts[2][1] = async (dialog, p) => {
      target.faults.setLatency(150);
      await start(dialog, p);
    };
    await answerPrompts(page, prompts, overall, 60_000);
    await expect
      .poll(async () => Number((await overall.getAttribute('aria-valuenow')) ?? '0'), { timeout: 60_000 })
      .toBeGreaterThan(0);
    // Slow every command from here so the job is still running while the progress screen and the Cancel
    // question are audited (under load, axe can take longer than the rest of a 150 ms-per-command copy).
    target.faults.setLatency(2_000);
    await audit(page, 'progress');

    // A modal prompt: Cancel asks first once documents are written.
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Stop this job?' })).toBeVisible();
    await audit(page, 'modal');
    // (The copy may have finished meanwhile: the question then went with it.)
    await page
      .getByRole('dialog', { name: 'Stop this job?' })
      .getByRole('button', { name: 'Keep going' })
      .click({ timeout: 3_000 })
      .catch(() => undefined);

    target.faults.setLatency(0);
    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
    await audit(page, 'result');

    await page
      .getByRole('navigation')
      .getByRole('button', { name: /Saved connections/ })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: /Saved connections/ })).toBeVisible();
    await audit(page, 'saved');

    await page
      .getByRole('navigation')
      .getByRole('button', { name: /History/ })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: coll })).toBeVisible();
    await audit(page, 'history');

    await page
      .getByRole('navigation')
      .getByRole('button', { name: /Settings/ })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: /Settings/ })).toBeVisible();
    await audit(page, 'settings');

    // The installed providers (third-party) screen.
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Providers/ })
      .click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await audit(page, 'installed-providers');
  });
});
