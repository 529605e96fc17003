// aktualizr (Uptane / OTA Connect) event reports: the JSON array the client POSTs to /events (spec 000,
// reportqueue.cc). One UpgradeEvent per array element; the element's own `id` is the event id.
import type { UpgradeEvent } from '../../preload/api';
import { AKTUALIZR_EVENTS, AKTUALIZR_UNKNOWN_EVENT, type AktualizrEventType } from './aktualizr-events';
import { decodeSafely, type DecodeContext, type Decoder } from './decode-result';
import { eventTime, readDeviceTime } from './device-time';
import { hashEventId } from './event-id';
import { isObject, kindOf, optId, optNumber, optObject, optString, reqObject, reqString, type Obj } from './fields';
import { readJsonInput } from './json-input';
import { malformed } from './malformed';
import type { Mapping } from './mapping';

function knownType(id: string): AktualizrEventType | undefined {
  return Object.hasOwn(AKTUALIZR_EVENTS, id) ? (AKTUALIZR_EVENTS as Record<string, AktualizrEventType>)[id] : undefined;
}

function readSuccess(event: Obj, typeId: string, at: string): boolean {
  const success = event.success;
  if (success === undefined || success === null) malformed(`${at}success missing (${typeId} reports true or false)`);
  if (typeof success !== 'boolean') malformed(`${at}success is ${kindOf(success)}, expected true or false`);
  return success;
}

function decodeElement(element: unknown, index: number, ctx: DecodeContext): UpgradeEvent {
  const at = `element ${index}: `;
  if (!isObject(element)) malformed(`element ${index} is ${kindOf(element)}, expected an event object`);
  const eventType = reqObject(element, 'eventType', at);
  const typeId = reqString(eventType, 'id', `${at}eventType.`);
  const version = optNumber(eventType, 'version', `${at}eventType.`);
  // aktualizr serialises an event with no custom fields (DevicePaused without a correlation id) as null.
  const event = optObject(element, 'event', at) ?? {};
  const eventAt = `${at}event.`;
  const type = knownType(typeId);

  let mapping: Mapping = AKTUALIZR_UNKNOWN_EVENT;
  let head = version === undefined ? typeId : `${typeId} (version ${version})`;
  let campaign = optId(event, 'correlationId', eventAt) ?? optId(event, 'campaignId', eventAt);
  if (type) {
    head = typeId;
    if (type.campaignField === 'campaignId') campaign = optId(event, 'campaignId', eventAt) ?? campaign;
    mapping = type.ok;
    if (type.failed) {
      const success = readSuccess(event, typeId, eventAt);
      head = `${typeId} success:${success}`;
      if (!success) mapping = type.failed;
    }
  }
  const ecu = optString(event, 'ecu', eventAt);
  if (ecu) head += ` (ECU ${ecu})`;

  const device = ctx.device ?? '';
  const deviceTime = readDeviceTime(element.deviceTime, `${at}deviceTime`);
  const { time, fromPayload } = eventTime([deviceTime], ctx.receivedAt);
  const ownId = optString(element, 'id', at);
  return {
    id: ownId && ownId.trim() !== '' ? ownId : hashEventId('aktualizr', device, element, fromPayload ? undefined : time),
    time,
    source: 'aktualizr',
    device,
    campaign: campaign ?? '',
    phase: mapping.phase,
    state: mapping.state,
    percent: null,
    message: `${head}: ${mapping.note}`,
    raw: element,
  };
}

/** A JSON array of aktualizr events (a single event object is accepted too). */
export const decodeAktualizr: Decoder = decodeSafely('aktualizr', (input, ctx) => {
  const body = readJsonInput(input, 'the aktualizr report');
  const elements = Array.isArray(body) ? body : isObject(body) ? [body] : malformed(`the aktualizr report is ${kindOf(body)}, expected a list of events`);
  if (elements.length === 0) malformed('the aktualizr report is an empty list: no events');
  return elements.map((element, index) => decodeElement(element, index, ctx));
});
