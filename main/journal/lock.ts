// One writer per data folder. The lock file holds the owner's pid; a lock left by a process that is
// no longer running (a crash, a pulled battery) is taken over. Readers such as `dockside export` do
// not take it.
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'dockside.lock';

export class DataDirLockedError extends Error {
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
  release(): void;
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

function readOwner(path: string): number | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof owner.pid !== 'number' || !Number.isInteger(owner.pid) || owner.pid <= 0) return undefined;
    // A lock written on another machine (a synced folder) cannot be checked; treat it as held.
    if (typeof owner.host === 'string' && owner.host !== hostname()) return owner.pid;
    return isRunning(owner.pid) ? owner.pid : undefined;
  } catch {
    return undefined;
  }
}

function create(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the data folder's lock or throws DataDirLockedError naming the owner. */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  let acquired = create(path);
  if (!acquired) {
    const owner = readOwner(path);
    if (owner !== undefined) throw new DataDirLockedError(dir, owner);
    try {
      unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    acquired = create(path);
    // Another process took the stale lock between our unlink and create.
    if (!acquired) throw new DataDirLockedError(dir, readOwner(path));
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
