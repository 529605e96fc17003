// Test-only: a plain node:http server that streams real files from disk and counts the bytes it sent, standing
// in for the app's file server (main/firmware/) in the simulator's own tests. It answers `Range: bytes=N-` with
// 206 (honouring `If-Range` against its ETag), keeps connections alive, and can break a file's first responses
// part-way on purpose, as a flaky site network does.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FirmwareFile {
  path: string;
  size: number;
  md5: string;
}

export interface FileFaults {
  /** Destroy the connection once this many body bytes of a response were sent… */
  resetAfterBytes: number;
  /** …for this many responses in a row (default 1). */
  resets?: number;
}

export interface ServedRequest {
  /** The Range and If-Range headers the client sent, and the Connection header. */
  range?: string;
  ifRange?: string;
  connection?: string;
  status: number;
  /** Which TCP connection carried it (1, 2, …), to see keep-alive reuse. */
  socket: number;
}

export interface FirmwareServer {
  /** URL of a file written with `addFile`. */
  url: (name: string) => string;
  /** Writes a file of random bytes; adding a name again replaces the file (a new ETag) and its request log. */
  addFile: (name: string, size: number, faults?: FileFaults) => FirmwareFile;
  /** Bytes of a file handed to responses, summed over every request for it. */
  bytesSent: (name: string) => number;
  /** Requests that were closed before their body was complete. */
  brokenRequests: () => number;
  /** Every request for a file, in order. */
  requests: (name: string) => ServedRequest[];
  close: () => Promise<void>;
}

const etagOf = (file: FirmwareFile) => `"${file.md5}"`;

/** `/redirect/NAME` answers 302 to `/NAME`; unknown names answer 404. */
export async function startFirmwareServer(): Promise<FirmwareServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dockside-fw-'));
  const files = new Map<string, FirmwareFile & { faults?: FileFaults; resetsLeft: number }>();
  const sent = new Map<string, number>();
  const log = new Map<string, ServedRequest[]>();
  const socketIds = new WeakMap<Socket, number>();
  let broken = 0;
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    if (name.startsWith('redirect/')) {
      res.writeHead(302, { location: `/${name.slice('redirect/'.length)}` }).end();
      return;
    }
    const file = files.get(name);
    if (!file) {
      res.writeHead(404).end('no such file');
      return;
    }
    const asked = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const sameFile = req.headers['if-range'] === undefined || req.headers['if-range'] === etagOf(file);
    const start = asked && sameFile ? Number(asked[1]) : 0;
    if (start >= file.size && asked && sameFile) {
      res.writeHead(416, { 'content-range': `bytes */${file.size}` }).end();
      return;
    }
    const status = start > 0 ? 206 : 200;
    log.get(name)!.push({
      status,
      socket: socketIds.get(req.socket) ?? 0,
      ...(req.headers.range !== undefined && { range: req.headers.range }),
      ...(typeof req.headers['if-range'] === 'string' && { ifRange: req.headers['if-range'] }),
      ...(req.headers.connection !== undefined && { connection: req.headers.connection }),
    });
    res.writeHead(status, {
      'content-type': 'application/octet-stream',
      'content-length': file.size - start,
      etag: etagOf(file),
      'accept-ranges': 'bytes',
      ...(status === 206 && { 'content-range': `bytes ${start}-${file.size - 1}/${file.size}` }),
    });
    const resetAt = file.faults && file.resetsLeft > 0 ? file.faults.resetAfterBytes : Infinity;
    if (resetAt !== Infinity) file.resetsLeft--;
    let body = 0;
    const stream = createReadStream(file.path, { start });
    stream.on('data', (data) => {
      const chunk = data as Buffer;
      const room = resetAt - body;
      const part = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
      body += part.length;
      sent.set(name, (sent.get(name) ?? 0) + part.length);
      if (part.length < chunk.length) {
        stream.destroy();
        // A reset (RST) as a flaky network gives one, once what was sent had time to arrive.
        const socket = res.socket;
        res.write(part, () => setTimeout(() => socket?.resetAndDestroy(), 20));
        return;
      }
      if (!res.write(chunk)) stream.pause();
    });
    res.on('drain', () => stream.resume());
    stream.on('end', () => res.end());
    res.on('close', () => {
      if (!res.writableFinished) broken++;
      stream.destroy();
    });
  });
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (s) => {
    sockets.add(s);
    socketIds.set(s, ++connections);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    addFile(name, size, faults) {
      const bytes = randomBytes(size);
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const file = { path, size, md5: createHash('md5').update(bytes).digest('hex') };
      files.set(name, { ...file, ...(faults && { faults }), resetsLeft: faults ? (faults.resets ?? 1) : 0 });
      log.set(name, []);
      return file;
    },
    bytesSent: (name) => sent.get(name) ?? 0,
    brokenRequests: () => broken,
    requests: (name) => [...(log.get(name) ?? [])],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
