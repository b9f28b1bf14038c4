/** Small helpers the specs share: connecting through the UI and dropping files on the window. */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** Types a connection string in the Connect screen and presses Connect. */
export async function connectWith(page: Page, uri: string, name?: string): Promise<void> {
  const newConnection = page.getByRole('button', { name: 'New connection' });
  if (!(await page.getByLabel('Connection string', { exact: true }).isVisible())) await newConnection.click();
  await page.getByLabel('Connection string', { exact: true }).fill(uri);
  if (name !== undefined) await page.getByLabel('Name (optional)').fill(name);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

export interface DroppedFile {
  name: string;
  /** Text content, or raw bytes. */
  text?: string;
  bytes?: number[];
  type?: string;
}

/**
 * Drops files on the window the way a person would: a DataTransfer holding Files built in the page,
 * dispatched as dragenter (the overlay appears) then drop on the window.
 */
export async function dropFiles(
  page: Page,
  files: DroppedFile[],
  options: { checkOverlay?: boolean } = {},
): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      const body = file.bytes ? new Uint8Array(file.bytes) : (file.text ?? '');
      transfer.items.add(new File([body], file.name, { type: file.type ?? 'text/plain' }));
    }
    return transfer;
  }, files);
  await page.evaluate((transfer) => {
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, dataTransfer);
  if (options.checkOverlay !== false)
    await expect(page.getByTestId('drop-overlay')).toContainText('Drop connection files');
  await page.evaluate((transfer) => {
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, dataTransfer);
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await dataTransfer.dispose();
}

/** A database's item in a tree: its name says what its row shows ("shop 2 collections · 40 KB"). */
export function databaseItem(scope: Pick<Page, 'getByRole'>, db: string) {
  const escaped = db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByRole('treeitem', { name: new RegExp(`^${escaped} [\\d,]+ collections?\\b`) });
}

/** Selects a collection in the connection's database tree. */
export async function selectCollection(page: Page, db: string, coll: string): Promise<void> {
  const tree = page.getByRole('tree');
  await expect(tree).toBeVisible({ timeout: 20_000 });
  const dbItem = databaseItem(tree, db);
  if ((await dbItem.getAttribute('aria-expanded')) === 'false') {
    await dbItem.focus();
    await page.keyboard.press('ArrowRight');
  }
  await tree.getByRole('treeitem', { name: coll, exact: true }).click();
  await expect(page.getByText(`${db}.${coll}`, { exact: true })).toBeVisible();
}

/** Migrate… -> provider -> action. */
export async function startAction(page: Page, providerLabel: string, actionLabel: string): Promise<void> {
  await page.getByRole('button', { name: 'Migrate…' }).click();
  await page.getByRole('list', { name: 'Migrations' }).getByRole('button', { name: providerLabel }).click();
  await page
    .getByRole('list', { name: `Actions of ${providerLabel}` })
    .getByRole('button', { name: actionLabel })
    .click();
}

/** What to do with a prompt, chosen by its title (the dialog's accessible name). */
export type PromptHandler = (dialog: ReturnType<Page['getByRole']>, page: Page) => Promise<void>;

/** A dialog's title, or undefined when it is gone within half a second. */
function heading(dialog: Locator): Promise<string | undefined> {
  return dialog
    .locator('h2')
    .first()
    .innerText({ timeout: 500 })
    .catch(() => undefined);
}

/**
 * Answers provider prompts (modal dialogs) by title until `done` is visible. Fails with the dialog's
 * text when a prompt has no handler or is asked again with an error.
 */
export async function answerPrompts(
  page: Page,
  handlers: Array<[RegExp, PromptHandler]>,
  done: ReturnType<Page['getByRole']>,
  timeoutMs = 60_000,
): Promise<string[]> {
  const seen: string[] = [];
  const dialog = page.getByRole('dialog');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await expect(dialog.or(done).first()).toBeVisible({ timeout: Math.max(1_000, deadline - Date.now()) });
    if (!(await dialog.isVisible())) return seen;
    // The dialog can go between two looks: a short wait for its title, then look again.
    const title = (await heading(dialog))?.trim();
    if (title === undefined) {
      if (Date.now() > deadline) throw new Error(`A dialog without a title: ${await dialog.innerText()}`);
      continue;
    }
    const handler = handlers.find(([pattern]) => pattern.test(title))?.[1];
    if (!handler) throw new Error(`Unexpected prompt "${title}": ${await dialog.innerText()}`);
    seen.push(title);
    await handler(dialog, page);
    // Wait for this prompt to go; a prompt asked again with an error fails the test at once.
    for (;;) {
      if (!(await dialog.isVisible())) break;
      // Gone between the two looks, the title is undefined (waiting the action timeout here let a slow
      // copy run to its end before the test could pause or cancel it).
      if ((await heading(dialog))?.trim() !== title) break;
      const alert = dialog.getByRole('alert');
      if (await alert.count()) throw new Error(`Prompt "${title}" was asked again: ${await alert.first().innerText()}`);
      if (Date.now() > deadline) throw new Error(`Prompt "${title}" did not go away`);
      await page.waitForTimeout(150);
    }
  }
}

/**
 * The MongoDB copy's prompts for "Copy this collection": the target server, the plan (target database,
 * the collection keeps its name), then Start on the pre-flight report.
 */
export function copyCollectionPrompts(
  targetUri: string,
  targetDb: string,
  coll: string,
): Array<[RegExp, PromptHandler]> {
  return [
    [
      /which server/i,
      async (dialog) => {
        await dialog.getByRole('textbox').fill(targetUri);
        await dialog.getByRole('button', { name: 'OK', exact: true }).click();
      },
    ],
    [
      /plan the copy/i,
      async (dialog) => {
        await dialog.getByLabel('Target database').fill(targetDb);
        await expect(dialog.getByLabel('Target collection')).toHaveValue(coll);
        await dialog.getByRole('button', { name: /review the plan/i }).click();
      },
    ],
    [
      /review|plan|pre-?flight|ready/i,
      async (dialog) => {
        await expect(dialog.getByRole('table')).toContainText(coll);
        await dialog.getByRole('button', { name: 'Start copy' }).click();
      },
    ],
  ];
}
