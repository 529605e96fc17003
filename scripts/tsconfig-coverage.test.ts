// The per-environment tsconfigs that `npm run typecheck` builds: every TypeScript file of the tree is in
// exactly one of them, and each is checked against the globals of where it runs, so the core never
// compiles against the DOM and the page never against Node.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const CONFIGS = ['tsconfig.node.json', 'tsconfig.renderer.json', 'tsconfig.preload.json', 'tsconfig.dom-tests.json'] as const;
type ConfigName = (typeof CONFIGS)[number];

function readConfig(name: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(REPO, name), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  });
  if (!parsed) throw new Error(`${name} could not be read`);
  if (parsed.errors.length > 0) throw new Error(`${name}: ${parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  return parsed;
}

const configs = new Map(CONFIGS.map((name) => [name, readConfig(name)]));

function config(name: ConfigName): ts.ParsedCommandLine {
  const parsed = configs.get(name);
  if (!parsed) throw new Error(`${name} is not one of the environment configs`);
  return parsed;
}

const repoPath = (absolute: string): string => relative(REPO, absolute).split('\\').join('/');

/** The TypeScript files a clone has, plus new files not yet committed. */
function repoTypeScriptFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .filter((f) => /\.[cm]?tsx?$/.test(f) && existsSync(join(REPO, f)))
    .sort();
}

const owners = new Map<string, ConfigName[]>();
for (const name of CONFIGS) {
  for (const file of config(name).fileNames.map(repoPath)) owners.set(file, [...(owners.get(file) ?? []), name]);
}

function ownerOf(file: string): ts.ParsedCommandLine {
  const [name] = owners.get(file) ?? [];
  if (!name) throw new Error(`${file} is in no config`);
  return config(name);
}

/** Without `lib`, TypeScript loads the default libraries of the target, the DOM among them. */
const hasDomLib = (parsed: ts.ParsedCommandLine): boolean => parsed.options.lib?.some((lib) => lib.startsWith('lib.dom')) ?? true;

/** Every file the config's program loads: its own, what they import, the libraries and the types packages. */
function programFiles(name: ConfigName): string[] {
  const parsed = config(name);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program.getSourceFiles().map((f) => f.fileName);
}

const isTest = (file: string): boolean => /\.test\.tsx?$/.test(file);
/** Vitest's per-file environment comment, as a line of the file's comments (not this file's mention of it). */
const JSDOM_COMMENT = /^\s*(\/\/|\/?\*+)\s*@vitest-environment\s+jsdom\b/m;
const tsFiles = repoTypeScriptFiles();

describe('the root tsconfig.json', () => {
  it('holds no file and refers to every environment config, so tsc -b checks them all', () => {
    const root = readConfig('tsconfig.json');
    expect(root.fileNames).toEqual([]);
    expect((root.projectReferences ?? []).map((r) => repoPath(r.path)).sort()).toEqual([...CONFIGS].sort());
  });
});

describe('every TypeScript file', () => {
  it('is in exactly one config', () => {
    const misplaced = tsFiles.filter((f) => owners.get(f)?.length !== 1).map((f) => `${f}: ${(owners.get(f) ?? ['no config']).join(', ')}`);
    expect(misplaced).toEqual([]);
    expect(tsFiles.length).toBeGreaterThan(400);
  });

  it('of a config is a file of the tree (nothing from node_modules or dist)', () => {
    const tracked = new Set(tsFiles);
    expect([...owners.keys()].filter((f) => !tracked.has(f))).toEqual([]);
  });

  it('is in the config of where it runs', () => {
    const expected: Record<string, ConfigName> = {
      'main/index.ts': 'tsconfig.node.json',
      'main/app/app-core.ts': 'tsconfig.node.json',
      'wire/broker-url.ts': 'tsconfig.node.json',
      'sim/dji-dock/device-payloads.ts': 'tsconfig.node.json',
      'test-support/memory-backend.ts': 'tsconfig.node.json',
      'preload/index.test.ts': 'tsconfig.node.json',
      'scripts/freshness.d.mts': 'tsconfig.node.json',
      'vite.config.ts': 'tsconfig.node.json',
      'playwright.config.ts': 'tsconfig.node.json',
      'renderer/App.tsx': 'tsconfig.renderer.json',
      'renderer/ws-client.ts': 'tsconfig.renderer.json',
      'preload/api.ts': 'tsconfig.preload.json',
      'preload/index.ts': 'tsconfig.preload.json',
      'preload/sandbox-globals.d.ts': 'tsconfig.preload.json',
      'renderer/views/LogView.test.tsx': 'tsconfig.dom-tests.json',
      'renderer/testing/render.tsx': 'tsconfig.dom-tests.json',
      'main/host/pilot-page-server.test.ts': 'tsconfig.dom-tests.json',
      'e2e/support/app-page.ts': 'tsconfig.dom-tests.json',
    };
    expect(Object.fromEntries(Object.keys(expected).map((f) => [f, owners.get(f)?.join(', ')]))).toEqual(expected);
  });
});

describe('each environment', () => {
  it('checks the core without the DOM', () => {
    const core = tsFiles.filter((f) => f.startsWith('main/') && !isTest(f));
    expect(core).toContain('main/index.ts');
    expect(core.filter((f) => hasDomLib(ownerOf(f)))).toEqual([]);
    // Not even through a package's `/// <reference lib="dom" />`.
    expect(programFiles('tsconfig.node.json').filter((f) => /\/typescript\/lib\/lib\.dom/.test(f))).toEqual([]);
  });

  it('checks the page without Node', () => {
    const page = tsFiles.filter((f) => f.startsWith('renderer/') && !isTest(f) && !f.startsWith('renderer/testing/'));
    expect(page).toContain('renderer/App.tsx');
    expect(page.filter((f) => ownerOf(f).options.types?.length !== 0)).toEqual([]);
    // Not even through an import of a Node module or a package's `/// <reference types="node" />`.
    expect(programFiles('tsconfig.renderer.json').filter((f) => f.includes('/@types/node/'))).toEqual([]);
  });

  it('gives the sandboxed preload the DOM and, of Node, only what its declarations name', () => {
    const preload = config('tsconfig.preload.json');
    expect(hasDomLib(preload)).toBe(true);
    expect(preload.options.types).toEqual([]);
    expect(programFiles('tsconfig.preload.json').filter((f) => f.includes('/@types/node/'))).toEqual([]);
  });

  it('checks the jsdom tests with the DOM', () => {
    const jsdomTests = tsFiles.filter((f) => isTest(f) && JSDOM_COMMENT.test(readFileSync(join(REPO, f), 'utf8')));
    expect(jsdomTests).toContain('main/host/pilot-page-server.test.ts');
    expect(jsdomTests.filter((f) => !hasDomLib(ownerOf(f)))).toEqual([]);
  });
});
