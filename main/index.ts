// The Electron main process: the only big importer of 'electron'. It wires the plain-Node core to a
// sandboxed window through the IPC adapter; every rule and watcher it uses lives in a small module.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAppCore, type AppCore } from './app/app-core';
import type { ElectronMain, BrowserWindowLike } from './electron/electron-surface';
import { notifyWhenBatchesEnd } from './electron/batch-notification';
import { keepAwakeWhileUpgrading } from './electron/power-save';
import { allowedOrigins, applyWindowRules } from './electron/window-policy';
import { attachIpcApi } from './host/ipc';
import { startWebServer, type WebServer } from './host/web-server';
import { resolveDataDir } from './journal/data-dir';
import { INGEST_TOKEN_ENV } from './ingest/bearer-token';
import { isLoopbackHost } from './host/request-origin';

// Bundled to CommonJS (scripts/build.mjs) with electron external, so this is Electron's own module.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would be bundled as ESM interop.
const electron = require('electron') as ElectronMain;
const { app, BrowserWindow, ipcMain, powerSaveBlocker, Notification, dialog } = electron;

const RENDERER_DIR = join(__dirname, '..', 'renderer');
const PRELOAD = join(__dirname, '..', 'preload', 'index.cjs');
const isAppUrl = allowedOrigins([pathToFileURL(RENDERER_DIR).href + '/']);
const INGEST_TOKEN = process.env[INGEST_TOKEN_ENV] || undefined;

function flag(name: string): string | undefined {
  const argv = process.argv;
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

let window: BrowserWindowLike | undefined;
const cleanups: (() => void | Promise<void>)[] = [];

function createWindow(): BrowserWindowLike {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Dockside',
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  applyWindowRules(win.webContents, isAppUrl);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (window === win) window = undefined;
  });
  void win.loadFile(join(RENDERER_DIR, 'index.html'));
  return win;
}

/**
 * Vehicles report to the desktop app on the same routes as to `dockside web` (8080, else a free port).
 * It serves no window: the desktop window speaks IPC, so the server's API socket and uploads, which
 * need the session token of a window it served, stay closed to every page.
 */
async function startIngestServer(core: AppCore): Promise<WebServer> {
  const port = Number(process.env.DOCKSIDE_INGEST_PORT ?? 8080);
  const host = process.env.DOCKSIDE_INGEST_HOST ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !INGEST_TOKEN) throw new Error(`DOCKSIDE_INGEST_HOST=${host} opens the vehicle ingest to the network: set ${INGEST_TOKEN_ENV} too`);
  const options = {
    host,
    backend: core,
    uploadDir: join(resolveDataDir(flag('data')), 'uploads'),
    extraHandler: core.httpHandler,
  };
  try {
    return await startWebServer({ ...options, port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    return startWebServer({ ...options, port: 0 });
  }
}

async function start(): Promise<void> {
  app.setAppUserModelId('com.dockside.app');
  const core = await createAppCore({ dataDir: resolveDataDir(flag('data')), host: 'electron', brokerUrl: flag('broker'), ingestToken: INGEST_TOKEN });
  cleanups.push(() => core.close());
  cleanups.push(
    attachIpcApi({
      ipcMain: ipcMain,
      send: (channel, batch) => {
        if (window && !window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(channel, batch);
      },
      backend: core,
      isTrustedSender: (event) => isAppUrl((event as { senderFrame?: { url: string } | null }).senderFrame?.url ?? ''),
    }),
  );
  cleanups.push(keepAwakeWhileUpgrading(core, powerSaveBlocker));
  cleanups.push(
    notifyWhenBatchesEnd(core, (notice) => {
      if (Notification.isSupported()) new Notification(notice).show();
    }),
  );
  try {
    const ingest = await startIngestServer(core);
    cleanups.push(() => ingest.close());
    core.setHttpUrl(ingest.url.replace(/\/$/, ''));
    process.stdout.write(`Dockside ingest endpoints: ${ingest.url}\n`);
  } catch (e) {
    process.stderr.write(`dockside: vehicle ingest endpoints not started: ${(e as Error).message}\n`);
  }
  window = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (!window) window = createWindow();
  });
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    // Everything closes newest first, the core (journal, broker) last; then Electron may go.
    void (async () => {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      app.exit(0);
    })();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: Error) => {
      dialog.showErrorBox('Dockside could not start', e.message);
      app.exit(1);
    });
}
