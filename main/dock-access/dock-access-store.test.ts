import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerLoginSchema } from '../../preload/api';
import { dockAccessPath, loadDockAccess, saveDockAccess } from './dock-access-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-access-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('dock access store', () => {
  it('makes logins once per data folder and keeps them in a file only the user can read', () => {
    const first = loadDockAccess(dir).state;
    expect(BrokerLoginSchema.safeParse(first.dockLogin).success).toBe(true);
    expect(first.dockLogin.password).not.toBe(first.ingestLogin.password);
    saveDockAccess(dir, first);
    expect(statSync(dockAccessPath(dir)).mode & 0o777).toBe(0o600);
    expect(loadDockAccess(dir).state).toEqual(first);
    expect(readdirSync(dir)).toEqual(['dock-access.json']);
  });

  it('sets an unreadable file aside and says so, instead of failing to start', () => {
    writeFileSync(dockAccessPath(dir), '{"dockLogin": 3');
    const { state, problem } = loadDockAccess(dir);
    expect(state.dockLogin.username).toMatch(/^dock-/);
    expect(problem).toMatch(/could not be read .* set aside as .*dock-access\.json\.unreadable-\d+/);
  });
});
