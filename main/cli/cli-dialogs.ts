/**
 * The command line's answers to the host's own questions: the file to read or write is the one its
 * arguments name (--file, --out), and an existing file is replaced only with --overwrite. Nothing waits
 * for a terminal.
 */
import type { HostDialogs } from '../core/host-dialogs';

export interface CliDialogOptions {
  /** --file: what `chooseFile({mode: 'open'})` answers. */
  open?: string;
  /** --out: what `chooseFile({mode: 'save'})` answers. */
  save?: string;
  /** --overwrite: existing files may be replaced (read-only ones and other users' never are). */
  overwrite?: boolean;
}

export function cliDialogs(options: CliDialogOptions): HostDialogs {
  return {
    where: 'on the command line',
    chooseFile: async (request) => {
      const path = request.mode === 'open' ? options.open : options.save;
      if (!path)
        throw new Error(
          `${request.title}: give it on the command line (${request.mode === 'open' ? '--file' : '--out'}).`,
        );
      return { path };
    },
    confirmReplace: async ({ files }) => {
      if (options.overwrite) return true;
      const more = files.length > 1 ? ` (and ${files.length - 1} more)` : '';
      throw new Error(`${files[0]}${more} exists already: cutover does not replace it without --overwrite.`);
    },
    // The command line's consents are its flags (e.g. a passphrase given to `connections export`): nothing is asked.
    confirm: async () => false,
  };
}
