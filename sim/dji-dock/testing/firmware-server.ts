// Test-only: a plain node:http server that streams real files from disk and counts the bytes it sent, standing
// in for the app's file server (main/firmware/) in the simulator's own tests.
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

export interface FirmwareServer {
  /** URL of a file written with `addFile`. */
  url(name: string): string;
  addFile(name: string, size: number): FirmwareFile;
  /** Bytes of a file handed to responses, summed over every request for it. */
  bytesSent(name: string): number;
  /** Requests that were closed before their body was complete. */
  brokenRequests(): number;
  close(): Promise<void>;
}

/** `/redirect/NAME` answers 302 to `/NAME`; unknown names answer 404. */
export async function startFirmwareServer(): Promise<FirmwareServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dockside-fw-'));
  const files = new Map<string, FirmwareFile>();
  const sent = new Map<string, number>();
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
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.size });
    const stream = createReadStream(file.path);
    stream.on('data', (chunk) => {
      sent.set(name, (sent.get(name) ?? 0) + chunk.length);
    });
    res.on('close', () => {
      if (!res.writableFinished) broken++;
      stream.destroy();
    });
    stream.pipe(res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    addFile(name, size) {
      const bytes = randomBytes(size);
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const file = { path, size, md5: createHash('md5').update(bytes).digest('hex') };
      files.set(name, file);
      return file;
    },
    bytesSent: (name) => sent.get(name) ?? 0,
    brokenRequests: () => broken,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
