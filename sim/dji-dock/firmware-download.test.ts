import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirmwareDownload } from './firmware-download';
import { startFirmwareServer, type FirmwareFile, type FirmwareServer } from './testing/firmware-server';

let server: FirmwareServer;
let file: FirmwareFile;

beforeEach(async () => {
  server = await startFirmwareServer();
  file = server.addFile('fw.bin', 1_000_000);
});

afterEach(() => server.close());

describe('FirmwareDownload', () => {
  it('streams the whole file and computes its real MD5', async () => {
    const dl = new FirmwareDownload(server.url('fw.bin'));
    await expect(dl.done).resolves.toEqual({ bytes: file.size, md5: file.md5, contentLength: file.size });
    expect(dl.bytes).toBe(file.size);
  });

  it('follows redirects', async () => {
    const dl = new FirmwareDownload(server.url('redirect/fw.bin'));
    expect((await dl.done).md5).toBe(file.md5);
  });

  it.each([
    ['a 404', () => server.url('nope.bin'), /HTTP 404/],
    ['a refused connection', () => 'http://127.0.0.1:1/fw.bin', /ECONNREFUSED/],
    ['a non-URL', () => 'not a url', /not a URL/],
    ['an ftp URL', () => 'ftp://127.0.0.1/fw.bin', /unsupported URL scheme/],
  ])('fails with a reason on %s', async (_, url, reason) => {
    const dl = new FirmwareDownload(url());
    await expect(dl.done).rejects.toThrow(reason);
    expect(dl.error).toMatch(reason);
  });

  it('reads no further than it is allowed until allowed more', async () => {
    const dl = new FirmwareDownload(server.url('fw.bin'), { allowance: 100_000 });
    await expect.poll(() => dl.bytes).toBeGreaterThanOrEqual(100_000);
    const bytes = dl.bytes;
    // The server keeps writing into socket buffers meanwhile; the dock's count must not move.
    await new Promise((r) => setTimeout(r, 100));
    expect(dl.bytes).toBe(bytes);
    expect(dl.settled).toBe(false);
    dl.allow(Infinity);
    expect((await dl.done).md5).toBe(file.md5);
  });

  it('abort() ends a download with the given reason and closes the connection', async () => {
    // Larger than loopback socket buffers hold, so the server is still sending when the dock lets go.
    server.addFile('large.bin', 24 * 1024 * 1024);
    const dl = new FirmwareDownload(server.url('large.bin'), { allowance: 50_000 });
    await expect.poll(() => dl.bytes).toBeGreaterThan(0);
    dl.abort('the dock stopped');
    await expect(dl.done).rejects.toThrow('the dock stopped');
    await expect.poll(() => server.brokenRequests()).toBe(1);
  });

  it('a freeze keeps the connection open without reading; a later abort still ends it', async () => {
    const dl = new FirmwareDownload(server.url('fw.bin'), { allowance: 50_000 });
    await expect.poll(() => dl.bytes).toBeGreaterThan(0);
    dl.freeze();
    const bytes = dl.bytes;
    dl.allow(Infinity);
    await new Promise((r) => setTimeout(r, 100));
    expect(dl.bytes).toBe(bytes);
    expect(dl.settled).toBe(false);
    dl.abort('stopped');
    await expect(dl.done).rejects.toThrow('stopped');
  });
});
