// The freshness rule on real files: what makes a recorded build stale, and a build that must not be recorded.
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metafileInputs, recordInputs, staleInput, type InputRecord } from './freshness.mjs';

let root: string;
const BEFORE = Date.now() - 60_000;

function file(path: string, text: string, mtimeMs = BEFORE): void {
  writeFileSync(join(root, path), text);
  utimesSync(join(root, path), mtimeMs / 1000, mtimeMs / 1000);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dockside-freshness-'));
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'node_modules/dep'), { recursive: true });
  file('src/a.ts', 'export const a = 1;\n');
  file('src/b.ts', 'export const b = 2;\n');
  file('node_modules/dep/index.js', 'module.exports = 3;\n');
  file('build.mjs', '// the build script\n');
  for (const dir of ['src', 'node_modules/dep']) utimesSync(join(root, dir), BEFORE / 1000, BEFORE / 1000);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function record(): InputRecord {
  const r = recordInputs(root, { modules: ['src/a.ts', 'src/b.ts', 'node_modules/dep/index.js'], files: ['build.mjs'] }, Date.now());
  if (!r) throw new Error('not recorded');
  return r;
}

describe('recordInputs', () => {
  it('records every file and the source folders, not the dependency folders', () => {
    const r = record();
    expect(Object.keys(r.files).sort()).toEqual(['build.mjs', 'node_modules/dep/index.js', 'src/a.ts', 'src/b.ts']);
    expect(r.files['src/a.ts']).toEqual([20, statSync(join(root, 'src/a.ts')).mtimeMs]);
    expect(Object.keys(r.dirs)).toEqual(['src']);
  });

  it('refuses a build whose input changed after the build started (it may hold the older text)', () => {
    const startedAt = Date.now() - 1_000;
    file('src/b.ts', 'export const b = 22;\n', Date.now());
    expect(recordInputs(root, { modules: ['src/a.ts', 'src/b.ts'] }, startedAt)).toBeUndefined();
  });

  it('refuses a build whose source folder changed after it started (a file added mid-build)', () => {
    const startedAt = Date.now() - 1_000;
    utimesSync(join(root, 'src'), Date.now() / 1000, Date.now() / 1000);
    expect(recordInputs(root, { modules: ['src/a.ts'] }, startedAt)).toBeUndefined();
  });
});

describe('staleInput', () => {
  it('is undefined while nothing changed', () => {
    expect(staleInput(root, record())).toBeUndefined();
  });

  it.each<[string, () => void, string]>([
    ['an edit of the same length', () => file('src/a.ts', 'export const a = 7;\n', Date.now()), 'src/a.ts'],
    ['an edit that keeps the mtime but not the size', () => file('src/b.ts', 'export const b = 200;\n'), 'src/b.ts'],
    ['a touch', () => utimesSync(join(root, 'src/a.ts'), new Date(), new Date()), 'src/a.ts'],
    ['a removed file', () => rmSync(join(root, 'src/b.ts')), 'src/b.ts'],
    ['a new file beside the sources (it could shadow one)', () => writeFileSync(join(root, 'src/a.tsx'), ''), 'src/'],
    ['a dependency changed', () => file('node_modules/dep/index.js', 'module.exports = 4;\n', Date.now()), 'node_modules/dep/index.js'],
    ['the build script changed', () => file('build.mjs', '// the build script, changed\n'), 'build.mjs'],
  ])('names %s', (_, change, stale) => {
    const r = record();
    change();
    expect(staleInput(root, r)).toBe(stale);
  });

  it('calls a missing record stale', () => {
    expect(staleInput(root, undefined)).toBe('no record of the inputs');
  });
});

describe('metafileInputs', () => {
  it('keeps files and drops esbuild namespaces', () => {
    expect(metafileInputs({ inputs: { 'main/a.ts': {}, 'node_modules/x/y.js': {}, 'disabled:fs': {}, 'data-url:x': {} } })).toEqual(['main/a.ts', 'node_modules/x/y.js']);
  });
});
