// Real brokers for tests and benchmarks: aedes in-process, or Debian's mosquitto on a free loopback
// port, started from the test and stopped by PID.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedBroker, type EmbeddedBroker } from '../main/broker/embedded-broker';

export interface TestBroker {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startAedes(port = 0): Promise<TestBroker & { broker: EmbeddedBroker }> {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port });
  return { url: broker.url, port: broker.port, broker, stop: () => broker.close() };
}

export const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects when `alive()` turns false. */
export function waitForPort(port: number, alive: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (!alive()) return reject(new Error(`the server on port ${port} exited before listening`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listened on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Debian's mosquitto on 127.0.0.1. The default max_queued_messages silently drops QoS 1 bursts, so the
 * config raises it; `port` lets a test restart the broker on the same port to simulate a broker drop.
 */
export async function startMosquitto(port?: number): Promise<TestBroker & { pid: number }> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'dockside-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${p} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 1000000', 'max_inflight_messages 0', 'log_dest none', ''].join('\n'));
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  await waitForPort(p, () => child.exitCode === null && child.signalCode === null);
  return {
    url: `mqtt://127.0.0.1:${p}`,
    port: p,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
