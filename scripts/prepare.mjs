#!/usr/bin/env node
// `npm install` runs this (the prepare script): it builds what `npx dockside` and `dockside web` run, the
// CLI bundle and the renderer, offline and in about two seconds. It never fails an install: without
// these outputs the bin runs the TypeScript through tsx and `dockside web` builds the renderer on its
// first start. Electron plays no part here, so an install without it (CI, offline) builds the same.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const build = join(dirname(fileURLToPath(import.meta.url)), 'build.mjs');
const r = spawnSync(process.execPath, [build, '--renderer', '--cli'], { stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write('prepare: the build failed (above); the install goes on. `dockside` will run through tsx and `dockside web` will build the interface on first start.\n');
}
