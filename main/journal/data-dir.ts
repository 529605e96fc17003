// Where the journal and settings live: --data DIR, else $DOCKSIDE_DATA, else the OS app-data folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
