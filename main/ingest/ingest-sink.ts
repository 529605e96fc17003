// The one place every ingest transport (HTTP, MQTT, file import) hands its results to. The app core
// implements it with the journal; a transport acknowledges its sender only after `accept` resolved.
import type { UpgradeEvent } from '../../preload/api';
import type { VehicleProtocol } from '../../wire/vehicles';

export interface IngestError {
  protocol: VehicleProtocol;
  /** Why the payload was refused, in words a technician understands. */
  reason: string;
  /** The payload as received: text as is, binary as `base64:…`, cut at RAW_LIMIT characters. */
  raw: string;
}

export interface IngestSink {
  /** Resolves once the events are durable; `origin` says where they came from (route, topic, file). */
  accept: (events: UpgradeEvent[], origin: string) => Promise<void>;
  /** Records one failed error entry, visible in the log, for a payload that could not be decoded. */
  reject: (error: IngestError, origin: string) => Promise<void>;
}

/** A refused payload can be megabytes; the log keeps enough of it to recognise it. */
export const RAW_LIMIT = 4096;

export function rawText(input: Uint8Array | string, binary: boolean): string {
  const text = typeof input === 'string' ? input : binary ? `base64:${Buffer.from(input).toString('base64')}` : Buffer.from(input).toString('utf8');
  if (text.length <= RAW_LIMIT) return text;
  return `${text.slice(0, RAW_LIMIT)}… (${text.length} characters in all)`;
}
