// OEM vehicle OTA REST notifications (spec 003): `{signed: {vin, primaryId, events: [...]}}`, one event per
// element of events[]. device = signed.vin, campaign = attemptId, id = eventsUuid (#index when repeated).
import type { UpgradeEvent } from '../../preload/api';
import { decodeSafely, type DecodeContext, type Decoder } from './decode-result';
import { eventTime, readDeviceTime } from './device-time';
import { hashEventId } from './event-id';
import { isObject, kindOf, optArray, optId, optObject, optString, reqObject, reqString, type Obj } from './fields';
import { readJsonInput } from './json-input';
import { malformed } from './malformed';
import { oemErrorCodes } from './oem-errors';
import { OEM_EVENTS, oemEventsType, oemMapping } from './oem-events';
import { recogniseOemLookup } from './oem-lookups';
import { oemPercent } from './oem-progress';

function details(event: Obj, at: string): string[] {
  const out: string[] = [];
  const rm = optObject(event, 'rmStateExtras', at);
  if (rm) {
    const state = optString(rm, 'rmVehState', `${at}rmStateExtras.`);
    const scope = optString(rm, 'stateScope', `${at}rmStateExtras.`);
    if (state) out.push(`rmVehState ${state}${scope ? ` (${scope})` : ''}`);
  }
  const tracking = optObject(event, 'trackingExtras', at);
  if (tracking) {
    const file = optId(tracking, 'fileId', `${at}trackingExtras.`);
    const result = optString(tracking, 'result', `${at}trackingExtras.`);
    const transport = optString(tracking, 'transportType', `${at}trackingExtras.`);
    out.push(`file ${file ?? '?'}${result ? ` ${result}` : ''}${transport ? ` over ${transport}` : ''}`);
  }
  return out;
}

/** currentTime.time, or currentTime.Time (one spec example carries both): seconds or ms, number or text. */
function readEventTime(event: Obj, at: string): (string | null)[] {
  const current = optObject(event, 'currentTime', at);
  if (!current) return [];
  return [readDeviceTime(current.time, `${at}currentTime.time`), readDeviceTime(current.Time, `${at}currentTime.Time`)];
}

function decodeEvent(event: unknown, index: number, vin: string, repeatedIds: Set<string>, ctx: DecodeContext): UpgradeEvent {
  const path = `signed.events[${index}]`;
  const at = `${path}.`;
  if (!isObject(event)) malformed(`${path} is ${kindOf(event)}, expected an event object`);
  const typeText = reqString(event, 'eventsType', at);
  const statusText = reqString(event, 'status', at);
  const eventsType = oemEventsType(typeText);
  if (!eventsType) malformed(`${at}eventsType ${JSON.stringify(typeText)} is not an OEM event type (${Object.keys(OEM_EVENTS).join(', ')})`);
  const mapping = oemMapping(eventsType, statusText);
  if (!mapping) {
    malformed(`${at}status ${JSON.stringify(statusText)} is not known for eventsType ${eventsType} (${Object.keys(OEM_EVENTS[eventsType]).join(', ')})`);
  }

  const errors = oemErrorCodes(event, path);
  const parts = [`${typeText} ${statusText}: ${mapping.note}`, ...details(event, at)];
  if (errors.length > 0) parts.push(`errors: ${errors.join('; ')}`);

  const { time, fromPayload } = eventTime(readEventTime(event, at), ctx.receivedAt);
  const uuid = optString(event, 'eventsUuid', at)?.trim();
  const id = uuid ? (repeatedIds.has(uuid) ? `${uuid}#${index}` : uuid) : hashEventId('oem', vin, event, fromPayload ? undefined : time);
  return {
    id,
    time,
    source: 'oem',
    device: vin,
    campaign: optId(event, 'attemptId', at) ?? '',
    phase: mapping.phase,
    // An event that carries a non-zero error code failed, whatever its status says.
    state: errors.length > 0 ? 'failed' : mapping.state,
    percent: oemPercent(event, mapping.phase, at),
    message: parts.join('; '),
    raw: event,
  };
}

function repeated(events: unknown[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const e of events) {
    const uuid = isObject(e) && typeof e.eventsUuid === 'string' ? e.eventsUuid.trim() : '';
    if (uuid === '') continue;
    if (seen.has(uuid)) twice.add(uuid);
    seen.add(uuid);
  }
  return twice;
}

/** One OEM request body: a notification gives one event per element; a look-up (C_03/C_05/C_18/C_36) none. */
export const decodeOem: Decoder = decodeSafely('oem', (input, ctx) => {
  const body = readJsonInput(input, 'the OEM request');
  if (!isObject(body)) malformed(`the OEM request is ${kindOf(body)}, expected {"signed": {...}}`);
  if (body.signed === undefined || body.signed === null) malformed('signed missing (expected {"signed": {"vin", "primaryId", "events": [...]}})');
  const signed = reqObject(body, 'signed', '');
  if (signed.events === undefined) {
    if (recogniseOemLookup(signed)) return [];
    malformed('signed.events missing: neither a notification (C_xx_Req with events) nor a known look-up (C_03, C_05, C_18, C_36)');
  }
  const events = optArray(signed, 'events', 'signed.') ?? malformed('signed.events is null, expected a list of events');
  if (events.length === 0) malformed('signed.events is an empty list: no events');
  // An event without its vehicle cannot land on any timeline: refused, naming where the VIN goes.
  const vin = optString(signed, 'vin', 'signed.')?.trim() || ctx.device || malformed('signed.vin missing: name the vehicle in signed.vin (or, over HTTP, in x-device-id or ?device=)');
  const twice = repeated(events);
  return events.map((event, index) => decodeEvent(event, index, vin, twice, ctx));
});
