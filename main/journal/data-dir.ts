// Where the journal and settings live: --data DIR, else $DOCKSIDE_DATA, else the OS app-data folder.
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { JournalError } from './journal-error';

export interface DataDirContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

export function defaultDataDir({ env = process.env, platform = process.platform, home = homedir() }: DataDirContext = {}): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Dockside');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Dockside');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'dockside');
}

export function resolveDataDir(flag?: string, context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  if (flag) return resolve(flag);
  if (env.DOCKSIDE_DATA) return resolve(env.DOCKSIDE_DATA);
  return defaultDataDir(context);
}

/** What is wrong with `dir` as a data folder that is to be read, or undefined when it is a folder. */
export function dataDirProblem(dir: string): string | undefined {
  const found = statSync(dir, { throwIfNoEntry: false });
  if (!found) return `data folder ${dir} does not exist`;
  if (!found.isDirectory()) return `data folder ${dir} is a file, not a folder: point --data (or DOCKSIDE_DATA) at a folder`;
  return undefined;
}

/** Creates the data folder and its parents; a file where a folder should be is one clear line. */
export function ensureDataDir(dir: string): void {
  const problem = dataDirProblem(dir);
  if (problem === undefined) return;
  if (statSync(dir, { throwIfNoEntry: false })) throw new JournalError(problem);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new JournalError(`cannot make the data folder ${dir}: a file stands where one of its folders should be`);
    if (code === 'EACCES' || code === 'EPERM') throw new JournalError(`cannot make the data folder ${dir}: not allowed`);
    throw e;
  }
}
