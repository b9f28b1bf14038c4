/**
 * The main flow, as a person does it: paste the source connection string, pick a collection of
 * 20,000 documents with mixed BSON types, MongoDB copy -> "Copy this collection", answer the
 * provider's prompts with the second server, watch progress to the end, then check with the driver
 * that the target holds byte-identical documents. And: cancelling mid-copy then resuming it from
 * History, and Pause / Resume; the target answers slowly while a copy should be caught mid-way.
 */
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import { test, expect } from './fixtures';
import { useFreshTarget, useSeededSource } from './scene';
import {
  answerPrompts,
  connectWith,
  copyCollectionPrompts,
  selectCollection,
  startAction,
  type PromptHandler,
} from './helpers';
import { countDocuments, rawDocuments, uniqueName } from './data';
import type { Page } from '@playwright/test';

const DOCS = 20_000;
/** How long the target takes to answer each command while a copy should be caught mid-way. */
const SLOW_MS = 1_000;

test.describe('MongoDB copy', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'customers';

  useSeededSource('e2e_src', coll, DOCS, (seeded) => ({ source, sourceDb } = seeded), 180_000);
  useFreshTarget((server) => (target = server));

  const targetPrompts = (targetUri: string, targetDb: string) => copyCollectionPrompts(targetUri, targetDb, coll);

  test('copies a collection of 20,000 mixed documents byte for byte', async ({ page, snap }) => {
    test.setTimeout(240_000);
    const targetDb = uniqueName('e2e_dst');

    await connectWith(page, source.uri, 'Source');
    await expect(page.getByRole('heading', { level: 1, name: 'Source' })).toBeVisible({ timeout: 20_000 });
    await selectCollection(page, sourceDb, coll);
    await snap('browse');

    await page.getByRole('button', { name: 'Migrate…' }).click();
    const providers = page.getByRole('list', { name: 'Migrations' });
    await expect(providers.getByRole('button', { name: 'MongoDB copy' })).toBeVisible();
    await snap('providers');
    await providers.getByRole('button', { name: 'MongoDB copy' }).click();
    const actions = page.getByRole('list', { name: 'Actions of MongoDB copy' });
    await expect(actions.getByRole('button', { name: 'Copy this collection' })).toBeFocused();
    await expect(page.getByRole('link', { name: 'Learn more…' })).toBeVisible();
    await snap('actions');
    await actions.getByRole('button', { name: 'Copy this collection' }).click();
    const result = page.getByRole('heading', { level: 2, name: 'Copy finished' });
    const handlers = targetPrompts(target.uri, targetDb).map(([pattern, handle], index): [RegExp, PromptHandler] => [
      pattern,
      async (dialog, p) => {
        await snap(`prompt-${index + 1}`);
        await handle(dialog, p);
      },
    ]);
    const prompts = await answerPrompts(page, handlers, result, 180_000);
    expect(prompts.length).toBeGreaterThanOrEqual(2);

    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    await expect(result).toBeVisible({ timeout: 180_000 });
    await expect(overall).toHaveAttribute('aria-valuenow', '100');
    const panel = page.getByRole('region', { name: 'Copy finished' });
    await expect(panel).toContainText(/20,000/);
    await snap('finished');

    // The target holds exactly the source's documents, byte for byte.
    const [from, to] = await Promise.all([
      rawDocuments(source.uri, sourceDb, coll),
      rawDocuments(target.uri, targetDb, coll),
    ]);
    expect(from).toHaveLength(DOCS);
    expect(to).toHaveLength(DOCS);
    let mismatches = 0;
    for (let i = 0; i < DOCS; i++) if (!from[i].equals(to[i])) mismatches++;
    expect(mismatches, 'documents whose bytes differ between source and target').toBe(0);

    // History lists it.
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /History/ })
      .click();
    const row = page.getByRole('row').filter({ hasText: `${sourceDb}.${coll}` });
    await expect(row).toContainText('Succeeded');
    await expect(row).toContainText('20,000');
    await snap('history');
    // And opens the result again.
    await row.getByRole('button').click();
    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible();
  });

  /** Starts "Copy this collection" into targetDb; the target turns slow once the plan is confirmed and slower once the copy makes progress, so it can be caught mid-way. */
  async function startSlowCopy(page: Page, targetDb: string) {
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');
    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    const prompts = targetPrompts(target.uri, targetDb);
    const start = prompts[2][1];
    prompts[2][1] = async (dialog, p) => {
      target.faults.setLatency(150);
      await start(dialog, p);
    };
    await answerPrompts(page, prompts, overall, 60_000);
    const percent = async () => Number((await overall.getAttribute('aria-valuenow')) ?? '0');
    await expect.poll(percent, { timeout: 60_000, message: 'the copy makes progress' }).toBeGreaterThan(0);
    // Once it has started, every reply takes a second: what is left takes some 30 s, well over anything
    // the test does before its click (at 150 ms the rest of the copy took ~5 s).
    target.faults.setLatency(SLOW_MS);
    return { percent };
  }

  test('cancelling mid-copy says how many were copied; History resumes it to every document exactly once', async ({
    page,
    snap,
  }) => {
    test.setTimeout(240_000);
    const targetDb = uniqueName('e2e_dst');
    await startSlowCopy(page, targetDb);
    await snap('running');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    // Documents were written: Cancel asks first.
    const ask = page.getByRole('dialog', { name: 'Stop this job?' });
    await expect(ask).toContainText(/been written so far/);
    await ask.getByRole('button', { name: 'Stop the job' }).click();

    const result = page.getByRole('region', { name: 'Cancelled' });
    await expect(result).toBeVisible({ timeout: 60_000 });
    target.faults.setLatency(0);
    await expect(result).toContainText(/([\d,]+) of 20,000 documents/);
    await snap('cancelled');
    const shown = Number(/([\d,]+) of 20,000 documents/.exec(await result.innerText())![1].replace(/,/g, ''));
    expect(shown).toBeLessThan(DOCS);
    // What the window says was copied is what the target holds.
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(shown);
    await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
    // The namespace stopped part-way reads as cancelled, with its count, not "Skipped".
    await expect(page.getByRole('list', { name: 'Items' })).toContainText(/Cancelled after [\d,]+ documents/);
    await expect(page.getByText('Skipped', { exact: true })).toHaveCount(0);

    // History -> the cancelled job -> Resume: the pre-flight report says it carries on.
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /History/ })
      .click();
    const row = page.getByRole('row').filter({ hasText: `${sourceDb}.${coll}` });
    await expect(row).toContainText('Cancelled');
    await row.getByRole('button').click();
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    const report = page.getByRole('dialog', { name: 'Pre-flight report' });
    await expect(report).toContainText('This copy was interrupted before: it carries on from its checkpoints');
    await snap('resume-report');
    await report.getByRole('button', { name: 'Resume copy' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
    // Every source document is in the target once, byte for byte.
    const [from, to] = await Promise.all([
      rawDocuments(source.uri, sourceDb, coll),
      rawDocuments(target.uri, targetDb, coll),
    ]);
    expect(to).toHaveLength(DOCS);
    expect(to.filter((raw, i) => !raw.equals(from[i]))).toHaveLength(0);
  });

  test('Pause holds the copy, Resume finishes it', async ({ page, snap }) => {
    test.setTimeout(180_000);
    const targetDb = uniqueName('e2e_paused');
    const { percent } = await startSlowCopy(page, targetDb);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Paused. Nothing is being read or written' }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
    await page.waitForTimeout(SLOW_MS * 2.5); // the batches already in flight land
    const atPause = await percent();
    const written = await countDocuments(target.uri, targetDb, coll);
    await page.waitForTimeout(1_500);
    expect(await percent()).toBe(atPause);
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(written);
    expect(written).toBeLessThan(DOCS);
    await snap('paused');

    target.faults.setLatency(0);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Copy finished' })).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('region', { name: 'Copy finished' })).toContainText(/20,000/);
    expect(await countDocuments(target.uri, targetDb, coll)).toBe(DOCS);
  });

  test('the target question is a keyboard-usable planning panel; Escape gives up the plan and leaves nothing in History', async ({
    page,
  }) => {
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    await startAction(page, 'MongoDB copy', 'Copy this collection');

    const dialog = page.getByRole('dialog', { name: 'Copy to which server?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'false');
    const field = dialog.getByRole('textbox');
    await field.focus();
    // A wrong answer is asked again with its error shown in the dialog.
    await field.fill('http://not-mongo');
    await field.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText(/mongodb/i);
    await expect(field).toHaveAttribute('aria-invalid', 'true');

    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    // Back where the person was; nothing was started, nothing is kept.
    await expect(page.getByRole('heading', { level: 1, name: 'Source' })).toBeVisible();
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /History/ })
      .click();
    await expect(page.getByText('No migrations yet.')).toBeVisible();
  });
});
