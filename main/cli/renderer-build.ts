// `dockside web` right after `npm install`: the install builds the renderer (the prepare script). When it
// is missing anyway (an install with --ignore-scripts, a removed dist/), `dockside web` builds it before
// it serves, saying so on stderr: a second or two with Vite.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../app/user-errors';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));

function runBuild(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILD_SCRIPT, '--renderer'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

export async function ensureRendererBuilt(rendererDir: string, log: (line: string) => void): Promise<void> {
  if (existsSync(join(rendererDir, 'index.html'))) return;
  log('dockside web: the user interface is not built yet; building it now (first start)…');
  const started = performance.now();
  const { code, output } = await runBuild();
  if (code !== 0 || !existsSync(join(rendererDir, 'index.html'))) {
    const reason = output.trim().split('\n').at(-1) ?? `exit ${code}`;
    throw new UserError(`could not build the user interface: ${reason} (run "npm run build" to see the whole error)`);
  }
  log(`dockside web: user interface built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
