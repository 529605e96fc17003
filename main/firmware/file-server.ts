// The LAN HTTP server docks download firmware from: ota_create's file_url points here. It serves only
// granted downloads (one per device and task, named by a secret token), with Range and HEAD (docks
// resume), on each address a dock reaches it by, and counts what it really writes so the upgrade view
// can show bytes, speed and ETA per device.
import { close, constants, fstat, open, stat, type Stats } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isServable, type FirmwareCatalogue, type FirmwareEntry } from './catalogue';
import { FirmwareError } from './firmware-error';
import { TOKEN_PATTERN, type FileGrants, type Grant } from './file-grants';
import { pumpFile, type Pump } from './file-pump';
import { entityTag, ifRangeAllows, noneMatchHits, notModifiedSince, parseRange } from './http-range';
import { ServeLedger, type ConnectionStats, type ServeStats } from './serve-ledger';
import { TypedEmitter } from './typed-emitter';

export type { ServeStats, GrantStats, ConnectionStats } from './serve-ledger';

export interface ServeError {
  entryId: string;
  device: string;
  message: string;
}

type FileServerEvents = {
  error: (e: ServeError) => void;
  /** It now also listens on `host` (the port is the same on every address). */
  listening: (host: string, port: number) => void;
};

export interface FileServer {
  /** The port, the same on every address served. */
  readonly port: number;
  /** The addresses it listens on. */
  hosts: () => string[];
  /** Listens on `host` too (same port) and returns the grant's URL there: what ota_create's file_url says. */
  urlFor: (grant: Grant, host: string) => Promise<string>;
  /** Listens on one more address (a restarted app, for the URLs it sent before). */
  listen: (host: string) => Promise<void>;
  served: () => ServeStats;
  on: <K extends keyof FileServerEvents>(event: K, listener: FileServerEvents[K]) => () => void;
  close: () => Promise<void>;
}

export interface ServeLimits {
  /** Downloads one grant may have in flight at once (a dock resuming opens a second before the first closes). */
  connectionsPerGrant: number;
  /** A download whose client reads nothing for this long is cut, freeing its socket and buffers. */
  idleMs: number;
  /**
   * How long an idle kept-alive connection stays open. Longer than the clients' own idle timeouts, so a
   * client never sends its next request on a socket the server is just closing (a "socket hang up").
   */
  keepAliveMs: number;
}

export const DEFAULT_SERVE_LIMITS: ServeLimits = { connectionsPerGrant: 4, idleMs: 60_000, keepAliveMs: 75_000 };

export interface FileServerOptions {
  /** The first address to listen on (startFileServer); more are added by urlFor. */
  host?: string;
  /** 0 or absent picks a free port; a port remembered from an earlier run keeps sent URLs valid. */
  port?: number;
  catalogue: FirmwareCatalogue;
  grants: FileGrants;
  limits?: Partial<ServeLimits>;
}

const WATCH_MS = 500;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

interface Target {
  token: string;
  fileName: string;
}

/** `/fw/<token>/<file name>` (a query string is ignored), and nothing else: no other path, no dot segments, no backslashes. */
export function parseTarget(url: string): Target | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.includes('\\')) return undefined;
  const parts = path.split('/');
  const [root, fw, token = '', name = ''] = parts;
  if (parts.length !== 4 || root !== '' || fw !== 'fw' || !TOKEN_PATTERN.test(token)) return undefined;
  let fileName: string;
  try {
    fileName = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  if (fileName === '' || fileName === '.' || fileName === '..' || /[\\/\0]/.test(fileName)) return undefined;
  return { token, fileName };
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
  /** Epoch ms of the last bytes that reached the socket (or of the start). */
  lastWriteAt: number;
}

class FirmwareFileServer extends TypedEmitter<FileServerEvents> implements FileServer {
  port = 0;
  private readonly servers = new Map<string, http.Server>();
  private readonly listening = new Map<string, Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private readonly ledger = new ServeLedger();
  private readonly downloads = new Set<Download>();
  private readonly limits: ServeLimits;
  private watch: NodeJS.Timeout | undefined;
  private watching = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: FileServerOptions) {
    super();
    this.limits = { ...DEFAULT_SERVE_LIMITS, ...opts.limits };
    this.unsubscribe = opts.catalogue.on('removed', (id) => {
      opts.grants.revokeEntry(id);
      for (const d of this.downloads) {
        if (d.entry.id === id) this.cut(d, `${d.entry.fileName} was removed from the catalogue while ${d.conn.device} was downloading it`);
      }
    });
  }

  hosts(): string[] {
    return [...this.servers.keys()];
  }

  /** Listens on one more address, on the port already in use (the first one picks it). */
  listen(host: string): Promise<void> {
    let started = this.listening.get(host);
    if (!started) {
      started = this.bind(host);
      this.listening.set(host, started);
      started.catch(() => this.listening.delete(host));
    }
    return started;
  }

  private bind(host: string): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = this.limits.keepAliveMs;
    server.headersTimeout = this.limits.keepAliveMs + 5_000;
    server.requestTimeout = this.limits.keepAliveMs + 10_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.opts.port || 0, host, () => {
        server.off('error', reject);
        this.port = (server.address() as AddressInfo).port;
        this.servers.set(host, server);
        this.emit('listening', host, this.port);
        resolve();
      });
    });
  }

  async urlFor(grant: Grant, host: string): Promise<string> {
    const entry = this.opts.catalogue.get(grant.entryId);
    if (!entry) throw new FirmwareError('not-found', 'that firmware is no longer in the catalogue');
    await this.listen(host);
    this.opts.grants.at(grant, host);
    const authority = host.includes(':') ? `[${host}]:${this.port}` : `${host}:${this.port}`;
    return `http://${authority}/fw/${grant.token}/${encodeURIComponent(entry.fileName)}`;
  }

  served(): ServeStats {
    return this.ledger.snapshot(Date.now());
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.stopWatch();
    for (const d of this.downloads) d.res.destroy();
    for (const s of this.sockets) s.destroy();
    await Promise.all(
      [...this.servers.values()].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = parseTarget(req.url ?? '');
    const grant = target && this.opts.grants.valid(target.token, Date.now());
    const entry = grant && this.opts.catalogue.get(grant.entryId);
    // One answer for every path that is not a granted download, so a probe learns nothing.
    if (!target || !grant || !entry || entry.fileName !== target.fileName || !isServable(entry)) return empty(res, 404);
    if (req.method !== 'GET' && req.method !== 'HEAD') return empty(res, 405, { Allow: 'GET, HEAD' });
    if (this.ledger.active(grant.token) >= this.limits.connectionsPerGrant) return empty(res, 503, { 'Retry-After': '5' });
    open(entry.path, OPEN_FLAGS, (err, fd) => {
      if (err) {
        this.fileProblem(
          entry,
          grant.device,
          err.code === 'ELOOP' ? 'changed' : 'missing',
          err.code === 'ELOOP' ? `${entry.path} has been replaced by a symbolic link; it is no longer served` : `${entry.path} is missing; add the firmware again`,
        );
        return empty(res, 404);
      }
      fstat(fd, (err2, st) => {
        if (err2 || !st.isFile() || st.size !== entry.size || st.mtimeMs !== entry.mtimeMs) {
          close(fd, () => undefined);
          this.fileProblem(entry, grant.device, 'changed', `${entry.fileName} changed on disk since it was hashed; add it again`);
          return empty(res, 404);
        }
        if (res.destroyed) return close(fd, () => undefined);
        this.respond(req, res, entry, grant, fd, st);
      });
    });
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, entry: FirmwareEntry, grant: Grant, fd: number, st: Stats): void {
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
    this.pump(res, entry, grant, fd, st, start, end, req.socket);
  }

  private pump(res: http.ServerResponse, entry: FirmwareEntry, grant: Grant, fd: number, st: Stats, start: number, end: number, socket: Socket): void {
    const conn = this.ledger.begin({ token: grant.token, device: grant.device, entryId: entry.id, remoteAddress: socket.remoteAddress ?? '', start, end, startedAt: Date.now() });
    const d: Download = { conn, entry, file: st, res, pump: { stop: () => undefined }, finished: false, lastWriteAt: Date.now() };
    this.downloads.add(d);
    this.startWatch();
    res.on('close', () => {
      d.pump.stop();
      d.finished = true;
      this.downloads.delete(d);
      this.ledger.end(conn);
      if (this.downloads.size === 0) this.stopWatch();
    });
    d.pump = pumpFile(
      fd,
      start,
      end,
      res,
      (n) => {
        d.lastWriteAt = Date.now();
        this.ledger.written(d.conn, n, d.lastWriteAt);
      },
      (e) => {
        if (e.kind === 'short') this.cut(d, `${entry.fileName} got shorter while ${grant.device} was downloading it; the download was cut off`, 'changed');
        else if (e.kind === 'read-error') this.cut(d, `${entry.fileName} could not be read while ${grant.device} was downloading it (${e.error.code ?? e.error.message})`);
      },
    );
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

  // An open descriptor keeps reading a deleted or replaced file, so the path is checked while serving;
  // a client that stops reading would hold its socket and our buffers for ever, so it is cut after a while.
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
    const now = Date.now();
    for (const d of this.downloads) {
      if (now - d.lastWriteAt > this.limits.idleMs) {
        this.cut(d, `${d.conn.device} read nothing of ${d.entry.fileName} for ${Math.round(this.limits.idleMs / 1000)} s; the download was cut off`);
      }
    }
    if (this.watching) return;
    const byPath = new Map<string, Download[]>();
    for (const d of this.downloads) byPath.set(d.entry.path, [...(byPath.get(d.entry.path) ?? []), d]);
    this.watching = true;
    let pending = byPath.size;
    for (const [path, list] of byPath) {
      stat(path, (err, current) => {
        for (const d of list) {
          const name = d.entry.fileName;
          const who = d.conn.device;
          if (err) this.cut(d, `${name} was deleted while ${who} was downloading it; the download was cut off`, 'missing');
          else if (current.ino !== d.file.ino || current.dev !== d.file.dev) this.cut(d, `${name} was replaced while ${who} was downloading it; the download was cut off`, 'changed');
          else if (current.size !== d.file.size || current.mtimeMs !== d.file.mtimeMs) this.cut(d, `${name} was modified while ${who} was downloading it; the download was cut off`, 'changed');
        }
        if (--pending === 0) this.watching = false;
      });
    }
    if (pending === 0) this.watching = false;
  }
}

/** A file server that listens only once a URL on some address is asked for. */
export function createFileServer(opts: FileServerOptions): FileServer {
  return new FirmwareFileServer(opts);
}

export async function startFileServer(opts: FileServerOptions & { host: string }): Promise<FileServer> {
  const server = new FirmwareFileServer(opts);
  await server.listen(opts.host);
  return server;
}
