// The desktop bridge and main's IPC adapter, joined by a stand-in for Electron's IPC pipe (the
// electron package is optional and absent here): what one side sends, the other receives, as in Electron.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachIpcApi, type IpcReply } from '../main/host/ipc';
import { createMemoryBackend, type MemoryBackend } from '../test-support/memory-backend';
import { createDocksideBridge } from './index';
import { IPC_BATCH_CHANNEL, type DocksideBridge } from './transport';

function ipcPipe(senderUrl = 'file:///app/dist/renderer/index.html') {
  const handlers = new Map<string, (event: unknown, req: unknown) => Promise<IpcReply>>();
  const rendererListeners = new Map<string, ((event: unknown, data: unknown) => void)[]>();
  return {
    handlers,
    ipcMain: {
      handle: (ch: string, h: (event: unknown, req: unknown) => Promise<IpcReply>) => void handlers.set(ch, h),
      removeHandler: (ch: string) => void handlers.delete(ch),
    },
    send: (ch: string, data: unknown) => {
      // Electron's structured clone: the renderer never shares objects with main.
      for (const l of rendererListeners.get(ch) ?? []) l({}, structuredClone(data));
    },
    ipcRenderer: {
      invoke: async (ch: string, req: unknown) => {
        const h = handlers.get(ch);
        if (!h) throw new Error(`No handler registered for '${ch}'`);
        return structuredClone(await h({ senderFrame: { url: senderUrl } }, structuredClone(req)));
      },
      on: (ch: string, l: (event: unknown, data: unknown) => void) => {
        rendererListeners.set(ch, [...(rendererListeners.get(ch) ?? []), l]);
      },
    },
  };
}

let backend: MemoryBackend;
let bridge: DocksideBridge;
let detach: () => void;
let pipe: ReturnType<typeof ipcPipe>;

beforeEach(() => {
  vi.useFakeTimers();
  backend = createMemoryBackend();
  pipe = ipcPipe();
  detach = attachIpcApi({
    ipcMain: pipe.ipcMain,
    send: pipe.send,
    backend,
    isTrustedSender: (e) => ((e as { senderFrame?: { url: string } }).senderFrame?.url ?? '').startsWith('file:///app/dist/renderer/'),
    log: () => undefined,
  });
  bridge = createDocksideBridge(pipe.ipcRenderer, (file) => `/home/tech/Downloads/${file.name}`);
});

afterEach(() => {
  detach();
  vi.useRealTimers();
});

describe('the desktop bridge over IPC', () => {
  it('registers one handler per call and removes them on detach', () => {
    expect(pipe.handlers.has('dockside:call:upgrade.start')).toBe(true);
    detach();
    expect(pipe.handlers.size).toBe(0);
    detach = () => undefined;
  });

  it('calls through to the backend and returns the validated response', async () => {
    const status = await bridge.call('connection.connect', { url: 'mqtts://gateway.site:8883', username: 'tech' });
    expect(status).toMatchObject({ res: { state: 'connected', url: 'mqtts://gateway.site:8883' } });
  });

  it('refuses a bad request before it leaves the page, as a typed error result', async () => {
    await expect(bridge.call('connection.connect', { url: 'gateway' })).resolves.toEqual({
      error: { code: 'bad-request', message: 'connection.connect: url: must be an mqtt://, mqtts://, ws:// or wss:// URL with a host' },
    });
    expect(backend.calls).toEqual([]);
    await expect(bridge.call('shell.exec' as never, {} as never)).resolves.toEqual({ error: { code: 'bad-request', message: 'unknown call "shell.exec"' } });
  });

  it("carries the backend's error code across", async () => {
    await expect(bridge.call('firmware.setVersion', { id: 'nope', version: '1.0' })).resolves.toEqual({ error: { code: 'not-found', message: 'no firmware nope' } });
  });

  it('reads a malformed error from main as an internal one, never as a value', async () => {
    const odd = createDocksideBridge({ invoke: async () => ({ error: { code: 'teapot', message: 7 } }), on: () => undefined }, () => '');
    await expect(odd.call('devices.list', {})).resolves.toEqual({ error: { code: 'internal', message: 'the Dockside core answered with a malformed error' } });
  });

  it('refuses a frame that is not our renderer', async () => {
    const foreign = ipcPipe('https://example.test/');
    const stop = attachIpcApi({ ipcMain: foreign.ipcMain, send: foreign.send, backend, isTrustedSender: () => false, log: () => undefined });
    const other = createDocksideBridge(foreign.ipcRenderer, () => '');
    await expect(other.call('devices.list', {})).resolves.toEqual({ error: { code: 'bad-request', message: 'this page may not use the Dockside API' } });
    stop();
  });

  it('delivers stream batches to listeners, dropping payloads outside the contract', () => {
    const seen: string[] = [];
    const off = bridge.on('firmwareRemoved', (p) => seen.push(p.id));
    backend.emit('firmwareRemoved', { id: 'fw1' });
    backend.emitRaw('firmwareRemoved', { id: 42 });
    pipe.send(IPC_BATCH_CHANNEL, [
      { stream: 'firmwareRemoved', payload: { id: 99 } },
      { stream: 'nope', payload: {} },
    ]);
    vi.advanceTimersByTime(20);
    off();
    backend.emit('firmwareRemoved', { id: 'fw2' });
    vi.advanceTimersByTime(20);
    expect(seen).toEqual(['fw1']);
  });

  it('adds a dropped file by its path on this computer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockside-preload-'));
    writeFileSync(join(dir, 'dock.bin'), 'firmware bytes');
    const local = createDocksideBridge(pipe.ipcRenderer, () => join(dir, 'dock.bin'));
    const info = await local.addFirmwareFile(new File(['x'], 'dock.bin'));
    expect(info).toMatchObject({ res: { fileName: 'dock.bin', size: 14, md5: createHash('md5').update('firmware bytes').digest('hex') } });
    expect(backend.calls.at(-1)).toEqual({ name: 'firmware.addPath', req: { path: join(dir, 'dock.bin') } });
  });

  it('refuses a path the technician did not drop or pick: firmware.addPath("/etc/passwd") from the page', async () => {
    await expect(bridge.call('firmware.addPath', { path: '/etc/passwd' })).resolves.toEqual({
      error: { code: 'bad-request', message: 'firmware.addPath: only a file dropped on or picked in this window can be added' },
    });
    await expect(bridge.call('ingest.importPath', { path: '/etc/passwd' })).resolves.toEqual({
      error: { code: 'bad-request', message: 'ingest.importPath: only a file dropped on or picked in this window can be added' },
    });
    expect(backend.calls.filter((c) => c.name === 'firmware.addPath' || c.name === 'ingest.importPath')).toEqual([]);
    // Once dropped, the same file's path may be named again (re-adding it with a version, say).
    const dir = mkdtempSync(join(tmpdir(), 'dockside-preload-'));
    writeFileSync(join(dir, 'dock.bin'), 'firmware bytes');
    await createDocksideBridge(pipe.ipcRenderer, () => join(dir, 'dock.bin')).addFirmwareFile(new File(['x'], 'dock.bin'));
    await expect(bridge.call('firmware.addPath', { path: join(dir, 'dock.bin') })).resolves.toMatchObject({ res: { fileName: 'dock.bin' } });
  });

  it('takes picked paths only from our own renderer', async () => {
    const foreign = ipcPipe('https://example.test/');
    const stop = attachIpcApi({ ipcMain: foreign.ipcMain, send: foreign.send, backend, isTrustedSender: () => false, log: () => undefined });
    const other = createDocksideBridge(foreign.ipcRenderer, () => '/etc/passwd');
    await expect(other.addFirmwareFile(new File(['x'], 'passwd'))).resolves.toEqual({ error: { code: 'bad-request', message: 'this page may not use the Dockside API' } });
    stop();
  });

  it('imports a picked capture by its path, with the protocol and device the technician gave', async () => {
    const local = createDocksideBridge(pipe.ipcRenderer, () => '/site/captures/ota.bson');
    await local.importCaptureFile(new File(['x'], 'ota.bson'), { protocol: 'edgehog', device: 'edge-7' });
    expect(backend.calls.at(-1)).toEqual({ name: 'ingest.importPath', req: { path: '/site/captures/ota.bson', protocol: 'edgehog', device: 'edge-7' } });
    const nowhere = createDocksideBridge(pipe.ipcRenderer, () => '');
    await expect(nowhere.importCaptureFile(new File(['x'], 'c.json'))).resolves.toEqual({ error: { code: 'bad-request', message: 'c.json is not a file on this computer' } });
  });
});
