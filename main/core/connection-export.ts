/**
 * Saved connections exported to a .cutover file. The text is made on the main side only (it may hold
 * secrets, sealed with the person's passphrase). For the window, the host asks where to write (and, for
 * secrets, whether to), the main side writes the file (owner-only, never half-written), and the window
 * learns only the file's name or that it was cancelled.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../../providers/api/errors';
import { writeCutoverFile } from './connection-files/cutover-file';
import { exists, whyNotReplaceable, type HostDialogs } from './host-dialogs';
import type { SavedConnectionStore } from './saved-connections/store';

/** The text of a .cutover file of these saved connections (main side only: it may hold sealed secrets). */
export async function exportText(
  saved: SavedConnectionStore,
  ids: string[],
  passphrase?: string,
): Promise<{ fileName: string; content: string; names: string[]; withSecrets: boolean }> {
  const entries = await saved.exportEntries(ids);
  const fileName =
    entries.length === 1
      ? `${entries[0].name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').trim() || 'connection'}.cutover`
      : 'connections.cutover';
  const withSecrets = !!passphrase && entries.some((e) => e.secrets.password || e.secrets.options);
  return {
    fileName,
    content: await writeCutoverFile(entries, { passphrase }),
    names: entries.map((e) => e.name),
    withSecrets,
  };
}

/** Export for the window, through the host's own dialogs; resolves with the file's name, or nothing when cancelled. */
export async function exportToChosenFile(
  saved: SavedConnectionStore,
  dialogs: HostDialogs | undefined,
  ids: string[],
  passphrase?: string,
): Promise<{ fileName?: string }> {
  if (!dialogs)
    throw new BadRequestError(
      'Exporting needs a Save dialog on the host side, and this Cutover has none: use the desktop app, or "cutover connections export --out FILE".',
    );
  const { fileName, content, names, withSecrets } = await exportText(saved, ids, passphrase);
  if (withSecrets) {
    const listed =
      names.length <= 5
        ? names.map((n) => `"${n}"`).join(', ')
        : `${names
            .slice(0, 5)
            .map((n) => `"${n}"`)
            .join(', ')} and ${names.length - 5} more`;
    const agreed = await dialogs.confirm({
      message: `Export ${names.length === 1 ? 'this connection' : `${names.length} connections`} with ${names.length === 1 ? 'its' : 'their'} passwords?`,
      detail: `Passwords, tokens and secret options of ${listed} will be written to a file, encrypted with the passphrase typed in the window. Anyone who has the file and the passphrase can read them.`,
      confirmLabel: 'Export with passwords',
    });
    if (!agreed) return {};
  }
  const choice = await dialogs.chooseFile({
    jobTitle: 'Export connections',
    mode: 'save',
    pick: 'file',
    title: 'Export connections',
    defaultName: fileName,
    filters: [{ name: 'Cutover connection file', extensions: ['cutover'] }],
  });
  if (!choice) return {};
  const target = choice.path;
  const refusal = whyNotReplaceable(target);
  if (refusal) throw new BadRequestError(refusal);
  if (
    !choice.replaceConfirmed &&
    exists(target) &&
    !(await dialogs.confirmReplace({ jobTitle: 'Export connections', title: 'Export connections', files: [target] }))
  )
    return {};
  // Written beside the target, then renamed: readable by its owner only, never half-written.
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new Error(`${path.basename(target)} could not be written: ${(error as Error).message}`);
  }
  return { fileName: path.basename(target) };
}
