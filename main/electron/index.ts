/**
 * Electron main process: the thin layer that adapts the core to a desktop window. App lifecycle,
 * single-instance lock, the window and its security, IPC, the menu and files from the OS.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell, utilityProcess } from 'electron';
import { utilityProcessLauncher } from './utility-process-launcher';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore } from '../core/app-core';
import { CUTOVER_VERSION } from '../core/version';
import { FileKeySecretStore } from '../core/secret-store';
import { builtinProviders } from '../../providers/builtin';
import { registerIpc } from './ipc-host';
import { SafeStorageSecretStore } from './safe-storage-secrets';
import { CONNECTION_FILE_EXTENSIONS, filesFromArgv, handleFilesFromOs, PendingFiles } from './file-intake';
import {
  CONTENT_SECURITY_POLICY,
  denyAllPermissions,
  isAllowedNavigation,
  isTrustedSender,
  rendererUrlFor,
  windowOptions,
} from './window-options';
import { decideKeychain, EitherSecretStore } from './keychain-check';
import { createQuitFlow } from './quit-flow';
import { nativeDialogs } from './native-dialogs';
import { desktopUpdates } from './updater';

const here = path.dirname(fileURLToPath(import.meta.url));
// Tests (and portable set-ups) give each instance its own profile, data and single-instance lock.
if (process.env.CUTOVER_USER_DATA_DIR) app.setPath('userData', process.env.CUTOVER_USER_DATA_DIR);
const pending = new PendingFiles();

let mainWindow: BrowserWindow | undefined;
// macOS can send files before the app is ready (queued); a second launch hands its files to this one.
handleFilesFromOs(app, pending, {
  isPackaged: () => app.isPackaged,
  bringToFront: () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  },
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(async () => {
    // "Restart to update" goes through the quit flow (set up with the window, below).
    let restartToUpdate: () => 'restarting' | 'declined' = () => 'declined';
    const dataDir = app.getPath('userData');
    // The OS keychain when it really protects secrets; otherwise the core's owner-only key file (and the person is told).
    const keychain = decideKeychain({
      platform: process.platform,
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
    });
    const fileKey = new FileKeySecretStore(dataDir);
    const keyring = safeStorage.isEncryptionAvailable() ? new SafeStorageSecretStore(safeStorage) : undefined;
    const secrets = new EitherSecretStore(keychain.useSafeStorage && keyring ? keyring : fileKey, [
      ...(keyring ? [{ prefix: 'ss1:', store: keyring }] : []),
      { prefix: 'v1:', store: fileKey },
    ]);
    const core = createCore({
      providers: builtinProviders({ dataDir }),
      shell: 'electron',
      version: CUTOVER_VERSION,
      dataDir,
      secrets,
      openExternal: (url) => shell.openExternal(url),
      // Save dialogs and confirmations that matter are asked here, never by the window.
      hostDialogs: nativeDialogs(dialog, () => mainWindow),
      // Installed providers each run in a utilityProcess of their own.
      installedProviders: { launcher: utilityProcessLauncher(utilityProcess) },
      updates: {
        ...desktopUpdates({
          isPackaged: app.isPackaged,
          platform: process.platform,
          env: process.env,
          resourcesPath: process.resourcesPath,
        }),
        restart: async () => restartToUpdate(),
      },
    });

    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(denyAllPermissions);

    mainWindow = new BrowserWindow(windowOptions(path.join(here, '../preload/index.cjs')));
    const rendererUrl = rendererUrlFor(process.env, app.isPackaged);
    const appUrl = rendererUrl ?? pathToFileURL(path.join(here, '../renderer/index.html')).href;
    const win = mainWindow;
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
    });
    win.webContents.on('will-attach-webview', (event) => event.preventDefault());
    registerIpc(
      ipcMain,
      core,
      () => mainWindow,
      (event) => isTrustedSender(event.senderFrame, event.sender.mainFrame, appUrl),
    );
    win.once('ready-to-show', () => {
      win.show();
      // Once per data folder: say that saved passwords are not protected by a system keychain.
      const told = path.join(dataDir, 'keychain-warning-shown');
      if (keychain.warning && !existsSync(told)) {
        void dialog
          .showMessageBox(win, {
            type: 'warning',
            message: 'Saved passwords are not protected by a system keychain',
            detail: keychain.warning,
          })
          .then(() => writeFile(told, `${new Date().toISOString()}\n`, { mode: 0o600 }).catch(() => undefined));
      }
    });
    // A running job is not dropped without asking; once agreed, jobs stop cleanly before the app exits.
    const quitFlow = createQuitFlow({
      activeJobs: () => core.runner.list().filter((job) => job.state === 'running' || job.state === 'paused').length,
      // Automation (the e2e suite under Electron, scripted runs) closes without a modal question.
      confirmStop: (active) =>
        process.env.CUTOVER_QUIT_WITHOUT_ASKING === '1' ||
        dialog.showMessageBoxSync(win, {
          type: 'warning',
          buttons: ['Stop and close', 'Keep running'],
          defaultId: 1,
          cancelId: 1,
          message: active === 1 ? 'A job is still running.' : `${active} jobs are still running.`,
          detail: 'Closing stops them. A copy or an import can be resumed later from History, where it stopped.',
        }) === 0,
      shutdown: () => core.shutdown(),
      quit: () => app.quit(),
    });
    restartToUpdate = () => quitFlow.restartInto(() => core.updates.installNow());
    win.on('close', (event) => quitFlow.onWindowClose(event));
    app.on('before-quit', (event) => quitFlow.onBeforeQuit(event));
    win.on('closed', () => (mainWindow = undefined));
    if (rendererUrl) await win.loadURL(rendererUrl);
    else await win.loadFile(path.join(here, '../renderer/index.html'));

    const openDialog = async () => {
      const result = await dialog.showOpenDialog(win, {
        title: 'Open connection file',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Connection files', extensions: CONNECTION_FILE_EXTENSIONS.map((e) => e.slice(1)) },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      result.filePaths.forEach((file) => pending.add(file));
    };
    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
        {
          label: 'File',
          submenu: [
            { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: openDialog },
            { label: 'Import connections…', click: openDialog },
            { type: 'separator' },
            { role: process.platform === 'darwin' ? 'close' : 'quit' },
          ],
        },
        { role: 'editMenu' },
        { role: 'viewMenu' },
        { role: 'windowMenu' },
      ]),
    );

    filesFromArgv(process.argv, app.isPackaged).forEach((file) => pending.add(file));
    pending.ready((file) => void core.openFile(file));
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
