/**
 * The host's own questions (HostDialogs) as Electron's native dialogs: a Save dialog (which itself asks
 * before replacing a file) and a message box for confirmations. Electron is passed in, so a unit test
 * can drive this without Electron's binary.
 */
import type { BrowserWindow, MessageBoxOptions, MessageBoxReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { HostDialogs } from '../core/host-dialogs';

export interface NativeDialog {
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
}

export function nativeDialogs(dialog: NativeDialog, window: () => BrowserWindow | undefined): HostDialogs {
  const parent = () => {
    const win = window();
    if (!win || win.isDestroyed()) throw new Error('Cutover’s window is closed: nothing was asked.');
    return win;
  };
  return {
    async chooseSavePath({ title, suggestedName, filters }) {
      const result = await dialog.showSaveDialog(parent(), { title, defaultPath: suggestedName, filters, properties: ['showOverwriteConfirmation', 'createDirectory'] });
      return result.canceled || !result.filePath ? undefined : result.filePath;
    },
    async confirm({ message, detail, confirmLabel }) {
      const { response } = await dialog.showMessageBox(parent(), { type: 'warning', message, detail, buttons: [confirmLabel, 'Cancel'], defaultId: 1, cancelId: 1, noLink: true });
      return response === 0;
    },
  };
}
