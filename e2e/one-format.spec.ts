/**
 * One byte format across the app (issue 16): after a copy, the sizes the window draws (tree, data view)
 * and the sizes the provider wrote into its summary and plan read alike: "1,002 KB" or "3.4 MB", never
 * "1001.6 KB" or "12.0 KB", never "B" beside "bytes".
 */
import type { MongoTestServer, UsedMongo } from '../testkit/mongo/index';
import type { Page } from '@playwright/test';
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
import { uniqueName } from './data';

const SIZE = /(-?[\d.,]+)\s?(bytes?|B|KB|MB|GB|TB|KiB|MiB|GiB)\b/g;

/** Every size in a text, with what is wrong with each (empty when all follow the one rule). */
function sizeProblems(text: string): { sizes: string[]; problems: string[] } {
  const sizes: string[] = [];
  const problems: string[] = [];
  for (const match of text.matchAll(SIZE)) {
    const [whole, number, unit] = match;
    sizes.push(whole);
    if (!['byte', 'bytes', 'KB', 'MB', 'GB', 'TB'].includes(unit)) problems.push(`${whole}: unit ${unit}`);
    else if (!/^\d{1,3}(,\d{3})*(\.\d)?$/.test(number)) problems.push(`${whole}: digits not grouped as "1,002"`);
    else if (/\.0$/.test(number)) problems.push(`${whole}: a trailing ".0"`);
    else if (number.includes('.') && Number(number.replace(/,/g, '')) >= 100)
      problems.push(`${whole}: a decimal at 100 or more`);
    else if (unit.startsWith('byte') && number.includes('.')) problems.push(`${whole}: a fraction of a byte`);
  }
  return { sizes, problems };
}

async function expectOneFormat(page: Page, where: string): Promise<string[]> {
  const { sizes, problems } = sizeProblems(await page.getByRole('main').innerText());
  expect(problems, `sizes on ${where}: ${sizes.join(' | ')}`).toEqual([]);
  return sizes;
}

test.describe('One byte format', () => {
  let source: UsedMongo;
  let target: MongoTestServer;
  let sourceDb: string;
  const coll = 'sized';

  useSeededSource('e2e_fmt', coll, 300, (seeded) => ({ source, sourceDb } = seeded), 120_000);
  useFreshTarget((server) => (target = server));

  test('the window and the provider summaries print sizes the same way', async ({ page }) => {
    test.setTimeout(180_000);
    const targetDb = uniqueName('e2e_fmt_dst');
    await connectWith(page, source.uri, 'Source');
    await selectCollection(page, sourceDb, coll);
    const viewSizes = await expectOneFormat(page, 'the data view');
    expect(viewSizes.length, 'the data view shows the collection size').toBeGreaterThan(0);

    await startAction(page, 'MongoDB copy', 'Copy this collection');
    const result = page.getByRole('heading', { level: 2, name: 'Copy finished' });
    let planSizes: string[] = [];
    const handlers = copyCollectionPrompts(target.uri, targetDb, coll).map(
      ([pattern, handle]): [RegExp, PromptHandler] => [
        pattern,
        async (dialog, p) => {
          const { sizes, problems } = sizeProblems(await dialog.innerText());
          expect(problems, `sizes in the prompt: ${sizes.join(' | ')}`).toEqual([]);
          planSizes = planSizes.concat(sizes);
          await handle(dialog, p);
        },
      ],
    );
    await answerPrompts(page, handlers, result, 120_000);
    await expect(result).toBeVisible();
    expect(planSizes.length, 'the pre-flight report names sizes').toBeGreaterThan(0);

    const panel = page.getByRole('region', { name: 'Copy finished' });
    await expect(panel).toContainText('Data copied');
    const summarySizes = await expectOneFormat(page, 'the result');
    expect(summarySizes.length, 'the summary names the data copied').toBeGreaterThan(0);
  });
});

test('the size rule itself catches the old slips', () => {
  expect(sizeProblems('1001.6 KB').problems).toHaveLength(1);
  expect(sizeProblems('12.0 KB').problems).toHaveLength(1);
  expect(sizeProblems('512 B').problems).toHaveLength(1);
  expect(sizeProblems('1,002 KB · 3.4 MB · 1 byte · 1,023 bytes').problems).toEqual([]);
});
