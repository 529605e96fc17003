// The slice of Electron's main-process API Dockside uses, typed here so main/ type-checks and tests
// without the electron package (an optional dependency: it is absent on CI and headless machines).
// main/index.ts gets the real module with require('electron') and hands the pieces to plain functions.

export interface NavigationEvent {
  preventDefault: () => void;
}

export interface WebRequestHeadersDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface SessionLike {
  setPermissionRequestHandler: (handler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null) => void;
  setPermissionCheckHandler: (handler: ((contents: unknown, permission: string) => boolean) | null) => void;
  webRequest: {
    onHeadersReceived: (listener: (details: WebRequestHeadersDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void) => void;
  };
}

export interface WebContentsLike {
  on: ((event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void) => unknown) &
    ((event: 'will-attach-webview', listener: (event: NavigationEvent) => void) => unknown);
  setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }) => void;
  send: (channel: string, ...args: unknown[]) => void;
  isDestroyed: () => boolean;
  session: SessionLike;
}

export interface BrowserWindowLike {
  webContents: WebContentsLike;
  loadFile: (path: string) => Promise<void>;
  once: (event: 'ready-to-show', listener: () => void) => unknown;
  on: (event: 'closed', listener: () => void) => unknown;
  show: () => void;
  focus: () => void;
  restore: () => void;
  isMinimized: () => boolean;
  isDestroyed: () => boolean;
}

export interface BrowserWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    webSecurity: true;
    spellcheck: boolean;
  };
}

export interface IpcMainInvokeEventLike {
  senderFrame?: { url: string } | null;
}

export interface ElectronMain {
  app: {
    requestSingleInstanceLock: () => boolean;
    on: ((event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void) => unknown) & ((event: 'before-quit', listener: (event: NavigationEvent) => void) => unknown);
    whenReady: () => Promise<void>;
    quit: () => void;
    exit: (code?: number) => void;
    setAppUserModelId: (id: string) => void;
  };
  BrowserWindow: new (options: BrowserWindowOptions) => BrowserWindowLike;
  ipcMain: {
    handle: (channel: string, listener: (event: IpcMainInvokeEventLike, req: unknown) => Promise<unknown>) => void;
    removeHandler: (channel: string) => void;
  };
  powerSaveBlocker: PowerSaveBlockerLike;
  Notification: (new (options: { title: string; body: string }) => { show: () => void }) & { isSupported: () => boolean };
  dialog: { showErrorBox: (title: string, content: string) => void };
}

export interface PowerSaveBlockerLike {
  start: (type: 'prevent-app-suspension' | 'prevent-display-sleep') => number;
  stop: (id: number) => void;
}
