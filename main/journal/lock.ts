// One writer per data folder. The lock file holds the owner's pid; a lock left by a process that is
// no longer running (a crash, a pulled battery) is taken over. Readers such as `dockside export` do
// not take it.
//
// Atomic in both steps: the lock file appears already written (a hard link to a finished temp file), so
// nobody ever reads a half-written lock and takes it for stale; and taking over a stale lock is done
// by one process at a time, under a short-lived break file, so two processes cannot both remove a
// stale lock and each believe the next one is theirs.
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = 'dockside.lock';
const BREAK_FILE = 'dockside.lock.break';
/** A break file older than this was left by a process that died while taking over; it is cleared. */
const BREAK_STALE_MS = 10_000;

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dir: string,
    readonly pid: number | undefined,
  ) {
    super(
      pid === process.pid
        ? `data folder ${dir} is already open in this process`
        : `data folder ${dir} is in use by another Dockside${pid === undefined ? '' : ` (pid ${pid})`}; close it, or use another --data folder`,
    );
  }
}

export interface DataDirLock {
  path: string;
  release: () => void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Owner = { state: 'absent' } | { state: 'live'; pid: number } | { state: 'stale' };

function readOwner(path: string): Owner {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw e;
  }
  try {
    const owner = JSON.parse(text) as { pid?: unknown; host?: unknown };
    if (typeof owner.pid !== 'number' || !Number.isInteger(owner.pid) || owner.pid <= 0) return { state: 'stale' };
    // A lock written on another machine (a synced folder) cannot be checked; treat it as held.
    if (typeof owner.host === 'string' && owner.host !== hostname()) return { state: 'live', pid: owner.pid };
    return isRunning(owner.pid) ? { state: 'live', pid: owner.pid } : { state: 'stale' };
  } catch {
    // Lock files only ever appear fully written (see linkInto), so unreadable content is damage, not a writer mid-way.
    return { state: 'stale' };
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Writes `content` to a private temp file and links it in as `path`: false when `path` already exists. */
function linkInto(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    removeIfPresent(temp);
  }
}

function ownerRecord(): string {
  return JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }) + '\n';
}

/** Holds the break file while `work` runs; false when another process is taking over right now. */
function whileBreaking<T>(dir: string, work: () => T): { ran: true; value: T } | { ran: false } {
  const path = join(dir, BREAK_FILE);
  if (!linkInto(path, ownerRecord())) {
    let age = 0;
    try {
      age = Date.now() - statSync(path).mtimeMs;
    } catch {
      // Gone already: the other process finished.
    }
    if (age < BREAK_STALE_MS) return { ran: false };
    removeIfPresent(path);
    if (!linkInto(path, ownerRecord())) return { ran: false };
  }
  try {
    return { ran: true, value: work() };
  } finally {
    removeIfPresent(path);
  }
}

/** Takes the data folder's lock or throws DataDirLockedError naming the owner. */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  if (!linkInto(path, ownerRecord())) {
    const owner = readOwner(path);
    if (owner.state === 'live') throw new DataDirLockedError(dir, owner.pid);
    const takeover = whileBreaking(dir, () => {
      // Read again under the break file: only a live owner's release or a fresh lock can have happened since.
      const now = readOwner(path);
      if (now.state === 'live') return now.pid;
      if (now.state === 'stale') removeIfPresent(path);
      return linkInto(path, ownerRecord()) ? null : readOwner(path);
    });
    if (!takeover.ran) throw new DataDirLockedError(dir, undefined);
    const refusedBy = takeover.value;
    if (typeof refusedBy === 'number') throw new DataDirLockedError(dir, refusedBy);
    if (refusedBy !== null) throw new DataDirLockedError(dir, refusedBy.state === 'live' ? refusedBy.pid : undefined);
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // Already gone (someone cleaned the folder): nothing left to release.
      }
    },
  };
}
