// Each vehicle simulator end to end into the app: real transport (HTTP server or aedes broker), the real
// ingest and decoders, an in-memory sink at the end. It lives with the ingest, not under sim/, because it tests
// the simulators against the app's own core.
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpgradeEvent } from '../../preload/api';
import { SimTargetError, startVehicleSim } from '../../sim/vehicles/vehicle-sim';
import type { Scenario, Via } from '../../sim/vehicles/vehicle-script';
import { startAedes } from '../../test-support/brokers';
import { startIngestTarget } from '../../test-support/ingest-target';
import type { VehicleProtocol } from '../../wire/vehicles';
import { createMemorySink, type MemorySink } from '../../test-support/memory-sink';
import { attachMqttIngest } from './mqtt-ingest';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function httpTarget(sink: MemorySink): Promise<string> {
  const target = await startIngestTarget(sink);
  cleanups.push(target.close);
  return target.url;
}

async function mqttTarget(sink: MemorySink): Promise<string> {
  const broker = await startAedes();
  cleanups.push(() => broker.stop());
  const app = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  cleanups.push(() => app.endAsync(true));
  await new Promise<void>((resolve, reject) => attachMqttIngest(app, sink, { onSubscribed: (e) => (e ? reject(e) : resolve()) }));
  return broker.url;
}

function byDevice(events: UpgradeEvent[]): Map<string, UpgradeEvent[]> {
  const map = new Map<string, UpgradeEvent[]>();
  for (const e of events) map.set(e.device, [...(map.get(e.device) ?? []), e]);
  return map;
}

/** Events per message: aktualizr sends arrays, the others one event a message. */
const AKTUALIZR_EVENTS = { ok: [14, 14], fail: [7, 9] } as const;

const RUNS: [VehicleProtocol, Via, Scenario][] = [
  ['aktualizr', 'http', 'ok'],
  ['aktualizr', 'http', 'fail'],
  ['carota', 'mqtt', 'ok'],
  ['carota', 'mqtt', 'fail'],
  ['carota', 'http', 'ok'],
  ['edgehog', 'mqtt', 'ok'],
  ['edgehog', 'mqtt', 'fail'],
  ['edgehog', 'http', 'fail'],
  ['oem', 'http', 'ok'],
  ['oem', 'http', 'fail'],
];

describe('vehicle simulators through the real transports into the real decoders', () => {
  it.each(RUNS)('%s over %s, scenario %s', async (protocol, via, scenario) => {
    const sink = createMemorySink();
    const target = via === 'http' ? await httpTarget(sink) : await mqttTarget(sink);
    const sim = await startVehicleSim({ protocol, target, vehicles: 2, scenario, intervalMs: 0 });
    expect(sim.via).toBe(via);
    const { sent } = await sim.done;
    const expected = protocol === 'aktualizr' ? AKTUALIZR_EVENTS[scenario][0] + AKTUALIZR_EVENTS[scenario][1] : sent;
    await sink.waitFor(expected);

    expect(sink.rejected).toEqual([]);
    expect(sink.events()).toHaveLength(expected);
    const timelines = byDevice(sink.events());
    expect([...timelines.keys()].sort()).toEqual([...sim.vehicles].sort());
    for (const [device, events] of timelines) {
      expect(events.every((e) => e.source === protocol)).toBe(true);
      expect(new Set(events.map((e) => e.id)).size, `${device}: event ids are unique`).toBe(events.length);
      expect(
        events.every((e) => e.campaign !== ''),
        `${device}: every event names its campaign`,
      ).toBe(true);
      const last = events.at(-1)!;
      if (scenario === 'ok') {
        expect(last, `${device} ends done`).toMatchObject({ phase: 'done', state: 'succeeded' });
        expect(events.some((e) => e.state === 'failed')).toBe(false);
      } else {
        expect(last.state, `${device} ends failed: ${last.message}`).toBe('failed');
      }
    }
  });

  it('CarOTA reports download progress from the meta, Edgehog from statusProgress, OEM from the bytes', async () => {
    const sink = createMemorySink();
    const target = await mqttTarget(sink);
    const carota = await startVehicleSim({ protocol: 'carota', target, intervalMs: 0 });
    const edgehog = await startVehicleSim({ protocol: 'edgehog', target, intervalMs: 0 });
    const oem = await startVehicleSim({ protocol: 'oem', target: await httpTarget(sink), intervalMs: 0 });
    const total = (await carota.done).sent + (await edgehog.done).sent + (await oem.done).sent;
    await sink.waitFor(total);
    const percents = (device: string) =>
      sink
        .events()
        .filter((e) => e.device === device && e.phase === 'download' && e.percent !== null)
        .map((e) => e.percent);
    expect(percents(carota.vehicles[0]!)).toEqual([0, 40, 80, 100]);
    expect(percents(edgehog.vehicles[0]!)).toEqual([0, 25, 50, 75, 100]);
    expect(percents(oem.vehicles[0]!)).toEqual(expect.arrayContaining([30, 70, 100]));
  });

  it('stop() ends a run early and done resolves with what was sent', async () => {
    const sink = createMemorySink();
    let firsts = 0;
    let allFirstsSent = () => {};
    const firstsSent = new Promise<void>((r) => (allFirstsSent = r));
    const sim = await startVehicleSim({
      protocol: 'oem',
      target: await httpTarget(sink),
      vehicles: 3,
      intervalMs: 60_000,
      onSent: () => ++firsts === 3 && allFirstsSent(),
    });
    await firstsSent;
    sim.stop();
    expect(await sim.done).toEqual({ sent: 3 });
    expect(sink.events()).toHaveLength(3);
  });

  it('rejects done when the target refuses a message', async () => {
    const sink = createMemorySink();
    sink.failAccepts(true);
    const sim = await startVehicleSim({ protocol: 'aktualizr', target: await httpTarget(sink), intervalMs: 0 });
    await expect(sim.done).rejects.toThrow(SimTargetError);
    await expect(sim.done).rejects.toThrow(/answered 503/);
  });

  it('refuses a target that cannot carry the protocol, or cannot be reached', async () => {
    await expect(startVehicleSim({ protocol: 'aktualizr', target: 'mqtt://127.0.0.1:1883' })).rejects.toThrow(/HTTP/);
    await expect(startVehicleSim({ protocol: 'oem', target: 'ftp://example.invalid' })).rejects.toThrow(/http:\/\/ or mqtt:\/\//);
    await expect(startVehicleSim({ protocol: 'edgehog', target: 'not a url' })).rejects.toThrow(SimTargetError);
    const broker = await startAedes();
    const { port } = broker;
    await broker.stop();
    await expect(startVehicleSim({ protocol: 'edgehog', target: `mqtt://127.0.0.1:${port}` })).rejects.toThrow(/could not connect/);
  });
});
