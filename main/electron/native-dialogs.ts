/**
 * Electron's answers to the host's own questions: the native Open and Save dialogs give the paths a job
 * reads or writes, and a native message box asks before an existing file is replaced. The window takes
 * no part (it cannot draw, answer or skip these). A Save dialog asks about replacing the chosen file
 * itself (macOS and Windows always; Linux with `showOverwriteConfirmation`), so that is not asked twice.
 * Confirmations that matter (exporting secrets) are a native message box too.
 */
import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';
import type { HostDialogs } from '../core/host-dialogs';

/** The part of Electron's `dialog` used here. */
export type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>;

export function nativeDialogs(
  dialog: DialogApi,
  window: () => BrowserWindow | undefined,
  platform: NodeJS.Platform = process.platform,
): HostDialogs {
  const parent = () => {
    const win = window();
    return win && !win.isDestroyed() ? win : undefined;
  };
  const messageBox = (options: MessageBoxOptions) => {
    const win = parent();
    return win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options);
  };
  const open = (options: OpenDialogOptions) => {
    const win = parent();
    return win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
  };
  return {
    where: 'in the dialog Cutover opened',
    async chooseFile(request) {
      if (request.mode === 'open') {
        let pick = request.pick;
        if (pick === 'file-or-folder' && platform !== 'darwin') {
          // Windows and Linux have no dialog that picks either a file or a folder: ask which first.
          const { response } = await messageBox({
            type: 'question',
            title: request.title,
            message: request.title,
            detail: 'A file (JSON, CSV, BSON…), or a folder (a mongodump output)?',
            buttons: ['A file…', 'A folder…', 'Cancel'],
            defaultId: 0,
            cancelId: 2,
          });
          if (response === 2) return undefined;
          pick = response === 0 ? 'file' : 'folder';
        }
        const properties: OpenDialogOptions['properties'] =
          pick === 'folder' ? ['openDirectory'] : pick === 'file' ? ['openFile'] : ['openFile', 'openDirectory'];
        const result = await open({
          title: request.title,
          properties,
          ...(pick === 'folder' ? {} : { filters: request.filters }),
        });
        return result.canceled || !result.filePaths[0] ? undefined : { path: result.filePaths[0] };
      }
      if (request.pick === 'folder') {
        const result = await open({
          title: request.title,
          buttonLabel: 'Export here',
          properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
        });
        return result.canceled || !result.filePaths[0] ? undefined : { path: result.filePaths[0] };
      }
      const options = {
        title: request.title,
        defaultPath: request.defaultName,
        filters: request.filters,
        properties: ['showOverwriteConfirmation', 'createDirectory'] as Array<
          'showOverwriteConfirmation' | 'createDirectory'
        >,
      };
      const win = parent();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? undefined : { path: result.filePath, replaceConfirmed: true };
    },
    async confirmReplace({ title, jobTitle, files }) {
      const { response } = await messageBox({
        type: 'warning',
        title,
        message:
          files.length === 1
            ? `${files[0]} exists already. Replace it?`
            : `${files.length} files exist already. Replace them?`,
        detail: `${jobTitle}\n\n${files.join('\n')}\n\nThey are replaced only when the job completes.`,
        buttons: ['Replace', 'Keep'],
        defaultId: 1,
        cancelId: 1,
      });
      return response === 0;
    },
    async confirm({ message, detail, confirmLabel }) {
      const { response } = await messageBox({
        type: 'warning',
        message,
        detail,
        buttons: [confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      });
      return response === 0;
    },
  };
}
