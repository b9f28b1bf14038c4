/** `import ... from 'electron'` for the stand-in: the same object `require('electron')` gets (electron.cjs). */
import standIn from './electron.cjs';

export const {
  app,
  ipcMain,
  BrowserWindow,
  dialog,
  safeStorage,
  session,
  net,
  Menu,
  shell,
  utilityProcess,
  autoUpdater,
  Notification,
  __standIn,
} = standIn;
export default standIn;
