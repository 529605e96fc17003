// Debian's nginx as the reference file server: a temp prefix and config, its own free loopback port,
// run in the foreground as our child and stopped by its PID.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from '../test-support/brokers';
import { waitForPort } from '../test-support/brokers';
import { benchTempDir } from './support';

export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface Nginx {
  /** URL of `file` as nginx serves it. */
  url: string;
  /** The master process; its worker is its child. */
  pid: number;
  stop: () => Promise<void>;
}

/**
 * Serves the folder holding `file`. One worker process, like our single-threaded server; sendfile on,
 * as any production nginx has it.
 */
export async function startNginx(file: string): Promise<Nginx> {
  const prefix = benchTempDir('nginx');
  const port = await freePort();
  for (const sub of ['logs', 'tmp']) mkdirSync(join(prefix, sub));
  const conf = join(prefix, 'nginx.conf');
  const tmp = join(prefix, 'tmp');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dirname(file)};
  }
}
`,
  );
  const child = spawn(NGINX, ['-e', join(prefix, 'logs', 'error.log'), '-c', conf, '-p', prefix, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await waitForPort(port, () => child.exitCode === null && child.signalCode === null);
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    let log = '';
    try {
      log = readFileSync(join(prefix, 'logs', 'error.log'), 'utf8');
    } catch {
      // no log written yet
    }
    throw new Error(`nginx did not start: ${(e as Error).message}\n${stderr}${log}`, { cause: e });
  }
  const name = file.slice(dirname(file).length + 1);
  return {
    url: `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
