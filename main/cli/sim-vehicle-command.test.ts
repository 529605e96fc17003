import { startIngestTarget } from '../../test-support/ingest-target';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { runDockside } from './testing/dockside-cli';
import { startAedes, freePort } from '../../test-support/brokers';
import { createMemorySink, type MemorySink } from '../../test-support/memory-sink';
import { attachMqttIngest } from '../ingest/mqtt-ingest';
import { UsageError } from '../app/user-errors';
import { vehicleSimCommand } from './sim-vehicle-command';

const dockside = (args: string[]) => runDockside(args);

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function httpTarget(sink: MemorySink, bearerToken?: string): Promise<string> {
  const target = await startIngestTarget(sink, bearerToken);
  cleanups.push(target.close);
  return target.url;
}

describe('dockside sim vehicle', () => {
  it('sends the ingest token a host beyond loopback wants, from --ingest-token or the environment', async () => {
    const token = 'sim-ingest-token-0123456789';
    const sink = createMemorySink();
    const target = await httpTarget(sink, token);
    const refused = await dockside(['sim', 'vehicle', '--protocol', 'aktualizr', '--target', target, '--interval', '0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/answered 401/);
    const flagged = await dockside(['sim', 'vehicle', '--protocol', 'aktualizr', '--target', target, '--interval', '0', '--ingest-token', token]);
    expect(flagged.code).toBe(0);
    const fromEnv = await runDockside(['sim', 'vehicle', '--protocol', 'oem', '--target', target, '--interval', '0'], { env: { DOCKSIDE_INGEST_TOKEN: token } });
    expect(fromEnv.code).toBe(0);
    expect(new Set(sink.events().map((e) => e.source))).toEqual(new Set(['aktualizr', 'oem']));
    expect(sink.rejected).toEqual([]);
  });

  it('runs OEM vehicles against an HTTP ingest and exits 0', async () => {
    const sink = createMemorySink();
    const target = await httpTarget(sink);
    const { code, stdout, stderr } = await dockside(['sim', 'vehicle', '--protocol', 'oem', '--target', target, '--vehicles', '2', '--interval', '0']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => /^oem [A-Z0-9]{17} → http:\/\/127\.0\.0\.1:\d+ \(http, ok\)$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^[A-Z0-9]{17} finished: 12 messages accepted$/.test(l))).toHaveLength(2);
    expect(lines.at(-1)).toBe('sent 24 messages');
    expect(sink.events()).toHaveLength(24);
    expect(sink.rejected).toEqual([]);
  });

  it('runs failing CarOTA vehicles over MQTT on a custom topic', async () => {
    const broker = await startAedes();
    cleanups.push(() => broker.stop());
    const app = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanups.push(() => app.endAsync(true));
    const sink = createMemorySink();
    await new Promise<void>((resolve, reject) => attachMqttIngest(app, sink, { carotaTopic: 'fleet/+/carota', onSubscribed: (e) => (e ? reject(e) : resolve()) }));
    const { code, stdout } = await dockside(['sim', 'vehicle', '--protocol', 'carota', '--target', broker.url, '--scenario', 'fail', '--carota-topic', 'fleet/+/carota', '--interval', '0']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').at(-1)).toBe('sent 7 messages');
    await sink.waitFor(7);
    expect(sink.events().at(-1)).toMatchObject({ source: 'carota', state: 'failed' });
  });

  it('exits 1 with one line when the target cannot be reached, 2 on bad usage', async () => {
    const port = await freePort();
    const unreachable = await dockside(['sim', 'vehicle', '--protocol', 'aktualizr', '--target', `http://127.0.0.1:${port}`, '--interval', '0']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^dockside sim: vehicle [A-Z0-9]{17}: could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*\n$/);
    const usage = await dockside(['sim', 'vehicle', '--protocol', 'oem']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('dockside sim: --target URL is required\n');
  });
});

describe('dockside sim vehicle: usage', () => {
  it.each([
    [[], /--protocol is required/],
    [['--protocol', 'can'], /--protocol must be aktualizr, carota, edgehog or oem/],
    [['--protocol', 'oem'], /--target URL is required/],
    [['--protocol', 'aktualizr', '--target', 'mqtt://127.0.0.1:1883'], /--target: aktualizr vehicles report over HTTP/],
    [['--protocol', 'oem', '--target', 'nowhere'], /--target: target is not a URL/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--scenario', 'explode'], /--scenario must be ok or fail/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--vehicles', '0'], /--vehicles must be between 1 and 10000/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--interval', 'soon'], /--interval must be a whole number/],
    [['--protocol', 'carota', '--target', 'mqtt://127.0.0.1:1', '--carota-topic', 'carota/#'], /exactly one \+/],
    [['--protocol', 'edgehog', '--target', 'mqtt://127.0.0.1:1', '--realm', 'Bad Realm'], /--realm must be an Astarte realm/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--colour', 'red'], /colour/],
  ])('%j → %s', async (argv, message) => {
    await expect(vehicleSimCommand.run(argv)).rejects.toThrow(UsageError);
    await expect(vehicleSimCommand.run(argv)).rejects.toThrow(message);
  });
});
