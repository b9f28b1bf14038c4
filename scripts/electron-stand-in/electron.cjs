/**
 * A stand-in for the `electron` module, for running the built main process (out/main/index.js) under
 * plain Node where Electron's binary is absent. A small fake of what the main process uses (app, ipcMain,
 * BrowserWindow, dialog, safeStorage, session, Menu, shell, utilityProcess) plus what electron-updater
 * needs (net.request over node:http, session.fromPartition, autoUpdater, Notification). Every call the
 * main process makes that matters is recorded in `__standIn`, which also lets a script invoke the IPC
 * handlers the way the window would. `require('electron')` resolves here through run-built-main.mjs's
 * CommonJS hook, and `import 'electron'` through hooks.mjs (both give this one object).
 */
'use strict';
const { EventEmitter } = require('node:events');
const { fork } = require('node:child_process');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');

const handlers = new Map();
const events = [];
const windows = [];
const opened = [];
let markLoaded;
const loaded = new Promise((resolve) => (markLoaded = resolve));
const paths = {
  userData: process.env.CUTOVER_USER_DATA_DIR || path.join(require('node:os').tmpdir(), 'cutover-stand-in'),
};

class App extends EventEmitter {
  constructor() {
    super();
    this.isPackaged = false;
  }
  whenReady() {
    return Promise.resolve();
  }
  isReady() {
    return true;
  }
  requestSingleInstanceLock() {
    return true;
  }
  getPath(name) {
    return paths[name] ?? path.join(paths.userData, name);
  }
  setPath(name, value) {
    paths[name] = value;
  }
  getVersion() {
    return require(path.join(process.cwd(), 'package.json')).version;
  }
  getName() {
    return 'Cutover';
  }
  getAppPath() {
    return process.cwd();
  }
  quit() {
    this.emit('quit-called');
  }
  relaunch() {}
}
const app = new App();

const ipcMain = {
  handle(channel, handler) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
  on() {},
};

class WebContents extends EventEmitter {
  send(channel, payload) {
    events.push({ channel, payload });
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.destroyed = false;
    windows.push(this);
  }
  static getFocusedWindow() {
    return windows[0] ?? null;
  }
  static getAllWindows() {
    return windows;
  }
  async loadURL(url) {
    this.url = url;
    markLoaded();
  }
  async loadFile(file) {
    this.url = `file://${file}`;
    markLoaded();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

// A reversible stand-in for the OS keychain: sealed text is not the plain text.
const safeStorage = {
  isEncryptionAvailable: () => true,
  // Linux: a desktop keyring (libsecret), as on a usual desktop; basic_text would send secrets to the key file.
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (plain) =>
    Buffer.from(Buffer.from(plain, 'utf8').toString('base64').split('').reverse().join(''), 'utf8'),
  decryptString: (sealed) =>
    Buffer.from(sealed.toString('utf8').split('').reverse().join(''), 'base64').toString('utf8'),
};

const session = {
  defaultSession: {
    webRequest: { onHeadersReceived() {} },
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
  },
  fromPartition: () => ({}),
};

const net = {
  request: (options) => (options.protocol === 'https:' ? https : http).request(options),
};

/** What the stand-in's Open and Save dialogs answer (a script sets them); cancelled when unset. */
const dialogAnswers = { open: undefined, save: undefined };

const dialog = {
  showMessageBoxSync: () => 0,
  showMessageBox: async () => ({ response: 0 }),
  showOpenDialog: async () =>
    dialogAnswers.open ? { canceled: false, filePaths: dialogAnswers.open } : { canceled: true, filePaths: [] },
  showSaveDialog: async () =>
    dialogAnswers.save ? { canceled: false, filePath: dialogAnswers.save } : { canceled: true },
  showErrorBox() {},
};

const Menu = { buildFromTemplate: (template) => ({ template }), setApplicationMenu() {} };
const shell = { openExternal: async (url) => void opened.push(url) };
// Electron's utilityProcess.fork, with a Node child process behind it.
const utilityProcess = {
  fork: (modulePath, args, options) => fork(modulePath, args ?? [], { ...options, stdio: 'inherit' }),
};
const autoUpdater = new EventEmitter();
class Notification extends EventEmitter {
  show() {}
}

module.exports = {
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
  __standIn: {
    dialogAnswers,
    handlers,
    events,
    windows,
    opened,
    /** Resolves once the main process has loaded its window. */
    loaded,
    /**
     * Calls an IPC handler as the window's main frame would, or, given `senderUrl`, as another page in
     * that window's main frame would (a navigation the window should not have made).
     */
    invoke(channel, payload, senderUrl) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No IPC handler for ${channel}`);
      const sender = windows[0]?.webContents;
      const mainFrame = { url: senderUrl ?? windows[0]?.url ?? '', parent: null };
      if (sender) sender.mainFrame = mainFrame;
      return handler({ senderFrame: mainFrame, sender: sender ?? { mainFrame } }, payload);
    },
  },
};
