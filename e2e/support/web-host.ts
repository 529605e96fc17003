// Starts the real `dockside web` as a child process on a free port with its own data folder, waits for
// its URL lines, and stops it by PID. Specs get it through the `webHost` fixture in ./fixtures.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test-support/brokers';

export interface WebHost {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** The broker the host connected to (the embedded one when no brokerUrl was given). */
  brokerUrl: string;
  /** With the built-in broker: the login a dock is given (what the Connection view shows); none on a site broker. */
  dockLogin?: { username: string; password: string };
  /** Where vehicle clients publish: the broker URL, with the vehicle login when it is the built-in one. */
  ingestUrl: string;
  dataDir: string;
  pid: number;
  /** Everything the host printed on stderr so far, for failure messages. */
  stderr: () => string;
  stop: () => Promise<number | null>;
}

export interface WebHostOptions {
  brokerUrl?: string;
  /** Reuse a data folder (to test restore after restart); a fresh temporary one otherwise. */
  dataDir?: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
  /** A port of its own (to start a host again where the window knew it); a free one otherwise. */
  port?: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const ownData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dockside-e2e-'));
  const port = options.port ?? (await freePort());
  const args = ['bin/dockside.mjs', 'web', '--port', String(port), '--data', dataDir, ...(options.brokerUrl ? ['--broker', options.brokerUrl] : []), ...(options.extraArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const lines = createInterface({ input: child.stdout! });
  const found: { url?: string; broker?: string } = {};
  const ready = new Promise<void>((resolveReady, reject) => {
    lines.on('line', (line) => {
      const url = /^Dockside web host: (\S+)$/.exec(line)?.[1];
      const broker = /^broker: (\S*)$/.exec(line)?.[1];
      if (url) found.url = url;
      if (broker !== undefined) {
        found.broker = broker;
        resolveReady();
      }
    });
    void exited.then((code) => reject(new Error(`dockside web exited with ${code} before it was ready: ${stderr.trim()}`)));
  });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`dockside web did not print its URLs within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    const code = await exited;
    if (ownData) rmSync(dataDir, { recursive: true, force: true });
    return code;
  };

  try {
    await Promise.race([ready, timedOut]);
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const builtIn = options.brokerUrl === undefined && !options.extraArgs?.includes('--broker');
  const logins = builtIn ? (JSON.parse(readFileSync(join(dataDir, 'dock-access.json'), 'utf8')) as Record<'dockLogin' | 'ingestLogin', { username: string; password: string }>) : undefined;
  const ingestUrl = new URL(found.broker!);
  if (logins) [ingestUrl.username, ingestUrl.password] = [logins.ingestLogin.username, logins.ingestLogin.password];
  return {
    url: found.url!,
    port,
    brokerUrl: found.broker!,
    ...(logins ? { dockLogin: logins.dockLogin } : {}),
    ingestUrl: ingestUrl.toString().replace(/\/$/, ''),
    dataDir,
    pid: child.pid!,
    stderr: () => stderr,
    stop,
  };
}
