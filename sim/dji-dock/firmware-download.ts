// How the simulated dock fetches a firmware file: a real HTTP(S) GET that follows redirects, streams the body
// through MD5 and counts the bytes. The dock reads only as many bytes as it is allowed (`allow`), so the file
// server sees a download that takes as long as a real one; `freeze` stops reading for good (the stall scenario).
// Like a dock on a field network it keeps its connections alive (the files of one task share an agent) and, when a
// connection breaks, resumes where it stopped with `Range: bytes=N-` (and `If-Range`, so a file that changed
// meanwhile is fetched whole again) a few times with back-off before it gives up.
import { createHash, type Hash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export interface DownloadResult {
  bytes: number;
  md5: string;
  /** The file's full size as the server announced it, or null when it sent none. */
  contentLength: number | null;
}

export interface KeepAliveAgents {
  http: http.Agent;
  https: https.Agent;
}

export interface DownloadOptions {
  /** Bytes it may read before the first `allow`; Infinity (the default) reads as fast as the server sends. */
  allowance?: number;
  /** Agents shared by the downloads of one task; by default a keep-alive pair of its own. */
  agents?: KeepAliveAgents;
  /** The pause before each resume after a broken connection; as many resumes as entries. */
  retryDelaysMs?: readonly number[];
  /** Told each time a broken download is resumed. */
  onResume?: (reason: string, fromByte: number) => void;
}

const MAX_REDIRECTS = 5;
/** A file server that sends nothing for this long has gone away. */
const IDLE_TIMEOUT_MS = 30_000;
/** Three resumes, waiting longer each time. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000];

export function keepAliveAgents(): KeepAliveAgents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

export class FirmwareDownload {
  bytes = 0;
  contentLength: number | null = null;
  result: DownloadResult | null = null;
  error: string | null = null;
  /** How many times a broken connection was resumed. */
  resumes = 0;
  readonly done: Promise<DownloadResult>;

  private allowance: number;
  private frozen = false;
  private req: http.ClientRequest | null = null;
  private res: http.IncomingMessage | null = null;
  private hash: Hash = createHash('md5');
  /** ETag, else Last-Modified, of the full response: resumes only if the file is still the same. */
  private validator: string | undefined;
  /** Each request's number; events of an earlier request are stale. */
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly agents: KeepAliveAgents;
  private readonly ownAgents: boolean;
  private readonly retryDelaysMs: readonly number[];
  private readonly onResume: DownloadOptions['onResume'];
  private settle!: { resolve: (r: DownloadResult) => void; reject: (e: Error) => void };

  constructor(url: string, options: DownloadOptions = {}) {
    this.allowance = options.allowance ?? Infinity;
    this.ownAgents = options.agents === undefined;
    this.agents = options.agents ?? keepAliveAgents();
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.onResume = options.onResume;
    this.done = new Promise<DownloadResult>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Callers poll `result`/`error` on their own cadence; a failure is never an unhandled rejection.
    this.done.catch(() => undefined);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      this.fail(`not a URL: ${url}`);
      return;
    }
    this.request(parsed, MAX_REDIRECTS);
  }

  get settled(): boolean {
    return this.result !== null || this.error !== null;
  }

  allow(bytes: number): void {
    // A chunk may overshoot the allowance; the debt carries over so the average rate holds.
    this.allowance += bytes;
    if (this.res && !this.frozen && this.allowance > 0) this.res.resume();
  }

  /** Stop reading and keep the connection open, as a hung dock does. */
  freeze(): void {
    this.frozen = true;
    this.res?.pause();
    this.req?.setTimeout(0);
  }

  abort(reason: string): void {
    if (this.settled) return;
    this.fail(reason);
    this.req?.destroy();
  }

  private request(url: URL, redirectsLeft: number): void {
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!client) return this.fail(`unsupported URL scheme ${url.protocol}`);
    const attempt = ++this.attempt;
    const headers: Record<string, string> = { 'user-agent': 'dockside-dock-sim' };
    if (this.bytes > 0) {
      headers.range = `bytes=${this.bytes}-`;
      if (this.validator) headers['if-range'] = this.validator;
    }
    const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
    const req = client.get(url, { headers, agent, timeout: IDLE_TIMEOUT_MS }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirectsLeft === 0) return this.fail(`more than ${MAX_REDIRECTS} redirects`);
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch {
          return this.fail(`bad redirect to ${res.headers.location}`);
        }
        return this.request(next, redirectsLeft - 1);
      }
      if (status === 206 && this.bytes > 0) return this.readResumed(attempt, url, res);
      if (status === 200) return this.readWhole(attempt, url, res);
      res.resume();
      if (status >= 500) return this.broken(attempt, url, `file server answered HTTP ${status}`);
      this.fail(`file server answered HTTP ${status}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no data from the file server for ${IDLE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (e) => this.broken(attempt, url, e.message));
    this.req = req;
  }

  /** A 200: the whole file, from its first byte (a server that ignored Range, or a file that changed, starts over). */
  private readWhole(attempt: number, url: URL, res: http.IncomingMessage): void {
    this.hash = createHash('md5');
    this.bytes = 0;
    const announced = res.headers['content-length'];
    this.contentLength = announced !== undefined && /^\d+$/.test(announced) ? Number(announced) : null;
    this.validator = res.headers.etag ?? res.headers['last-modified'];
    this.read(attempt, url, res);
  }

  private readResumed(attempt: number, url: URL, res: http.IncomingMessage): void {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers['content-range'] ?? '');
    if (!range || Number(range[1]) !== this.bytes) {
      res.resume();
      return this.fail(`file server resumed at "${res.headers['content-range'] ?? 'no Content-Range'}", not at byte ${this.bytes}`);
    }
    if (range[2] !== '*') this.contentLength = Number(range[2]);
    this.read(attempt, url, res);
  }

  private read(attempt: number, url: URL, res: http.IncomingMessage): void {
    this.res = res;
    res.on('data', (chunk: Buffer) => {
      if (this.settled || attempt !== this.attempt) return;
      this.hash.update(chunk);
      this.bytes += chunk.length;
      this.allowance -= chunk.length;
      if (this.allowance <= 0 || this.frozen) res.pause();
    });
    res.on('end', () => {
      if (this.contentLength !== null && this.bytes !== this.contentLength) {
        return this.broken(attempt, url, `download ended after ${this.bytes} of ${this.contentLength} bytes`);
      }
      this.succeed({ bytes: this.bytes, md5: this.hash.digest('hex'), contentLength: this.contentLength });
    });
    res.on('error', (e) => this.broken(attempt, url, `download broke off after ${this.bytes} bytes: ${e.message}`));
    res.on('close', () => {
      if (!res.complete) this.broken(attempt, url, `download broke off after ${this.bytes} bytes`);
    });
    if (this.allowance <= 0 || this.frozen) res.pause();
  }

  /** A connection that broke: resume after the next back-off, or fail once the resumes are used up. */
  private broken(attempt: number, url: URL, reason: string): void {
    if (this.settled || attempt !== this.attempt || this.retryTimer) return;
    this.req?.destroy();
    const delayMs = this.retryDelaysMs[this.resumes];
    if (delayMs === undefined || this.frozen) {
      return this.fail(this.resumes > 0 ? `${reason} (gave up after ${this.resumes} resumes)` : reason);
    }
    this.resumes++;
    this.onResume?.(reason, this.bytes);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.settled) this.request(url, MAX_REDIRECTS);
    }, delayMs);
  }

  private succeed(r: DownloadResult): void {
    if (this.settled) return;
    this.result = r;
    this.release();
    this.settle.resolve(r);
  }

  private fail(reason: string): void {
    if (this.settled) return;
    this.error = reason;
    this.release();
    this.settle.reject(new Error(reason));
  }

  private release(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ownAgents) {
      this.agents.http.destroy();
      this.agents.https.destroy();
    }
  }
}
