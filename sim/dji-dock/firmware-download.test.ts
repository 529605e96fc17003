import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirmwareDownload, keepAliveAgents } from './firmware-download';
import { startFirmwareServer, type FirmwareFile, type FirmwareServer } from '../../test-support/firmware-server';

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
    const dl = new FirmwareDownload(url(), { retryDelaysMs: [] });
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

describe('FirmwareDownload on a flaky network', () => {
  const FAST = [20, 40, 80];

  it('resumes a connection reset mid-file with Range and If-Range, and the MD5 of the joined file is right', async () => {
    const flaky = server.addFile('flaky.bin', 2_000_000, { resetAfterBytes: 700_000, resets: 2 });
    const resumed: number[] = [];
    const dl = new FirmwareDownload(server.url('flaky.bin'), { retryDelaysMs: FAST, onResume: (_, from) => resumed.push(from) });
    await expect(dl.done).resolves.toEqual({ bytes: flaky.size, md5: flaky.md5, contentLength: flaky.size });
    expect(dl.resumes).toBe(2);
    const requests = server.requests('flaky.bin');
    expect(requests.map((r) => r.status)).toEqual([200, 206, 206]);
    expect(requests[0]!.range).toBeUndefined();
    for (const [i, r] of requests.slice(1).entries()) {
      expect(r.range).toBe(`bytes=${resumed[i]}-`);
      expect(r.ifRange).toBe(`"${flaky.md5}"`);
    }
    expect(resumed[0]).toBeGreaterThan(0);
    expect(resumed[1]).toBeGreaterThan(resumed[0]!);
  });

  it('gives up with the reason after its resumes are used up', async () => {
    server.addFile('broken.bin', 1_000_000, { resetAfterBytes: 100_000, resets: 10 });
    const dl = new FirmwareDownload(server.url('broken.bin'), { retryDelaysMs: [10, 10] });
    await expect(dl.done).rejects.toThrow(/gave up after 2 resumes/);
    expect(server.requests('broken.bin')).toHaveLength(3);
  });

  it('starts over when the file changed meanwhile (If-Range does not match: 200 with the whole new file)', async () => {
    const original = server.addFile('moving.bin', 1_000_000, { resetAfterBytes: 300_000 });
    let replaced: FirmwareFile | undefined;
    const dl = new FirmwareDownload(server.url('moving.bin'), {
      retryDelaysMs: FAST,
      onResume: () => {
        replaced = server.addFile('moving.bin', 1_000_000);
      },
    });
    const result = await dl.done;
    expect(result).toEqual({ bytes: 1_000_000, md5: replaced!.md5, contentLength: 1_000_000 });
    expect(result.md5).not.toBe(original.md5);
    // The request log restarted with the new file: one resume attempt, answered with the whole new file.
    expect(server.requests('moving.bin')).toMatchObject([{ status: 200, range: expect.stringMatching(/^bytes=\d+-$/), ifRange: `"${original.md5}"` }]);
  });

  it('keeps the connection alive: two files of one task fetched over a shared agent use one socket', async () => {
    server.addFile('second.bin', 300_000);
    const agents = keepAliveAgents();
    try {
      await new FirmwareDownload(server.url('fw.bin'), { agents }).done;
      await new FirmwareDownload(server.url('second.bin'), { agents }).done;
    } finally {
      agents.http.destroy();
    }
    const [first, second] = [server.requests('fw.bin')[0]!, server.requests('second.bin')[0]!];
    expect(first.connection).toBe('keep-alive');
    expect(second.socket).toBe(first.socket);
  });
});
