// The firmware files the technician has added: where each lives, its size, MD5 and version. Entries are immutable values, replaced on every change,
// so a reader (the file server, the journal) never sees a half-updated one.
import { randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { FirmwareInfo } from '../../preload/api';
import { FirmwareError } from './firmware-error';
import { versionFromFileName } from './firmware-name';
import { hashFile } from './md5-hasher';
import { TypedEmitter } from './typed-emitter';

export interface FirmwareEntry {
  readonly id: string;
  /** Real path (symlinks resolved when added), so the file server can refuse a path that became a link. */
  readonly path: string;
  /** The name as the technician added it; it is also ota_create's file_name and the URL's last segment. */
  readonly fileName: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly md5?: string;
  readonly version?: string;
  /** ISO 8601. */
  readonly addedAt: string;
  readonly hashing?: { readonly bytes: number; readonly total: number };
  /** Set when a restored entry's file is gone or no longer the file that was hashed. */
  readonly stale?: 'missing' | 'changed';
  readonly error?: string;
}

export interface AddOptions {
  version?: string;
  signal?: AbortSignal;
}

type CatalogueEvents = {
  changed: (info: FirmwareInfo, entry: FirmwareEntry) => void;
  removed: (id: string) => void;
};

export function toInfo(e: FirmwareEntry): FirmwareInfo {
  return {
    id: e.id,
    fileName: e.fileName,
    size: e.size,
    addedAt: e.addedAt,
    ...(e.md5 !== undefined && { md5: e.md5 }),
    ...(e.version !== undefined && { version: e.version }),
    ...(e.hashing !== undefined && { hashing: { bytes: e.hashing.bytes, total: e.hashing.total } }),
    ...(e.error !== undefined && { error: e.error }),
  };
}

/** Hashed, present and unchanged: fit to be named in an ota_create. */
export function isReady(e: FirmwareEntry): e is FirmwareEntry & { md5: string } {
  return e.md5 !== undefined && e.hashing === undefined && e.error === undefined && e.stale === undefined;
}

/** The file server may serve an entry still being hashed, but not one that failed or went stale. */
export function isServable(e: FirmwareEntry): boolean {
  return e.error === undefined && e.stale === undefined;
}

/** At most this many files are read at once: dropping ten files should not make a laptop disk thrash. */
const HASH_CONCURRENCY = 2;

export class FirmwareCatalogue extends TypedEmitter<CatalogueEvents> {
  private readonly entries = new Map<string, FirmwareEntry>();
  private readonly hashes = new Map<string, { done: Promise<FirmwareEntry>; abort: AbortController }>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  get(id: string): FirmwareEntry | undefined {
    return this.entries.get(id);
  }

  list(): FirmwareEntry[] {
    return [...this.entries.values()];
  }

  /**
   * Adds a file and resolves once it is hashed. The entry is listed (and 'changed' emitted, with hashing
   * progress) from the start. A file that cannot be read rejects without adding anything; a file that
   * fails while being hashed stays listed with its error, so the technician sees what happened.
   */
  async add(path: string, opts: AddOptions = {}): Promise<FirmwareEntry> {
    const given = resolve(path);
    const { real, size, mtimeMs } = await statFile(given);
    const same = this.list().find((e) => e.path === real && e.size === size && e.mtimeMs === mtimeMs && isServable(e));
    if (same) {
      if (opts.version !== undefined && opts.version !== same.version) this.setVersion(same.id, opts.version);
      return this.hashes.get(same.id)?.done ?? this.entries.get(same.id)!;
    }
    const fileName = basename(given);
    const version = opts.version ?? versionFromFileName(fileName) ?? versionFromFileName(basename(real));
    const entry: FirmwareEntry = {
      id: randomUUID(),
      path: real,
      fileName,
      size,
      mtimeMs,
      addedAt: new Date().toISOString(),
      hashing: { bytes: 0, total: size },
      ...(version !== undefined && { version }),
    };
    this.put(entry);
    return this.startHash(entry.id, entry.path, opts.signal);
  }

  /** Hashes an entry again, e.g. once a stale file has been put back. */
  async rehash(id: string): Promise<FirmwareEntry> {
    const entry = this.entries.get(id);
    if (!entry) throw new FirmwareError('not-found', 'no such firmware in the catalogue');
    const running = this.hashes.get(id);
    if (running) return running.done;
    let st;
    try {
      st = await statFile(entry.path);
    } catch (e) {
      this.update(id, { error: (e as Error).message, stale: 'missing', hashing: undefined });
      throw e;
    }
    if (!this.entries.has(id)) throw FirmwareError.aborted(entry.path);
    this.update(id, { size: st.size, mtimeMs: st.mtimeMs, md5: undefined, error: undefined, stale: undefined, hashing: { bytes: 0, total: st.size } });
    return this.startHash(id, entry.path);
  }

  remove(id: string): boolean {
    if (!this.entries.has(id)) return false;
    this.hashes.get(id)?.abort.abort();
    this.entries.delete(id);
    this.emit('removed', id);
    return true;
  }

  /** Someone (the file server) found the file gone or changed: it stays listed, with the reason. */
  markStale(id: string, stale: 'missing' | 'changed', message: string): void {
    if (!this.entries.has(id)) return;
    this.update(id, stale === 'changed' ? { stale, error: message, md5: undefined } : { stale, error: message });
  }

  setVersion(id: string, version: string): FirmwareEntry | undefined {
    if (!this.entries.has(id)) return undefined;
    return this.update(id, { version });
  }

  /**
   * Puts back entries recorded in the journal, keeping their ids (a dock may still be downloading a URL
   * sent before a restart). A file whose size and mtime still match is trusted without
   * re-hashing; one that is gone or changed is kept, marked stale with the reason; one whose hashing was
   * interrupted is hashed again in the background.
   */
  async restore(saved: readonly FirmwareEntry[]): Promise<FirmwareEntry[]> {
    const restored: FirmwareEntry[] = [];
    for (const s of saved) {
      if (!looksLikeEntry(s) || this.entries.has(s.id)) continue;
      const base = compact({ ...s, hashing: undefined, stale: undefined, error: undefined });
      let entry: FirmwareEntry;
      try {
        const st = await stat(s.path);
        if (!st.isFile()) entry = { ...base, stale: 'missing', error: `${s.path} is no longer a file; add the firmware again` };
        else if (st.size !== s.size || st.mtimeMs !== s.mtimeMs) {
          entry = { ...compact({ ...base, md5: undefined }), stale: 'changed', error: `${s.fileName} changed on disk since it was hashed; hash it again before upgrading` };
        } else entry = base;
      } catch {
        entry = { ...base, stale: 'missing', error: `${s.path}: file not found; put it back or add the firmware again` };
      }
      this.put(entry);
      restored.push(entry);
      if (entry.md5 === undefined && entry.stale === undefined) this.rehash(entry.id).catch(() => undefined);
    }
    return restored;
  }

  private put(entry: FirmwareEntry): FirmwareEntry {
    this.entries.set(entry.id, entry);
    this.emit('changed', toInfo(entry), entry);
    return entry;
  }

  private update(id: string, patch: Partial<FirmwareEntry>): FirmwareEntry {
    return this.put(compact({ ...this.entries.get(id)!, ...patch }));
  }

  private startHash(id: string, path: string, signal?: AbortSignal): Promise<FirmwareEntry> {
    const abort = new AbortController();
    const onCallerAbort = () => abort.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (signal?.aborted) abort.abort();
    const done = this.hash(id, path, abort.signal).finally(() => {
      signal?.removeEventListener('abort', onCallerAbort);
      this.hashes.delete(id);
    });
    this.hashes.set(id, { done, abort });
    return done;
  }

  private async hash(id: string, path: string, signal: AbortSignal): Promise<FirmwareEntry> {
    await this.acquire();
    try {
      const before = this.entries.get(id);
      if (!before) throw FirmwareError.aborted(path);
      const onProgress = (bytes: number, total: number) => {
        if (this.entries.has(id)) this.update(id, { hashing: { bytes, total } });
      };
      let result;
      try {
        result = await hashFile(path, { signal, onProgress });
        const after = await statFile(path);
        if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || result.size !== before.size) {
          throw new FirmwareError('changed', `${before.fileName} changed while it was being hashed; add it again once it is complete`, path);
        }
      } catch (e) {
        const err = e instanceof FirmwareError ? e : FirmwareError.fromErrno(path, (e as NodeJS.ErrnoException).code, (e as Error).message);
        if (this.entries.has(id) && err.code !== 'aborted') this.update(id, { hashing: undefined, error: err.message });
        if (this.entries.has(id) && err.code === 'aborted') this.remove(id);
        throw err;
      }
      if (!this.entries.has(id)) throw FirmwareError.aborted(path);
      return this.update(id, { md5: result.md5, hashing: undefined, error: undefined });
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < HASH_CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

async function statFile(path: string): Promise<{ real: string; size: number; mtimeMs: number }> {
  try {
    const real = await realpath(path);
    const st = await stat(real);
    if (st.isDirectory()) throw FirmwareError.fromErrno(path, 'EISDIR');
    if (!st.isFile()) throw new FirmwareError('not-a-file', `${path} is not a regular file`, path);
    return { real, size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    if (e instanceof FirmwareError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw FirmwareError.fromErrno(path, err.code, err.message);
  }
}

/** Drops keys set to undefined, so entries serialise and compare the same however they were built. */
function compact(e: FirmwareEntry): FirmwareEntry {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as FirmwareEntry;
}

/** The journal is a file on disk: a damaged record is skipped rather than trusted. */
function looksLikeEntry(s: FirmwareEntry): boolean {
  const r = s as unknown as Record<string, unknown> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.path === 'string' &&
    typeof r.fileName === 'string' &&
    typeof r.size === 'number' &&
    typeof r.mtimeMs === 'number' &&
    typeof r.addedAt === 'string' &&
    (r.md5 === undefined || (typeof r.md5 === 'string' && /^[0-9a-f]{32}$/.test(r.md5)))
  );
}
