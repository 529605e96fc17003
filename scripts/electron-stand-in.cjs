// An Electron stand-in for running the packaged main bundle under plain Node (`node --require this
// dist/main/index.cjs`): Electron's binary cannot be downloaded on our build machines. It answers
// require('electron') with the slice main/index.ts uses, and lets the parent process (connected by an
// IPC channel) act as the window's preload: calls go to the handlers the app registered on ipcMain,
// and what the app sends to the window comes back as messages.
const Module = require('node:module');
const { existsSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

if (typeof process.send !== 'function') throw new Error('electron-stand-in: start me with an IPC channel (stdio "ipc")');

const tell = (message) => process.send(message);
const handlers = new Map();
const appListeners = new Map();
let rendererUrl = '';

function on(map, event, listener) {
  map.set(event, [...(map.get(event) ?? []), listener]);
}

const webContents = {
  on() {},
  setWindowOpenHandler() {},
  send: (channel, batch) => tell({ type: 'send', channel, batch }),
  isDestroyed: () => false,
  session: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onHeadersReceived() {} } },
};

class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = webContents;
  }
  async loadFile(path) {
    rendererUrl = pathToFileURL(path).href;
    const preload = this.options.webPreferences.preload;
    tell({ type: 'window', page: path, pageExists: existsSync(path), preload, preloadExists: existsSync(preload), webPreferences: this.options.webPreferences });
  }
  once() {}
  on() {}
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
}

const electron = {
  app: {
    requestSingleInstanceLock: () => true,
    on: (event, listener) => on(appListeners, event, listener),
    whenReady: () => Promise.resolve(),
    quit() {
      const event = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      for (const listener of appListeners.get('before-quit') ?? []) listener(event);
      if (!event.defaultPrevented) process.exit(0);
    },
    exit: (code = 0) => process.exit(code),
    setAppUserModelId() {},
  },
  BrowserWindow,
  ipcMain: {
    handle: (channel, listener) => handlers.set(channel, listener),
    removeHandler: (channel) => handlers.delete(channel),
  },
  powerSaveBlocker: { start: () => 1, stop() {} },
  Notification: Object.assign(
    class {
      constructor(options) {
        this.options = options;
      }
      show() {
        tell({ type: 'notification', ...this.options });
      }
    },
    { isSupported: () => true },
  ),
  dialog: { showErrorBox: (title, content) => tell({ type: 'error-box', title, content }) },
};

const load = Module._load;
Module._load = function loadWithStandIn(request, ...rest) {
  return request === 'electron' ? electron : load.call(this, request, ...rest);
};

process.on('message', async (message) => {
  if (message.type === 'quit') return electron.app.quit();
  if (message.type !== 'invoke') return;
  const handler = handlers.get(message.channel);
  if (!handler) return tell({ type: 'reply', id: message.id, error: `no handler for ${message.channel}` });
  // The sender is the app's own page, as for a call from the real preload.
  const value = await handler({ senderFrame: { url: rendererUrl } }, message.req);
  tell({ type: 'reply', id: message.id, value });
});
