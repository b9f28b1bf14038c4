/**
 * Registers every call of the IPC contract on ipcMain and forwards every core event to the window.
 * Payloads are validated by the core's dispatcher; only the app's own frame may call.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { callNames, channelOf, type EventName } from '../../preload/contract';
import type { CutoverCore } from '../core/app-core';

export function registerIpc(
  ipcMain: IpcMain,
  core: CutoverCore,
  window: () => BrowserWindow | undefined,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const name of callNames) {
    ipcMain.handle(channelOf(name), (event, payload: unknown) => {
      if (!isTrustedSender(event))
        return {
          ok: false,
          error: { code: 'unauthorized', message: 'Calls are only accepted from Cutover’s own window.' },
        };
      return core.dispatchFromWindow(name, payload);
    });
  }
  const unsubscribe = core.onEvent((name: EventName, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(channelOf(name), payload);
  });
  return () => {
    unsubscribe();
    for (const name of callNames) ipcMain.removeHandler(channelOf(name));
  };
}
