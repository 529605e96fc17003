#!/usr/bin/env node
// `npm start`: build, then run the desktop app; where Electron is not installed (it is an optional
// dependency: CI, headless site laptops) run the same app in the browser through `dockside web`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** The electron package's default export is the path of its binary; the binary may have failed to download. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron) {
  forwardSignals(spawn(electron, [join(root, 'dist/main/index.cjs'), ...args], { stdio: 'inherit' }));
} else {
  const child = spawn(process.execPath, [join(root, 'bin/dockside.mjs'), 'web', ...args], { stdio: ['inherit', 'pipe', 'inherit'] });
  forwardSignals(child);
  // The web host names its URL on its first line; say once why this is a browser and not a window.
  createInterface({ input: child.stdout }).on('line', (line) => {
    const url = /^Dockside web host: (\S+)$/.exec(line)?.[1];
    process.stdout.write(url ? `Electron is not installed here; running the web host instead: ${url}\n` : `${line}\n`);
  });
}
