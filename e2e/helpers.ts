/** Small helpers the specs share: connecting through the UI and dropping files on the window. */
import type { Page } from '@playwright/test';
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
export async function dropFiles(page: Page, files: DroppedFile[], options: { checkOverlay?: boolean } = {}): Promise<void> {
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
  if (options.checkOverlay !== false) await expect(page.getByTestId('drop-overlay')).toContainText('Drop connection files');
  await page.evaluate((transfer) => {
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, dataTransfer);
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await dataTransfer.dispose();
}
