// How the simulated dock fetches a firmware file: a real HTTP(S) GET that follows redirects, streams the body
// through MD5 and counts the bytes. The dock reads only as many bytes as it is allowed (`allow`), so the file
// server sees a download that takes as long as a real one; `freeze` stops reading for good (the stall scenario).
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export interface DownloadResult {
  bytes: number;
  md5: string;
  /** Content-Length the server announced, or null when it sent none. */
  contentLength: number | null;
}

const MAX_REDIRECTS = 5;
/** A file server that sends nothing for this long has gone away. */
const IDLE_TIMEOUT_MS = 30_000;

export class FirmwareDownload {
  bytes = 0;
  contentLength: number | null = null;
  result: DownloadResult | null = null;
  error: string | null = null;
  readonly done: Promise<DownloadResult>;

  private allowance: number;
  private frozen = false;
  private req: http.ClientRequest | null = null;
  private res: http.IncomingMessage | null = null;
  private readonly hash = createHash('md5');
  private settle!: { resolve: (r: DownloadResult) => void; reject: (e: Error) => void };

  /** `allowance`: bytes it may read before the first `allow`; Infinity reads as fast as the server sends. */
  constructor(url: string, allowance = Infinity) {
    this.allowance = allowance;
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
    const req = client.get(url, { headers: { 'user-agent': 'dockside-dock-sim' }, timeout: IDLE_TIMEOUT_MS }, (res) => {
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
      if (status !== 200) {
        res.resume();
        return this.fail(`file server answered HTTP ${status}`);
      }
      this.read(res);
    });
    req.on('timeout', () => req.destroy(new Error(`no data from the file server for ${IDLE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (e) => this.fail(e.message));
    this.req = req;
  }

  private read(res: http.IncomingMessage): void {
    this.res = res;
    const announced = res.headers['content-length'];
    this.contentLength = announced !== undefined && /^\d+$/.test(announced) ? Number(announced) : null;
    res.on('data', (chunk: Buffer) => {
      if (this.settled) return;
      this.hash.update(chunk);
      this.bytes += chunk.length;
      this.allowance -= chunk.length;
      if (this.allowance <= 0 || this.frozen) res.pause();
    });
    res.on('end', () => {
      if (this.contentLength !== null && this.bytes !== this.contentLength) {
        return this.fail(`download ended after ${this.bytes} of ${this.contentLength} bytes`);
      }
      this.succeed({ bytes: this.bytes, md5: this.hash.digest('hex'), contentLength: this.contentLength });
    });
    res.on('error', (e) => this.fail(`download broke off after ${this.bytes} bytes: ${e.message}`));
    res.on('close', () => {
      if (!res.complete) this.fail(`download broke off after ${this.bytes} bytes`);
    });
    if (this.allowance <= 0 || this.frozen) res.pause();
  }

  private succeed(r: DownloadResult): void {
    if (this.settled) return;
    this.result = r;
    this.settle.resolve(r);
  }

  private fail(reason: string): void {
    if (this.settled) return;
    this.error = reason;
    this.settle.reject(new Error(reason));
  }
}
