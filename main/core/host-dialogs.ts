/**
 * Questions the host asks itself, never through the window: which file to read or write, whether an
 * existing file may be replaced, and yes/no confirmations for answers that matter (exporting secrets…).
 * Electron answers them with native dialogs, the command line with its arguments and flags, the browser
 * harness with its own chooser page (another origin, its own key) and its terminal. The job runner's UI
 * port (`chooseFile`, `confirmReplace`) and the export of saved connections reach them through this
 * interface. The window cannot answer them, so a compromised window cannot skip them.
 */
import { lstatSync } from 'node:fs';

export interface FileChoiceRequest {
  /** The job asking, to say what the choice is for. */
  jobTitle: string;
  mode: 'open' | 'save';
  title: string;
  pick: 'file' | 'folder' | 'file-or-folder';
  filters?: Array<{ name: string; extensions: string[] }>;
  defaultName?: string;
  /** Aborts when the job is cancelled: the host withdraws the question. */
  signal?: AbortSignal;
}

export interface FileChoice {
  path: string;
  /** The chooser itself already asked whether to replace exactly this path (a Save dialog does). */
  replaceConfirmed?: boolean;
}

export interface ReplaceRequest {
  jobTitle: string;
  title: string;
  /** Existing files the job would replace. */
  files: string[];
  signal?: AbortSignal;
}

export interface ConfirmRequest {
  message: string;
  detail?: string;
  /** The label of the button that says yes. */
  confirmLabel: string;
}

export interface HostDialogs {
  /** Where the person answers, for the window's "waiting" note (e.g. "in the dialog"). */
  where: string;
  chooseFile(request: FileChoiceRequest): Promise<FileChoice | undefined>;
  confirmReplace(request: ReplaceRequest): Promise<boolean>;
  /** A question the person answers on the host side; false when declined or dismissed. */
  confirm(request: ConfirmRequest): Promise<boolean>;
}

/** A host that cannot ask (tests, embedders): choosing fails and nothing existing is replaced. */
export const NO_HOST_DIALOGS: HostDialogs = {
  where: 'nowhere',
  chooseFile: async (request) => {
    throw new Error(
      `${request.title}: this Cutover has no file chooser; give the path where the job is started (the command line's arguments).`,
    );
  },
  confirmReplace: async ({ files }) => {
    throw new Error(`${files[0]} exists already, and nothing here can ask whether to replace it: choose another name.`);
  },
  confirm: async () => false,
};

/** Why Cutover will not replace this existing path, or undefined (also when nothing is there). */
export function whyNotReplaceable(file: string): string | undefined {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return `${file} is a folder: Cutover only replaces files.`;
  if (!stat.isFile()) return `${file} is not a regular file (a link, a device or a pipe): Cutover does not replace it.`;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    return `${file} belongs to another user: Cutover never replaces it. Choose another name.`;
  if ((stat.mode & 0o200) === 0)
    return `${file} is read-only: Cutover never replaces it. Make it writable, or choose another name.`;
  return undefined;
}

export function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
