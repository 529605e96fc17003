import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  const home = '/home/tech';
  const table: Array<[string, string | undefined, NodeJS.ProcessEnv, NodeJS.Platform, string]> = [
    ['the --data flag first', '/srv/site-a', { DOCKSIDE_DATA: '/elsewhere' }, 'linux', '/srv/site-a'],
    ['then DOCKSIDE_DATA', undefined, { DOCKSIDE_DATA: '/mnt/usb/dockside' }, 'linux', '/mnt/usb/dockside'],
    ['Linux XDG_DATA_HOME', undefined, { XDG_DATA_HOME: '/data/xdg' }, 'linux', '/data/xdg/dockside'],
    ['Linux without XDG', undefined, {}, 'linux', '/home/tech/.local/share/dockside'],
    ['Linux with a relative XDG (ignored)', undefined, { XDG_DATA_HOME: 'rel' }, 'linux', '/home/tech/.local/share/dockside'],
    ['macOS', undefined, {}, 'darwin', '/home/tech/Library/Application Support/Dockside'],
  ];
  for (const [what, flag, env, platform, expected] of table) {
    it(what, () => expect(resolveDataDir(flag, { env, platform, home })).toBe(expected));
  }

  it('Windows uses APPDATA', () => {
    expect(resolveDataDir(undefined, { env: { APPDATA: '/appdata' }, platform: 'win32', home })).toMatch(/^\/appdata[\\/]Dockside$/);
  });

  it('makes a relative --data absolute', () => {
    expect(resolveDataDir('site-b', { env: {}, platform: 'linux', home })).toBe(`${process.cwd()}/site-b`);
  });
});
