#!/usr/bin/env node
// `npm run build`: the renderer with Vite (React) into dist/renderer, the Electron main process and the
// preload with esbuild into single CommonJS files, and the `dockside` CLI bundle (scripts/cli-bundle.mjs).
// Naming parts builds only those: `--renderer` (what the web host and the browser tests need), `--cli`,
// `--desktop` (main and preload). See docs/build.md for why not electron-vite.
import { build as esbuild } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';
import { buildCliBundle } from './cli-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PARTS = ['renderer', 'desktop', 'cli'];
const named = PARTS.filter((p) => process.argv.includes(`--${p}`));
const parts = new Set(named.length > 0 ? named : PARTS);

function fail(step, e) {
  process.stderr.write(`build: ${step} failed: ${e?.message ?? e}\n`);
  process.exit(1);
}

const started = Date.now();
if (parts.has('renderer')) {
  try {
    await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  } catch (e) {
    fail('renderer (vite)', e);
  }
}

if (parts.has('desktop')) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
  };
  rmSync(join(root, 'dist/main'), { recursive: true, force: true });
  rmSync(join(root, 'dist/preload'), { recursive: true, force: true });
  try {
    await esbuild({
      ...common,
      entryPoints: ['main/index.ts'],
      outfile: 'dist/main/index.cjs',
      target: 'node20',
      // electron is the runtime's own module; bufferutil/utf-8-validate are optional native speed-ups of ws.
      external: ['electron', 'bufferutil', 'utf-8-validate'],
      // The core reads files relative to its module (package.json); in the bundle that is dist/main/index.cjs.
      define: { 'import.meta.url': '__docksideModuleUrl' },
      banner: { js: "const __docksideModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    });
  } catch (e) {
    fail('main process (esbuild)', e);
  }
  try {
    // A sandboxed preload can neither load ES modules nor require anything but 'electron': one CJS file.
    await esbuild({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs', target: 'chrome120', external: ['electron'] });
  } catch (e) {
    fail('preload (esbuild)', e);
  }
}

if (parts.has('cli')) {
  try {
    // undefined: a source changed while esbuild read it; the bin rebuilds on its next start.
    if (!(await buildCliBundle())) process.stderr.write('build: a source changed during the CLI build; dockside rebuilds it on first use\n');
  } catch (e) {
    fail('CLI (esbuild)', e);
  }
}

const names = { renderer: 'renderer', desktop: 'main and preload', cli: 'CLI' };
process.stdout.write(`build: ${[...parts].map((p) => names[p]).join(', ')} built into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
