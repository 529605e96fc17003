// The `dockside` CLI as JavaScript: main/cli bundled by esbuild into dist/cli, ES modules with one chunk
// per command so a command loads only what it uses. `npm install` builds it (prepare); bin/dockside.mjs
// runs it only while it is as new as its sources (scripts/freshness.mjs) and rebuilds it otherwise.
// Output names carry a content hash and every file lands by rename, so processes that start together
// (a test run spawning dozens) may each rebuild without tearing each other's files.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metafileInputs, recordInputs, staleInput } from './freshness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(ROOT, 'dist', 'cli');
const MANIFEST = join(CLI_DIR, 'manifest.json');
const ENTRY_SOURCE = 'main/cli/index.ts';
/** Files that shape the bundle without being modules of it; npm rewrites the hidden lockfile on every change of node_modules. */
const BUILD_INPUTS = ['scripts/cli-bundle.mjs', 'scripts/freshness.mjs', 'tsconfig.json', 'tsconfig.base.json', 'package.json', 'node_modules/.package-lock.json'];
/** Superseded outputs are removed once this old: a process that read the previous manifest has long loaded them. */
const PRUNE_AFTER_MS = 10 * 60_000;

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `{ entry }` (absolute path) when the bundle is as new as every input, else `{ stale }`: why not. */
export function checkCliBundle() {
  const manifest = readManifest();
  if (!manifest) return { stale: 'not built yet' };
  const changed = staleInput(ROOT, manifest.inputs);
  return changed ? { stale: `${changed} changed` } : { entry: join(CLI_DIR, manifest.entry) };
}

function writeByRename(path, contents) {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

function prune(keep) {
  const cutoff = Date.now() - PRUNE_AFTER_MS;
  for (const name of readdirSync(CLI_DIR)) {
    if (keep.has(name) || name === 'manifest.json') continue;
    const path = join(CLI_DIR, name);
    try {
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

/**
 * Builds the bundle and records its inputs. Resolves to the entry's absolute path, or undefined when a
 * source changed while esbuild read it (the output may then be older than the sources: never run it).
 * Rejects when esbuild fails (a syntax error in the sources).
 */
export async function buildCliBundle({ logLevel = 'warning' } = {}) {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { dockside: ENTRY_SOURCE },
    outdir: CLI_DIR,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Optional native speed-ups of ws, loaded with a try/catch.
    external: ['bufferutil', 'utf-8-validate'],
    // Bundled CommonJS dependencies (mqtt.js, aedes) call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __docksideCreateRequire } from 'node:module'; const require = __docksideCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel,
  });
  const record = recordInputs(ROOT, { modules: metafileInputs(result.metafile), files: BUILD_INPUTS }, startedAt);
  if (!record) return undefined;
  const [entryOutput] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === ENTRY_SOURCE) ?? [];
  if (!entryOutput) throw new Error(`esbuild produced no output for ${ENTRY_SOURCE}`);
  mkdirSync(CLI_DIR, { recursive: true });
  const names = new Set();
  for (const file of result.outputFiles) {
    names.add(basename(file.path));
    // Same name, same content: the hash is of the content.
    if (!existsSync(file.path)) writeByRename(file.path, file.contents);
  }
  const entry = basename(entryOutput);
  writeByRename(MANIFEST, `${JSON.stringify({ entry, builtAt: new Date().toISOString(), inputs: record })}\n`);
  prune(names);
  return join(CLI_DIR, entry);
}

/**
 * The entry to run: the bundle when fresh, else a new build of it. Undefined when it cannot be built
 * (esbuild missing or failing, dist/ read-only, sources edited during every try): the caller runs the
 * TypeScript through tsx instead, which is never stale.
 */
export async function freshCliEntry(trace = () => undefined) {
  const checked = checkCliBundle();
  if (checked.entry) {
    trace(`running the bundle ${basename(checked.entry)}`);
    return checked.entry;
  }
  trace(`rebuilding the bundle: ${checked.stale}`);
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const entry = await buildCliBundle({ logLevel: 'silent' });
      if (entry) {
        trace(`running the new bundle ${basename(entry)}`);
        return entry;
      }
      trace('a source changed during the build; building again');
    } catch (e) {
      trace(`cannot build the bundle (${String(e?.message ?? e).split('\n')[0]}); running the TypeScript through tsx`);
      return undefined;
    }
  }
  trace('sources kept changing during the build; running the TypeScript through tsx');
  return undefined;
}
