// Bounded under floods, through a real broker: a 30 MiB ota_progress is journaled as a few KiB with a
// note and its size, and a sender inventing event methods cannot grow the core's memory or the log.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UpgradeEvent } from '../../preload/api';
import { startMosquitto, type TestBroker } from '../../test-support/brokers';
import { createAppCore, MAX_NOTED_METHODS, type AppCore } from './app-core';
import type { TruncatedRaw } from '../journal/event-size-cap';

let dir: string;
let broker: TestBroker;
let core: AppCore;
const events: UpgradeEvent[] = [];

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-limits-'));
  broker = await startMosquitto();
  core = await createAppCore({ dataDir: dir, brokerUrl: broker.url, host: 'web', serveHost: '127.0.0.1' });
  core.subscribe((stream, payload) => {
    if (stream === 'event') events.push(payload as UpgradeEvent);
  });
  await until(() => core.gateway.status.state === 'connected');
});

afterAll(async () => {
  await core.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

function journalLines(): string[] {
  const folder = join(dir, 'journal');
  return readdirSync(folder)
    .filter((n) => n.endsWith('.jsonl'))
    .flatMap((n) => readFileSync(join(folder, n), 'utf8').split('\n'));
}

it('journals a 30 MiB ota_progress as a capped raw with a note and the original size', async () => {
  const publisher = await mqtt.connectAsync(broker.url);
  const envelope = {
    tid: 'big-tid',
    bid: 'big-bid',
    timestamp: Date.now(),
    method: 'ota_progress',
    data: { result: 0, output: { status: 'in_progress', progress: { percent: 10, step_key: 'download_firmware' } }, padding: 'A'.repeat(30 * 1024 * 1024) },
  };
  const size = Buffer.byteLength(JSON.stringify(envelope));
  await publisher.publishAsync('thing/product/BIGDOCK/events', JSON.stringify(envelope), { qos: 1 });
  await publisher.endAsync();
  await until(() => events.some((e) => e.device === 'BIGDOCK'));
  await core.journal.settled();

  const seen = events.find((e) => e.device === 'BIGDOCK')!;
  const raw = seen.raw as TruncatedRaw;
  expect(raw.originalBytes).toBe(size);
  expect(raw.truncated).toMatch(new RegExp(`^raw payload of ${size} bytes truncated`));
  expect(raw.head.startsWith('{"tid":"big-tid"')).toBe(true);
  expect(Math.max(...journalLines().map((l) => l.length))).toBeLessThan(64 * 1024);
  const logged = await core.handle('log.query', { device: 'BIGDOCK' });
  expect((logged.events[0]!.raw as TruncatedRaw).originalBytes).toBe(size);
});

it('remembers at most MAX_NOTED_METHODS ignored methods, says once that it stopped, and logs nothing more', async () => {
  const publisher = await mqtt.connectAsync(broker.url);
  const extra = 50;
  for (let i = 0; i < MAX_NOTED_METHODS + extra; i++) {
    const envelope = { tid: `t${i}`, bid: `b${i}`, timestamp: Date.now(), method: `invented_${i}`, data: {} };
    publisher.publish('thing/product/FLOOD/events', JSON.stringify(envelope), { qos: 1 });
  }
  // Delivered after the flood on the same connection: once its event is in, every flood message was handled.
  const sentinel = {
    tid: 'end',
    bid: 'end',
    timestamp: Date.now(),
    method: 'ota_progress',
    data: { result: 0, output: { status: 'in_progress', progress: { percent: 1, step_key: 'download_firmware' } } },
  };
  publisher.publish('thing/product/SENTINEL/events', JSON.stringify(sentinel), { qos: 1 });
  await publisher.endAsync();
  await until(() => events.some((e) => e.device === 'SENTINEL'));
  const noted = () => events.filter((e) => e.device === 'FLOOD');
  expect(noted().at(-1)!.message).toMatch(`more than ${MAX_NOTED_METHODS} different ignored methods`);
  expect(noted().filter((e) => e.message.startsWith('ignored events method'))).toHaveLength(MAX_NOTED_METHODS);
  expect(noted()).toHaveLength(MAX_NOTED_METHODS + 1);
});
