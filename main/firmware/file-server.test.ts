import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirmwareCatalogue, type FirmwareEntry } from './catalogue';
import { FileGrants } from './file-grants';
import { parseTarget, startFileServer, type FileServer, type ServeError } from './file-server';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(port: number, path: string, opts: { method?: string; headers?: http.OutgoingHttpHeaders } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const pathOf = (url: string) => url.slice(url.indexOf('/', 'http://'.length));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** A download that reads until told to, so the server holds it open under backpressure. */
function stalledDownload(url: string) {
  let received = 0;
  let res!: http.IncomingMessage;
  const started = new Promise<void>((resolve, reject) => {
    http
      .get(url, { agent: false }, (r) => {
        res = r;
        r.once('data', (c: Buffer) => {
          received += c.length;
          r.pause();
          resolve();
        });
      })
      .on('error', reject);
  });
  const outcome = started.then(
    () =>
      new Promise<'complete' | 'cut'>((resolve) => {
        res.on('data', (c: Buffer) => (received += c.length));
        res.on('end', () => resolve(res.complete ? 'complete' : 'cut'));
        res.on('error', () => resolve('cut'));
        res.on('aborted', () => resolve('cut'));
      }),
  );
  return { started, outcome, resume: () => res.resume(), received: () => received };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

// Larger than what loopback socket buffers can absorb (rmem autotunes up to 32 MiB), so a paused client
// really holds the download open on the server.
const HELD_OPEN = 64 * 1024 * 1024;

let dir: string;
let catalogue: FirmwareCatalogue;
let server: FileServer;
let grants: FileGrants;
let fw: FirmwareEntry;
let content: Buffer;
const errors: ServeError[] = [];

/** The URL a dock is sent for `device`'s download of an entry, in task `task`. */
function urlOf(entryId: string, device = 'SN-A', task = 'task-1'): Promise<string> {
  return server.urlFor(grants.grant(entryId, device, task), '127.0.0.1');
}

const pathFor = async (entryId: string, device?: string, task?: string) => pathOf(await urlOf(entryId, device, task));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-fileserver-'));
  content = randomBytes(256 * 1024 + 77);
  writeFileSync(join(dir, 'dock_pro_10.01.1612.zip'), content);
  catalogue = new FirmwareCatalogue();
  fw = await catalogue.add(join(dir, 'dock_pro_10.01.1612.zip'));
  grants = new FileGrants();
  server = await startFileServer({ host: '127.0.0.1', catalogue, grants });
  errors.length = 0;
  server.on('error', (e) => errors.push(e));
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('urls', () => {
  it('names the grant by its token and the encoded file name', async () => {
    const grant = grants.grant(fw.id, 'DOCK 01', 'task-1');
    expect(grant.token).toMatch(/^[0-9a-f]{32}$/);
    expect(await server.urlFor(grant, '127.0.0.1')).toBe(`http://127.0.0.1:${server.port}/fw/${grant.token}/dock_pro_10.01.1612.zip`);
    expect(grants.grant(fw.id, 'DOCK 01', 'task-1')).toEqual({ ...grant, host: '127.0.0.1' });
    expect(grants.grant(fw.id, 'DOCK 02', 'task-1').token).not.toBe(grant.token);
    await expect(server.urlFor(grants.grant('unknown', 'DOCK 01', 'task-1'), '127.0.0.1')).rejects.toThrow(/no longer in the catalogue/);
  });

  const targets: [string, ReturnType<typeof parseTarget>][] = [
    [`/fw/${'a'.repeat(32)}/x.bin`, { token: 'a'.repeat(32), fileName: 'x.bin' }],
    [`/fw/${'a'.repeat(32)}/my%20fw.bin?device=SN1`, { token: 'a'.repeat(32), fileName: 'my fw.bin' }],
    [`/fw/${'a'.repeat(32)}/..`, undefined],
    [`/fw/${'a'.repeat(32)}/%2e%2e`, undefined],
    [`/fw/${'a'.repeat(32)}/..%2fx.bin`, undefined],
    [`/fw/${'a'.repeat(32)}/..%5cx.bin`, undefined],
    [`/fw/${'a'.repeat(32)}\\..\\x.bin`, undefined],
    [`/fw/${'a'.repeat(32)}/x/../x.bin`, undefined],
    [`/fw/${'A'.repeat(32)}/x.bin`, undefined],
    [`/fw/${'a'.repeat(31)}/x.bin`, undefined],
    [`/fw/${'a'.repeat(32)}/%E0%A4%A`, undefined],
    ['/', undefined],
    ['http://evil/fw/x/y', undefined],
  ];
  it.each(targets)('parseTarget(%s)', (url, want) => {
    expect(parseTarget(url)).toEqual(want);
  });
});

describe('serving', () => {
  it('sends the whole file with its validators', async () => {
    const r = await request(server.port, await pathFor(fw.id));
    expect(r.status).toBe(200);
    expect(md5(r.body)).toBe(fw.md5);
    expect(r.headers).toMatchObject({
      'content-length': String(content.length),
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      etag: `"${fw.md5}"`,
      'last-modified': new Date(fw.mtimeMs).toUTCString(),
    });
    expect(Object.values(server.served().grants)).toEqual([expect.objectContaining({ device: 'SN-A', entryId: fw.id, bytes: content.length, activeConnections: 0 })]);
  });

  it('answers HEAD with the headers only', async () => {
    const r = await request(server.port, await pathFor(fw.id), { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(content.length));
    expect(r.headers.etag).toBe(`"${fw.md5}"`);
    expect(r.body.length).toBe(0);
    expect(server.served().totalBytes).toBe(0);
  });

  it('refuses other methods', async () => {
    const r = await request(server.port, await pathFor(fw.id), { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });

  const size = 256 * 1024 + 77;
  const ranges: [string, number, number, number][] = [
    ['bytes=0-9', 206, 0, 9],
    ['bytes=1000-', 206, 1000, size - 1],
    ['bytes=-100', 206, size - 100, size - 1],
    ['bytes=100-99999999', 206, 100, size - 1],
    ['bytes=9-3', 200, 0, size - 1],
    ['bytes=0-1,4-5', 200, 0, size - 1],
  ];
  it.each(ranges)('Range %s → %d', async (range, status, start, end) => {
    const r = await request(server.port, await pathFor(fw.id), { headers: { range } });
    expect(r.status).toBe(status);
    expect(r.body.equals(content.subarray(start, end + 1))).toBe(true);
    expect(r.headers['content-length']).toBe(String(end - start + 1));
    expect(r.headers['content-range']).toBe(status === 206 ? `bytes ${start}-${end}/${size}` : undefined);
  });

  it('answers 416 to a range past the end', async () => {
    for (const range of [`bytes=${size}-`, 'bytes=-0']) {
      const r = await request(server.port, await pathFor(fw.id), { headers: { range } });
      expect(r.status).toBe(416);
      expect(r.headers['content-range']).toBe(`bytes */${size}`);
      expect(r.body.length).toBe(0);
    }
  });

  it('honours If-None-Match and If-Range', async () => {
    const path = await pathFor(fw.id);
    const etag = `"${fw.md5}"`;
    const notModified = await request(server.port, path, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect((await request(server.port, path, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    const resumed = await request(server.port, path, { headers: { range: 'bytes=10-19', 'if-range': etag } });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(content.subarray(10, 20))).toBe(true);
    const byDate = await request(server.port, path, { headers: { range: 'bytes=10-19', 'if-range': new Date(fw.mtimeMs).toUTCString() } });
    expect(byDate.status).toBe(206);
    const changed = await request(server.port, path, { headers: { range: 'bytes=10-19', 'if-range': '"stale"' } });
    expect(changed.status).toBe(200);
    expect(changed.body.length).toBe(size);
  });

  it('counts concurrent downloads per grant and per connection', async () => {
    const big = Buffer.alloc(HELD_OPEN, 1);
    writeFileSync(join(dir, 'big.bin'), big);
    const entry = await catalogue.add(join(dir, 'big.bin'));
    const a = grants.grant(entry.id, 'DOCK-A', 'task-1');
    const b = grants.grant(entry.id, 'DOCK-B', 'task-2');
    const [urlA, urlB] = [await server.urlFor(a, '127.0.0.1'), await server.urlFor(b, '127.0.0.1')];
    const downloads = [stalledDownload(urlA), stalledDownload(urlA), stalledDownload(urlB)];
    await Promise.all(downloads.map((d) => d.started));
    await until(() => server.served().connections.length === 3 && server.served().connections.every((c) => c.bytes > 0));
    const during = server.served();
    expect(during.activeConnections).toBe(3);
    expect(during.grants[a.token]!.activeConnections).toBe(2);
    expect(during.grants[b.token]!.activeConnections).toBe(1);
    expect(during.connections.map((c) => c.device).sort()).toEqual(['DOCK-A', 'DOCK-A', 'DOCK-B']);
    expect(during.grants[a.token]!.bytesPerSecond).toBeGreaterThan(0);

    downloads.forEach((d) => d.resume());
    expect(await Promise.all(downloads.map((d) => d.outcome))).toEqual(['complete', 'complete', 'complete']);
    const after = server.served();
    expect(after.activeConnections).toBe(0);
    expect(after.grants[a.token]).toMatchObject({ device: 'DOCK-A', entryId: entry.id, bytes: 2 * big.length });
    expect(after.grants[b.token]!.bytes).toBe(big.length);
    expect(after.totalBytes).toBe(3 * big.length);
  });

  it('counts bytes for the device the token was granted to, whatever the query string says', async () => {
    const r = await request(server.port, `${await pathFor(fw.id, 'DOCK-A')}?device=DOCKC`);
    expect(r.status).toBe(200);
    const stats = Object.values(server.served().grants);
    expect(stats).toEqual([expect.objectContaining({ device: 'DOCK-A', bytes: content.length })]);
  });
});

describe('grants', () => {
  it('serves a grant until a while after its task ended, then never again', async () => {
    const path = await pathFor(fw.id, 'DOCK-A', 'task-9');
    grants.expireTask('task-9', Date.now() + 60_000);
    expect((await request(server.port, path)).status).toBe(200);
    grants.expireTask('task-9', Date.now() - 1);
    expect((await request(server.port, path)).status).toBe(404);
    grants.renewTask('task-9');
    expect((await request(server.port, path)).status).toBe(404);
  });

  it('a resumed task serves again before its grace ran out', async () => {
    const path = await pathFor(fw.id, 'DOCK-A', 'task-8');
    grants.expireTask('task-8', Date.now() + 60_000);
    grants.renewTask('task-8');
    expect(grants.list().find((g) => g.task === 'task-8')?.expiresAt).toBeUndefined();
    expect((await request(server.port, path)).status).toBe(200);
  });

  it('refuses more than a few downloads at once on one grant', async () => {
    await server.close();
    server = await startFileServer({ host: '127.0.0.1', catalogue, grants, limits: { connectionsPerGrant: 1 } });
    const big = Buffer.alloc(HELD_OPEN, 3);
    writeFileSync(join(dir, 'big.bin'), big);
    const entry = await catalogue.add(join(dir, 'big.bin'));
    const url = await urlOf(entry.id, 'DOCK-A');
    const first = stalledDownload(url);
    await first.started;
    const second = await request(server.port, pathOf(url), { method: 'HEAD' });
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('5');
    const other = await request(server.port, await pathFor(fw.id, 'DOCK-B'), { method: 'HEAD' });
    expect(other.status).toBe(200);
    first.resume();
    expect(await first.outcome).toBe('complete');
  });

  it('cuts a download whose client stops reading, and frees its socket', async () => {
    await server.close();
    server = await startFileServer({ host: '127.0.0.1', catalogue, grants, limits: { idleMs: 300 } });
    server.on('error', (e) => errors.push(e));
    const big = Buffer.alloc(HELD_OPEN, 4);
    writeFileSync(join(dir, 'big.bin'), big);
    const entry = await catalogue.add(join(dir, 'big.bin'));
    const stalled = stalledDownload(await urlOf(entry.id, 'DOCK-I'));
    await stalled.started;
    await until(() => server.served().activeConnections === 0);
    stalled.resume();
    expect(await stalled.outcome).toBe('cut');
    expect(errors).toEqual([{ entryId: entry.id, device: 'DOCK-I', message: expect.stringContaining('read nothing') }]);
  });
});

describe('in the field', () => {
  it('listens on each address a dock reaches it by, on one port', async () => {
    const grant = grants.grant(fw.id, 'DOCK-A', 'task-1');
    const second = await server.urlFor(grant, '127.0.0.2');
    expect(second).toBe(`http://127.0.0.2:${server.port}/fw/${grant.token}/dock_pro_10.01.1612.zip`);
    expect(server.hosts().sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    const body = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(second, { agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
    expect(md5(body)).toBe(fw.md5);
  });

  it("keeps two docks' kept-alive connections open across a pause longer than common client idle timeouts", async () => {
    const get = (agent: http.Agent, url: string) =>
      new Promise<{ md5: string; reused: boolean }>((resolve, reject) => {
        const req = http.get(url, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ md5: md5(Buffer.concat(chunks)), reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    const agents = [new http.Agent({ keepAlive: true, maxSockets: 1 }), new http.Agent({ keepAlive: true, maxSockets: 1 })];
    const urls = [await urlOf(fw.id, 'DOCK-A'), await urlOf(fw.id, 'UAV-A')];
    const first = await Promise.all(agents.map((a, i) => get(a, urls[i]!)));
    expect(first).toEqual([
      { md5: fw.md5, reused: false },
      { md5: fw.md5, reused: false },
    ]);
    // Node's own server default (5 s) closes idle sockets exactly when Node's client agent reuses them.
    await new Promise((r) => setTimeout(r, 6_000));
    const second = await Promise.all(agents.map((a, i) => get(a, urls[i]!)));
    expect(second).toEqual([
      { md5: fw.md5, reused: true },
      { md5: fw.md5, reused: true },
    ]);
    agents.forEach((a) => a.destroy());
  }, 20_000);

  it('after a restart, serves the same URL on the same port and resumes a Range request', async () => {
    const grant = grants.grant(fw.id, 'DOCK-R', 'task-r');
    const url = await server.urlFor(grant, '127.0.0.1');
    const port = server.port;
    const head = await request(port, pathOf(url), { headers: { range: 'bytes=0-99999' } });
    expect(head.status).toBe(206);
    await server.close();

    const kept = JSON.parse(JSON.stringify(grants.list()));
    grants = new FileGrants();
    grants.restore(kept, Date.now());
    server = await startFileServer({ host: '127.0.0.1', port, catalogue, grants });
    expect(await server.urlFor(grants.grant(fw.id, 'DOCK-R', 'task-r'), '127.0.0.1')).toBe(url);
    const rest = await request(server.port, pathOf(url), { headers: { range: 'bytes=100000-', 'if-range': `"${fw.md5}"` } });
    expect(rest.status).toBe(206);
    expect(md5(Buffer.concat([head.body, rest.body]))).toBe(fw.md5);
  });
});

describe('refusals', () => {
  async function expect404(path: string) {
    const r = await request(server.port, path);
    expect(r.status).toBe(404);
    expect(r.body.length).toBe(0);
  }

  it('answers 404, with no body, to anything that is not a served entry', async () => {
    const name = 'dock_pro_10.01.1612.zip';
    const token = grants.grant(fw.id, 'SN-A', 'task-1').token;
    await urlOf(fw.id);
    await expect404(`/fw/${'0'.repeat(32)}/${name}`);
    await expect404(`/fw/${token}/other.zip`);
    await expect404(`/fw/${token}/../${name}`);
    await expect404(`/fw/${token}/%2e%2e/${name}`);
    await expect404(`/fw/${token}/%2E%2E%2F${name}`);
    await expect404(`/fw/${token}/..\\..\\${name}`);
    await expect404(`/fw/../fw/${token}/${name}`);
    await expect404(`/fw/${token}`);
    await expect404(`/${name}`);
    await expect404('/');
    expect(errors).toEqual([]);
  });

  it('stops serving a removed entry', async () => {
    const path = await pathFor(fw.id);
    catalogue.remove(fw.id);
    await expect404(path);
  });

  it('refuses a file that has been replaced by a symlink', async () => {
    const path = await pathFor(fw.id);
    writeFileSync(join(dir, 'elsewhere.bin'), content);
    unlinkSync(fw.path);
    symlinkSync(join(dir, 'elsewhere.bin'), fw.path);
    await expect404(path);
    expect(errors).toEqual([{ entryId: fw.id, device: 'SN-A', message: expect.stringContaining('symbolic link') }]);
    expect(catalogue.get(fw.id)?.stale).toBe('changed');
  });
});

describe('a file that goes away while served', () => {
  async function scenario(damage: (path: string) => void, stale: 'missing' | 'changed', words: RegExp) {
    const big = Buffer.alloc(HELD_OPEN, 2);
    writeFileSync(join(dir, 'EvoNest-V1.2.0.69-20231215094829.Encrypt.uav'), big);
    const doomed = await catalogue.add(join(dir, 'EvoNest-V1.2.0.69-20231215094829.Encrypt.uav'));
    const download = stalledDownload(await urlOf(doomed.id, 'DOCK-A'));
    await download.started;
    damage(doomed.path);
    await until(() => errors.length > 0);
    download.resume();
    expect(await download.outcome).toBe('cut');
    expect(download.received()).toBeLessThan(big.length);
    expect(errors).toEqual([{ entryId: doomed.id, device: 'DOCK-A', message: expect.stringMatching(words) }]);
    expect(catalogue.get(doomed.id)?.stale).toBe(stale);
    expect((await request(server.port, await pathFor(doomed.id, 'DOCK-A'))).status).toBe(404);

    const other = await request(server.port, await pathFor(fw.id, 'DOCK-B'));
    expect(other.status).toBe(200);
    expect(md5(other.body)).toBe(fw.md5);
    expect(server.served().activeConnections).toBe(0);
  }

  it('cuts the download of a deleted file and keeps serving the others', () => scenario((p) => unlinkSync(p), 'missing', /deleted/));

  it('cuts the download of a truncated file', () => scenario((p) => truncateSync(p, 1024), 'changed', /shorter|modified/));

  it('cuts the downloads of an entry removed from the catalogue', async () => {
    const big = Buffer.alloc(HELD_OPEN, 2);
    writeFileSync(join(dir, 'big.bin'), big);
    const entry = await catalogue.add(join(dir, 'big.bin'));
    const download = stalledDownload(await urlOf(entry.id, 'DOCK-C'));
    await download.started;
    catalogue.remove(entry.id);
    download.resume();
    expect(await download.outcome).toBe('cut');
    expect(errors).toEqual([{ entryId: entry.id, device: 'DOCK-C', message: expect.stringContaining('removed from the catalogue') }]);
  });

  it('closes with a download in flight', async () => {
    const big = Buffer.alloc(HELD_OPEN, 2);
    writeFileSync(join(dir, 'big.bin'), big);
    const entry = await catalogue.add(join(dir, 'big.bin'));
    const download = stalledDownload(await urlOf(entry.id, 'DOCK-D'));
    await download.started;
    await server.close();
    download.resume();
    expect(await download.outcome).toBe('cut');
  });
});
