// The page's upload (jsdom's real XMLHttpRequest, in a page served from the host's origin) into the real web host.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore } from '../main/app/app-core';
import { AKTUALIZR_DEVICE, aktualizrEvent } from '../test-support/vehicle-payloads';
import { createMemoryBackend } from '../test-support/memory-backend';
import { startWebServer, type WebServer } from '../main/host/web-server';
import { uploadCapture, uploadFirmware } from './http-upload';

// jsdom ships no types of its own (and @types/jsdom is not installed): the two members used here.
interface Page {
  window: Window & typeof globalThis;
}
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string, options: { url: string }) => Page };

let dir: string;
let server: WebServer;
let page: Page;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-upload-'));
  server = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    backend: createMemoryBackend(),
    rendererDir: join(dir, 'r'),
    uploadDir: join(dir, 'uploads'),
    maxUploadBytes: 1_000_000,
    log: () => undefined,
  });
  page = new JSDOM('<!doctype html>', { url: server.url });
});

afterEach(async () => {
  page.window.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('uploadFirmware', () => {
  it('uploads the bytes with progress and returns the firmware the core added', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
    const progress: number[] = [];
    const info = await uploadFirmware(new page.window.File([bytes], 'Dock2 V1.bin'), (sent) => progress.push(sent), { session: server.sessionToken, Xhr: page.window.XMLHttpRequest });
    expect(info).toMatchObject({ fileName: 'Dock2 V1.bin', size: 300_000, md5: createHash('md5').update(bytes).digest('hex') });
    expect(readFileSync(join(dir, 'uploads', 'Dock2 V1.bin')).length).toBe(300_000);
    expect(progress.at(-1)).toBe(300_000);
  });

  it("is refused without this start's session token, leaving nothing behind", async () => {
    const file = new page.window.File([new Uint8Array(10)], 'dock.bin');
    for (const session of ['', 'f'.repeat(64)]) {
      await expect(uploadFirmware(file, undefined, { session, Xhr: page.window.XMLHttpRequest })).rejects.toMatchObject({
        code: 'bad-request',
        message: 'dock.bin: only the Dockside window this host served may upload (reload the page if the host restarted)',
      });
    }
    expect(existsSync(join(dir, 'uploads'))).toBe(false);
  });

  it("rejects with the host's error code and message", async () => {
    await expect(uploadFirmware(new page.window.File([new Uint8Array(2_000_000)], 'big.bin'), undefined, { session: server.sessionToken, Xhr: page.window.XMLHttpRequest })).rejects.toMatchObject({
      name: 'ApiCallError',
      code: 'bad-request',
      message: 'big.bin: the file is larger than the 1000000 byte limit',
    });
  });
});

describe('uploadCapture', () => {
  it('uploads a capture with its protocol and device, and returns what the core imported', async () => {
    const core = await createAppCore({ dataDir: join(dir, 'data'), host: 'web', connectOnStart: false });
    const host = await startWebServer({ host: '127.0.0.1', port: 0, backend: core, rendererDir: join(dir, 'r'), uploadDir: join(dir, 'data', 'uploads'), log: () => undefined });
    const here = new JSDOM('<!doctype html>', { url: host.url });
    try {
      const text = JSON.stringify([aktualizrEvent(1), aktualizrEvent(2)]);
      const progress: number[] = [];
      const result = await uploadCapture(new here.window.File([text], 'report 1.json'), { protocol: 'aktualizr', device: AKTUALIZR_DEVICE }, (sent) => progress.push(sent), {
        session: host.sessionToken,
        Xhr: here.window.XMLHttpRequest,
      });
      expect(result).toEqual({ accepted: 2, rejected: 0 });
      expect(progress.at(-1)).toBe(text.length);
      expect((await core.handle('log.query', { device: AKTUALIZR_DEVICE })).total).toBe(2);
      await expect(
        uploadCapture(new here.window.File(['[]'], 'x.json'), { device: 'd'.repeat(300) }, undefined, { session: host.sessionToken, Xhr: here.window.XMLHttpRequest }),
      ).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/^x\.json: ingest\.importPath: device: /),
      });
    } finally {
      here.window.close();
      await host.close();
      await core.close();
    }
  });
});
