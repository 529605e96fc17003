// Edgehog OTAEvent over Astarte (spec 002): an object aggregation `{v: {requestUUID, status, statusProgress,
// statusCode, message}, t}` as BSON or JSON. The payload has no id of its own: the event id is a hash.
import type { UpgradeEvent } from '../../preload/api';
import { plainFromBson, readBsonOrJson } from './bson-input';
import { decodeSafely, type DecodeContext, type Decoder } from './decode-result';
import { eventTime, readDeviceTime } from './device-time';
import { EDGEHOG_STATUS, edgehogStatus, edgehogStatusCode } from './edgehog-status';
import { hashEventId } from './event-id';
import { isObject, kindOf, optNumber, optString, reqObject, reqString, type Obj } from './fields';
import { parseJsonText } from './json-input';
import { malformed } from './malformed';

const WHAT = 'the Edgehog OTAEvent payload';

function readPayload(input: unknown): unknown {
  if (input instanceof Uint8Array) return readBsonOrJson(input, WHAT);
  if (typeof input === 'string') return parseJsonText(input, WHAT);
  if (input === undefined) malformed(`${WHAT} is empty`);
  return input;
}

function readProgress(v: Obj): number | undefined {
  const progress = optNumber(v, 'statusProgress', 'v.');
  if (progress !== undefined && (progress < 0 || progress > 100)) malformed(`v.statusProgress ${progress} is outside 0–100`);
  return progress;
}

function decodePayload(payload: Obj, ctx: DecodeContext): UpgradeEvent {
  if (payload.v === undefined || payload.v === null) malformed(`v missing (${WHAT} is {"v": {...}, "t": ...})`);
  const v = reqObject(payload, 'v', '');
  const statusText = reqString(v, 'status', 'v.');
  const status = edgehogStatus(statusText);
  if (!status) malformed(`v.status ${JSON.stringify(statusText)} is not an Edgehog OTA status (${Object.keys(EDGEHOG_STATUS).join(', ')})`);
  const progress = readProgress(v);
  const codeText = optString(v, 'statusCode', 'v.')?.trim() || undefined;
  const code = codeText ? edgehogStatusCode(codeText) : undefined;
  const deviceMessage = optString(v, 'message', 'v.')?.trim() || undefined;
  const requestUuid = optString(v, 'requestUUID', 'v.') ?? '';

  let { phase, state } = status.entry;
  if (status.entry.error && code) {
    phase = code.entry.phase ?? phase;
    state = code.entry.state ?? state;
  }
  const parts = [`${statusText}${codeText ? ` ${codeText}` : ''}: ${status.entry.note}`];
  if (code) parts.push(code.entry.note);
  if (deviceMessage) parts.push(`device says: ${deviceMessage}`);

  const device = ctx.device ?? '';
  const raw = plainFromBson(payload);
  const { time, fromPayload } = eventTime([readDeviceTime(payload.t, 't')], ctx.receivedAt);
  return {
    id: hashEventId('edgehog', device, raw, fromPayload ? undefined : time),
    time,
    source: 'edgehog',
    device,
    campaign: requestUuid,
    phase,
    state,
    percent: status.entry.progress && progress !== undefined ? progress : null,
    message: parts.join('; '),
    raw,
  };
}

/** One Astarte OTAEvent payload: BSON bytes, JSON text (or bytes), or the parsed object. */
export const decodeEdgehog: Decoder = decodeSafely('edgehog', (input, ctx) => {
  const payload = readPayload(input);
  if (!isObject(payload)) malformed(`${WHAT} is ${kindOf(payload)}, expected {"v": {...}, "t": ...}`);
  return [decodePayload(payload, ctx)];
});
