// What a simulated vehicle sends, independent of how it travels: each protocol module turns a fleet
// into per-vehicle message lists; the runner sends them over HTTP or MQTT.
import type { VehicleProtocol } from '../../wire/vehicles';

export type Scenario = 'ok' | 'fail';
export type Via = 'http' | 'mqtt';

export interface HttpMessage {
  via: 'http';
  /** Path and query under the target URL, e.g. `/events` or `/ingest/edgehog?device=…`. */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface MqttMessage {
  via: 'mqtt';
  topic: string;
  payload: string | Uint8Array;
}

export type Outgoing = HttpMessage | MqttMessage;

export interface FleetOptions {
  vehicles: number;
  scenario: Scenario;
  /** Astarte realm for Edgehog over MQTT. */
  realm: string;
  /** CarOTA topic filter; its `+` becomes the VIN. */
  carotaTopic: string;
}

export interface VehiclePlan {
  /** VIN, or the Astarte device id for Edgehog. */
  name: string;
  /** One function per message, called when it is sent so its timestamps are the sending time. */
  messages: ((now: Date, via: Via) => Outgoing)[];
}

export interface ProtocolScript {
  protocol: VehicleProtocol;
  /** The transports the protocol travels over, the first being the one its devices use. */
  transports: readonly Via[];
  fleet: (opts: FleetOptions) => VehiclePlan[];
}

/** `2025-03-01T10:00:00Z`: aktualizr and most devices send whole seconds. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function unixSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

export function noTransport(protocol: VehicleProtocol, via: Via): never {
  throw new Error(`${protocol} does not travel over ${via}`);
}
