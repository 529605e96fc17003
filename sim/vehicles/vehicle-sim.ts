// Runs a simulated fleet of one vehicle protocol against a real target: an HTTP ingest (the app's web
// host or any server with the same routes) or an MQTT broker the app listens on.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { DEFAULT_CAROTA_TOPIC, type VehicleProtocol } from '../../wire/vehicles';
import { redactBrokerUrl } from '../../wire/broker-url';
import { aktualizrScript } from './aktualizr-vehicle';
import { carotaScript } from './carota-vehicle';
import { edgehogScript } from './edgehog-vehicle';
import { oemScript } from './oem-vehicle';
import { hexId } from './vehicle-ids';
import type { Outgoing, ProtocolScript, Scenario, Via } from './vehicle-script';

export const SCRIPTS: Record<VehicleProtocol, ProtocolScript> = {
  aktualizr: aktualizrScript,
  carota: carotaScript,
  edgehog: edgehogScript,
  oem: oemScript,
};

export const DEFAULT_REALM = 'dockside';
export const DEFAULT_INTERVAL_MS = 250;

export interface VehicleSimOptions {
  protocol: VehicleProtocol;
  /** `http://host:port` (the ingest routes live under it) or `mqtt://host:port`. */
  target: string;
  vehicles?: number;
  scenario?: Scenario;
  /** Pause between two messages of one vehicle. */
  intervalMs?: number;
  /** Astarte realm for Edgehog over MQTT (default "dockside"). */
  realm?: string;
  /** CarOTA topic filter; its `+` becomes the VIN (default `carota/+/ota`). */
  carotaTopic?: string;
  /** Sent as `Authorization: Bearer <token>` on HTTP reports (the host's --ingest-token). */
  ingestToken?: string;
  /** Told after each message the target accepted: `sent` of the vehicle's `of` messages. */
  onSent?: (progress: { vehicle: string; sent: number; of: number }) => void;
}

export interface VehicleSim {
  /** VINs (Edgehog: Astarte device ids) of the simulated vehicles. */
  vehicles: string[];
  via: Via;
  /** Resolves when every vehicle sent its last message, or after stop(); rejects when the target refused one. */
  done: Promise<{ sent: number }>;
  stop: () => void;
}

/** The target cannot carry this protocol, or could not be reached, or refused a message. */
export class SimTargetError extends Error {
  override name = 'SimTargetError';
}

const MQTT_SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:']);

/** How `protocol` reaches `target`; throws SimTargetError when the URL cannot carry it. */
export function targetTransport(protocol: VehicleProtocol, target: string): Via {
  const script = SCRIPTS[protocol];
  if (!script) throw new SimTargetError(`unknown protocol "${String(protocol)}"`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new SimTargetError(`target is not a URL: "${target}"`);
  }
  const via: Via | null = url.protocol === 'http:' || url.protocol === 'https:' ? 'http' : MQTT_SCHEMES.has(url.protocol) ? 'mqtt' : null;
  if (via === null) throw new SimTargetError(`target must be an http:// or mqtt:// URL, got "${target}"`);
  if (!script.transports.includes(via)) {
    const other = script.transports.map((t) => `${t}://`).join(' or ');
    throw new SimTargetError(`${script.protocol} vehicles report over ${script.transports.join(' or ').toUpperCase()}: give an ${other} target`);
  }
  return via;
}

type Send = (message: Outgoing, signal: AbortSignal) => Promise<void>;

/** node:http rather than fetch: fetch refuses "bad ports" (6000, 6665…), which an ingest may well listen on. */
function post(url: URL, headers: Record<string, string>, body: string | Uint8Array, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function httpSender(target: string, ingestToken: string | undefined): Send {
  const base = target.replace(/\/+$/, '');
  const auth: Record<string, string> = ingestToken === undefined ? {} : { authorization: `Bearer ${ingestToken}` };
  return async (message, signal) => {
    if (message.via !== 'http') throw new Error('an MQTT message cannot go over HTTP');
    let answer;
    try {
      answer = await post(new URL(`${base}${message.path}`), { ...message.headers, ...auth }, message.body, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      throw new SimTargetError(`could not reach ${base}: ${(e as Error).message}`);
    }
    const { status, text } = answer;
    if (status < 200 || status > 299) throw new SimTargetError(`POST ${message.path.split('?')[0]} answered ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  };
}

function mqttSender(client: MqttClient): Send {
  return async (message, signal) => {
    if (message.via !== 'mqtt') throw new Error('an HTTP message cannot go over MQTT');
    // A QoS 1 publish waits for PUBACK, which never comes while the broker is away: stop() must not wait.
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      client.publishAsync(message.topic, Buffer.from(message.payload), { qos: 1 }).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  };
}

async function connectMqtt(target: string, protocol: VehicleProtocol): Promise<MqttClient> {
  try {
    return await mqtt.connectAsync(target, { clientId: `dockside-sim-${protocol}-${hexId(4)}`, reconnectPeriod: 1000, connectTimeout: 10_000 }, false);
  } catch (e) {
    throw new SimTargetError(`could not connect to ${redactBrokerUrl(target)}: ${(e as Error).message}`);
  }
}

export async function startVehicleSim(opts: VehicleSimOptions): Promise<VehicleSim> {
  const via = targetTransport(opts.protocol, opts.target);
  const script = SCRIPTS[opts.protocol];
  const fleet = script.fleet({
    vehicles: opts.vehicles ?? 1,
    scenario: opts.scenario ?? 'ok',
    realm: opts.realm ?? DEFAULT_REALM,
    carotaTopic: opts.carotaTopic ?? DEFAULT_CAROTA_TOPIC,
  });
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const client = via === 'mqtt' ? await connectMqtt(opts.target, opts.protocol) : null;
  const send = client ? mqttSender(client) : httpSender(opts.target, opts.ingestToken);
  const abort = new AbortController();
  let sent = 0;

  const runVehicle = async (messages: (typeof fleet)[number]['messages'], name: string) => {
    for (const [i, message] of messages.entries()) {
      if (i > 0 && interval > 0) await sleep(interval, undefined, { signal: abort.signal });
      if (abort.signal.aborted) return;
      try {
        await send(message(new Date(), via), abort.signal);
      } catch (e) {
        if (abort.signal.aborted) return;
        throw e instanceof SimTargetError ? new SimTargetError(`vehicle ${name}: ${e.message}`) : e;
      }
      sent += 1;
      opts.onSent?.({ vehicle: name, sent: i + 1, of: messages.length });
    }
  };

  const done = (async () => {
    try {
      await Promise.all(
        fleet.map((v) =>
          runVehicle(v.messages, v.name).catch((e: unknown) => {
            if (abort.signal.aborted && (e as Error).name === 'AbortError') return;
            abort.abort();
            throw e;
          }),
        ),
      );
      return { sent };
    } finally {
      if (client) await client.endAsync(true);
    }
  })();

  return {
    vehicles: fleet.map((v) => v.name),
    via,
    done,
    stop: () => abort.abort(),
  };
}
