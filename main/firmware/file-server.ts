// The LAN HTTP server docks download firmware from: ota_create's file_url points here. It serves only
// catalogue entries, each under its secret token, with Range and HEAD (docks resume), and counts what it
// really writes so the upgrade view can show bytes, speed and ETA per device.
import { close, constants, fstat, open, stat, type Stats } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isServable, type FirmwareCatalogue, type FirmwareEntry } from './catalogue';
import { FirmwareError } from './firmware-error';
import { pumpFile, type Pump } from './file-pump';
import { entityTag, ifRangeAllows, noneMatchHits, notModifiedSince, parseRange } from './http-range';
import { ServeLedger, type ConnectionStats, type ServeStats } from './serve-ledger';
import { TypedEmitter } from './typed-emitter';

export type { ServeStats, DeviceStats, ConnectionStats } from './serve-ledger';

export interface ServeProgress {
  entryId: string;
  device: string;
  /**
   * How far into the file this device's download has got: the range start plus the bytes written on the
   * connection. A resumed download continues from where it stopped; one restarted from 0 starts over.
   */
  bytes: number;
  total: number;
}

export interface ServeError {
  entryId: string;
  device: string;
  message: string;
}

type FileServerEvents = {
  progress: (p: ServeProgress) => void;
  error: (e: ServeError) => void;
};

export interface FileServer {
  /** The address bound. */
  readonly host: string;
  readonly port: number;
  /** The URL to put in ota_create; `device` (the SN) lets the server attribute bytes to it. */
  urlFor(entryId: string, device?: string): string;
  served(): ServeStats;
  on<K extends keyof FileServerEvents>(event: K, listener: FileServerEvents[K]): () => void;
  close(): Promise<void>;
}

export interface FileServerOptions {
  host: string;
  /** 0 or absent picks a free port. */
  port?: number;
  catalogue: FirmwareCatalogue;
  /** The address docks should use when it differs from the bound one (e.g. bound to 0.0.0.0). */
  publicHost?: string;
}

const WATCH_MS = 500;
const PROGRESS_MS = 250;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

interface Target {
  token: string;
  fileName: string;
  device?: string;
}

/** `/fw/<token>/<file name>?device=SN`, and nothing else: no other path, no dot segments, no backslashes. */
export function parseTarget(url: string): Target | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.includes('\\')) return undefined;
  const parts = path.split('/');
  const [root, fw, token = '', name = ''] = parts;
  if (parts.length !== 4 || root !== '' || fw !== 'fw' || !/^[0-9a-f]{32}$/.test(token)) return undefined;
  let fileName: string;
  try {
    fileName = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  if (fileName === '' || fileName === '.' || fileName === '..' || /[\\/\0]/.test(fileName)) return undefined;
  const device = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('device');
  return { token, fileName, ...(device ? { device: device.slice(0, 128) } : {}) };
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function empty(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

interface Download {
  conn: ConnectionStats;
  entry: FirmwareEntry;
  file: Stats;
  res: http.ServerResponse;
  pump: Pump;
  finished: boolean;
}

class FirmwareFileServer extends TypedEmitter<FileServerEvents> implements FileServer {
  readonly host: string;
  port = 0;
  private readonly server: http.Server;
  private readonly ledger = new ServeLedger();
  private readonly downloads = new Set<Download>();
  private readonly lastProgress = new Map<string, number>();
  private watch: NodeJS.Timeout | undefined;
  private watching = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: FileServerOptions) {
    super();
    this.host = opts.host;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.unsubscribe = opts.catalogue.on('removed', (id) => {
      for (const d of this.downloads) {
        if (d.entry.id === id) this.cut(d, `${d.entry.fileName} was removed from the catalogue while ${d.conn.device} was downloading it`);
      }
    });
  }

  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this);
      });
    });
  }

  urlFor(entryId: string, device?: string): string {
    const entry = this.opts.catalogue.get(entryId);
    if (!entry) throw new FirmwareError('not-found', 'that firmware is no longer in the catalogue');
    const host = this.opts.publicHost ?? this.host;
    const authority = host.includes(':') ? `[${host}]:${this.port}` : `${host}:${this.port}`;
    const query = device ? `?device=${encodeURIComponent(device)}` : '';
    return `http://${authority}/fw/${entry.token}/${encodeURIComponent(entry.fileName)}${query}`;
  }

  served(): ServeStats {
    return this.ledger.snapshot(Date.now());
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.stopWatch();
    for (const d of this.downloads) d.res.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = parseTarget(req.url ?? '');
    const entry = target && this.opts.catalogue.byToken(target.token);
    // One answer for every path that is not a served entry, so a probe learns nothing.
    if (!target || !entry || entry.fileName !== target.fileName || !isServable(entry)) return empty(res, 404);
    if (req.method !== 'GET' && req.method !== 'HEAD') return empty(res, 405, { Allow: 'GET, HEAD' });
    const device = target.device ?? req.socket.remoteAddress ?? 'unknown';
    open(entry.path, OPEN_FLAGS, (err, fd) => {
      if (err) {
        this.fileProblem(entry, device, err.code === 'ELOOP' ? 'changed' : 'missing', err.code === 'ELOOP' ? `${entry.path} has been replaced by a symbolic link; it is no longer served` : `${entry.path} is missing; add the firmware again`);
        return empty(res, 404);
      }
      fstat(fd, (err2, st) => {
        if (err2 || !st.isFile() || st.size !== entry.size || st.mtimeMs !== entry.mtimeMs) {
          close(fd, () => undefined);
          this.fileProblem(entry, device, 'changed', `${entry.fileName} changed on disk since it was hashed; add it again`);
          return empty(res, 404);
        }
        if (res.destroyed) return close(fd, () => undefined);
        this.respond(req, res, entry, device, fd, st);
      });
    });
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, entry: FirmwareEntry, device: string, fd: number, st: Stats): void {
    const etag = entityTag(st.size, st.mtimeMs, entry.md5);
    const validators = { ETag: etag, 'Last-Modified': new Date(st.mtimeMs).toUTCString(), 'Accept-Ranges': 'bytes' };
    const ifNoneMatch = req.headers['if-none-match'];
    const unchanged = ifNoneMatch !== undefined ? noneMatchHits(ifNoneMatch, etag) : notModifiedSince(req.headers['if-modified-since'], st.mtimeMs);
    if (unchanged) {
      close(fd, () => undefined);
      return empty(res, 304, validators);
    }
    let range = parseRange(req.headers.range, st.size);
    if (range.kind !== 'full' && !ifRangeAllows(firstHeader(req.headers['if-range']), etag, st.mtimeMs)) range = { kind: 'full' };
    if (range.kind === 'unsatisfiable') {
      close(fd, () => undefined);
      return empty(res, 416, { ...validators, 'Content-Range': `bytes */${st.size}` });
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, st.size - 1];
    const length = end - start + 1;
    res.writeHead(range.kind === 'partial' ? 206 : 200, {
      ...validators,
      'Content-Type': 'application/octet-stream',
      'Content-Length': length,
      ...(range.kind === 'partial' && { 'Content-Range': `bytes ${start}-${end}/${st.size}` }),
    });
    if (req.method === 'HEAD' || length === 0) {
      close(fd, () => undefined);
      res.end();
      return;
    }
    this.pump(res, entry, device, fd, st, start, end, req.socket.remoteAddress ?? '');
  }

  private pump(res: http.ServerResponse, entry: FirmwareEntry, device: string, fd: number, st: Stats, start: number, end: number, remoteAddress: string): void {
    const conn = this.ledger.begin({ device, entryId: entry.id, remoteAddress, start, end, startedAt: Date.now() });
    const d: Download = { conn, entry, file: st, res, pump: { stop: () => undefined }, finished: false };
    this.downloads.add(d);
    this.startWatch();
    res.on('close', () => {
      d.pump.stop();
      d.finished = true;
      this.downloads.delete(d);
      this.ledger.end(conn);
      if (this.downloads.size === 0) this.stopWatch();
    });
    d.pump = pumpFile(fd, start, end, res, (n) => this.written(d, n), (e) => {
      if (e.kind === 'short') this.cut(d, `${entry.fileName} got shorter while ${device} was downloading it; the download was cut off`, 'changed');
      else if (e.kind === 'read-error') this.cut(d, `${entry.fileName} could not be read while ${device} was downloading it (${e.error.code ?? e.error.message})`);
    });
  }

  private written(d: Download, n: number): void {
    const now = Date.now();
    this.ledger.written(d.conn, n, now);
    const key = `${d.entry.id}\n${d.conn.device}`;
    const last = this.lastProgress.get(key) ?? 0;
    if (now - last >= PROGRESS_MS || d.conn.bytes === d.conn.end - d.conn.start + 1) {
      this.lastProgress.set(key, now);
      this.emit('progress', { entryId: d.entry.id, device: d.conn.device, bytes: d.conn.start + d.conn.bytes, total: d.entry.size });
    }
  }

  /** Aborts one download (the client sees a reset, not a short "complete" file) and says why. */
  private cut(d: Download, message: string, stale?: 'missing' | 'changed'): void {
    if (d.finished || d.res.destroyed) return;
    d.pump.stop();
    d.res.destroy();
    if (stale) this.opts.catalogue.markStale(d.entry.id, stale, message);
    this.emit('error', { entryId: d.entry.id, device: d.conn.device, message });
  }

  private fileProblem(entry: FirmwareEntry, device: string, stale: 'missing' | 'changed', message: string): void {
    this.opts.catalogue.markStale(entry.id, stale, message);
    this.emit('error', { entryId: entry.id, device, message });
  }

  // An open descriptor keeps reading a deleted or replaced file, so the path is checked while serving.
  private startWatch(): void {
    if (this.watch) return;
    this.watch = setInterval(() => this.checkFiles(), WATCH_MS);
    this.watch.unref();
  }

  private stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = undefined;
  }

  private checkFiles(): void {
    if (this.watching) return;
    const byPath = new Map<string, Download[]>();
    for (const d of this.downloads) byPath.set(d.entry.path, [...(byPath.get(d.entry.path) ?? []), d]);
    this.watching = true;
    let pending = byPath.size;
    for (const [path, list] of byPath) {
      stat(path, (err, now) => {
        for (const d of list) {
          const name = d.entry.fileName;
          const who = d.conn.device;
          if (err) this.cut(d, `${name} was deleted while ${who} was downloading it; the download was cut off`, 'missing');
          else if (now.ino !== d.file.ino || now.dev !== d.file.dev) this.cut(d, `${name} was replaced while ${who} was downloading it; the download was cut off`, 'changed');
          else if (now.size !== d.file.size || now.mtimeMs !== d.file.mtimeMs) this.cut(d, `${name} was modified while ${who} was downloading it; the download was cut off`, 'changed');
        }
        if (--pending === 0) this.watching = false;
      });
    }
    if (pending === 0) this.watching = false;
  }
}

export function startFileServer(opts: FileServerOptions): Promise<FileServer> {
  return new FirmwareFileServer(opts).listen();
}
