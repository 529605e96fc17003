// Decode one payload and hand the outcome to the sink: the step every transport shares.
import { decoders } from '../protocols';
import type { VehicleProtocol } from '../../wire/vehicles';
import { rawText, type IngestSink } from './ingest-sink';

export type Delivery = { ok: true; accepted: number } | { ok: false; reason: string };

export interface Payload {
  protocol: VehicleProtocol;
  /** Text (JSON), bytes (BSON), or an already parsed JSON value from a capture file. */
  input: unknown;
  /** Set when the transport, not the payload, names the device (header, query, topic, option). */
  device?: string;
  receivedAt?: Date;
}

/**
 * Decodes and records one payload: its events reach `sink.accept`, or exactly one `sink.reject` is made.
 * Rejects only when the sink itself fails to make accepted events durable.
 */
export async function deliver(sink: IngestSink, payload: Payload, origin: string): Promise<Delivery> {
  const { protocol, input } = payload;
  let result;
  try {
    result = decoders[protocol](input, { device: payload.device, receivedAt: payload.receivedAt ?? new Date() });
  } catch (e) {
    // Decoders promise never to throw; should one break that promise, the payload is still refused cleanly.
    result = { ok: false as const, error: { reason: `decoder failed: ${(e as Error).message}` } };
  }
  if (!result.ok) {
    await refuse(sink, protocol, result.error.reason, input, origin);
    return { ok: false, reason: result.error.reason };
  }
  if (result.events.length > 0) await sink.accept(result.events, origin);
  return { ok: true, accepted: result.events.length };
}

/** Records a payload the transport refused before decoding (empty, too large, wrong method…). */
export async function refuse(sink: IngestSink, protocol: VehicleProtocol, reason: string, input: unknown, origin: string): Promise<void> {
  const raw = input instanceof Uint8Array ? rawText(input, protocol === 'edgehog') : typeof input === 'string' ? rawText(input, false) : rawText(safeStringify(input), false);
  try {
    await sink.reject({ protocol, reason, raw }, origin);
  } catch {
    // The refusal already reaches the sender as an error answer; a failing log must not turn it into a crash.
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
