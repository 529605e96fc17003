// CarOTA envelopes (spec 001): OTA_EVENT and OTA_TRIGGER_ACK from the vehicle, with a base64 JSON body.
// device = the VIN, campaign = correlation_id (the trigger's message_id), id = the envelope's message_id.
import type { UpgradeEvent } from '../../preload/api';
import { CAROTA_MESSAGE_TYPES, CAROTA_STATUS, CAROTA_TRIGGER_ACK, type CarotaStatus } from './carota-status';
import { decodeSafely, type DecodeContext, type Decoder } from './decode-result';
import { eventTime, readDeviceTime, type TimeRead } from './device-time';
import { hashEventId } from './event-id';
import { isObject, kindOf, optArray, optId, optString, reqString, type Obj } from './fields';
import { bytesToText, parseJsonText, readJsonInput } from './json-input';
import { malformed } from './malformed';
import type { Mapping } from './mapping';
import { decodeStrictBase64 } from './strict-base64';

const PERCENT = /^(\d+(?:\.\d+)?)\s*%?$/;

function readBody(envelope: Obj, required: boolean): Obj | null {
  const body = envelope.body;
  if (body === undefined || body === null || (!required && body === '')) {
    if (required) malformed('body missing (expected the base64-encoded JSON body)');
    return null;
  }
  if (typeof body !== 'string') malformed(`body is ${kindOf(body)}, expected a base64 string`);
  const text = bytesToText(decodeStrictBase64(body, 'body'), 'the decoded body');
  const json = parseJsonText(text, 'the decoded body');
  if (!isObject(json)) malformed(`the decoded body is ${kindOf(json)}, expected a JSON object`);
  return json;
}

function readStatus(body: Obj): { code: number; status: CarotaStatus } {
  const v = body.status;
  if (v === undefined || v === null) malformed('body.status missing (the OTA Event enum value)');
  const code = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(code)) malformed(`body.status ${JSON.stringify(v)} is not an OTA Event enum number`);
  if (!Object.hasOwn(CAROTA_STATUS, code)) malformed(`body.status ${code} is not in the OTA Event enum (1–16, 100, 101)`);
  return { code, status: (CAROTA_STATUS as Record<number, CarotaStatus>)[code]! };
}

interface Meta {
  key: string;
  value: string;
}

function readMeta(body: Obj): Meta[] {
  const list = optArray(body, 'meta', 'body.') ?? [];
  return list.map((entry, i) => {
    const at = `body.meta[${i}].`;
    if (!isObject(entry)) malformed(`body.meta[${i}] is ${kindOf(entry)}, expected {key, value}`);
    const key = reqString(entry, 'key', at);
    const value = entry.value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      malformed(`${at}value is ${kindOf(value)}, expected text or a number`);
    }
    return { key, value: String(value) };
  });
}

function downloadPercent(meta: Meta[]): number | null {
  const entry = meta.find((m) => m.key.toLowerCase() === 'download');
  if (!entry) return null;
  const match = PERCENT.exec(entry.value.trim());
  const percent = match ? Number(match[1]) : Number.NaN;
  if (!Number.isFinite(percent) || percent > 100) malformed(`body.meta download ${JSON.stringify(entry.value)} is not a percentage from 0 to 100`);
  return percent;
}

/** The failure reason first: it is what the technician reads. */
function metaText(meta: Meta[]): string[] {
  const ordered = [...meta.filter((m) => m.key.toLowerCase() === 'reason'), ...meta.filter((m) => m.key.toLowerCase() !== 'reason')];
  return ordered.map((m) => `${m.key}: ${m.value}`);
}

function deviceText(envelope: Obj, body: Obj | null): string[] {
  const deviceId = (body && optString(body, 'device_id', 'body.')) || optString(envelope, 'device_id', '');
  const deviceType = (body && optString(body, 'device_type', 'body.')) || optString(envelope, 'ecu_type', '');
  const refId = body ? optId(body, 'ref-id', 'body.') : undefined;
  return [...(deviceId ? [`device_id ${deviceId.trim()}${deviceType ? ` (${deviceType.trim()})` : ''}`] : []), ...(refId ? [`ref-id ${refId}`] : [])];
}

function decodeEnvelope(envelope: Obj, ctx: DecodeContext): UpgradeEvent {
  const messageType = reqString(envelope, 'message_type', '');
  if (!Object.hasOwn(CAROTA_MESSAGE_TYPES, messageType)) {
    malformed(`message_type ${JSON.stringify(messageType)} is not a CarOTA vehicle message (expected OTA_EVENT or OTA_TRIGGER_ACK)`);
  }
  if (!CAROTA_MESSAGE_TYPES[messageType as keyof typeof CAROTA_MESSAGE_TYPES].accepted) {
    malformed(`message_type ${messageType} goes from the cloud to the vehicle: it is not a vehicle report (send OTA_EVENT or OTA_TRIGGER_ACK)`);
  }
  const isEvent = messageType === 'OTA_EVENT';
  const body = readBody(envelope, isEvent);

  let mapping: Mapping = CAROTA_TRIGGER_ACK;
  let head = 'OTA_TRIGGER_ACK';
  let percent: number | null = null;
  let details: string[] = [];
  let bodyTime: TimeRead = null;
  if (!isEvent && body) bodyTime = readDeviceTime(body.acknowledge_time, 'body.acknowledge_time');
  if (isEvent && body) {
    const { code, status } = readStatus(body);
    const meta = readMeta(body);
    mapping = status;
    head = `${status.name} (${code})`;
    percent = downloadPercent(meta);
    details = metaText(meta);
    bodyTime = readDeviceTime(body.timestamp, 'body.timestamp');
  }
  details.push(...deviceText(envelope, body));

  const bodyVin = body ? optString(body, 'vin', 'body.')?.trim() : undefined;
  const envelopeVin = optString(envelope, 'vin', '')?.trim();
  // An event without its vehicle cannot land on any timeline: refused, naming where the VIN goes.
  const vin = bodyVin || envelopeVin || ctx.device || malformed('vin missing: name the vehicle in body.vin or vin (or, over HTTP, in x-device-id or ?device=)');
  const envelopeTime = readDeviceTime(envelope.time, 'time');
  const { time, fromPayload } = eventTime([bodyTime, envelopeTime], ctx.receivedAt);
  const messageId = optString(envelope, 'message_id', '');
  return {
    id: messageId && messageId.trim() !== '' ? messageId : hashEventId('carota', vin, envelope, fromPayload ? undefined : time),
    time,
    source: 'carota',
    device: vin,
    campaign: optString(envelope, 'correlation_id', '') ?? '',
    phase: mapping.phase,
    state: mapping.state,
    percent,
    message: [`${head}: ${mapping.note}`, ...details].join('; '),
    raw: envelope,
  };
}

/** One CarOTA envelope (JSON text, bytes, or parsed) → one event. */
export const decodeCarota: Decoder = decodeSafely('carota', (input, ctx) => {
  const envelope = readJsonInput(input, 'the CarOTA message');
  if (!isObject(envelope)) malformed(`the CarOTA message is ${kindOf(envelope)}, expected an envelope object`);
  return [decodeEnvelope(envelope, ctx)];
});
