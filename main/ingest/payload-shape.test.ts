import { describe, expect, it } from 'vitest';
import { detectProtocol, payloadsOf } from './payload-shape';

const aktualizrEvent = { eventType: { id: 'EcuDownloadStarted', version: 0 }, event: { correlationId: 'urn:here-ota:campaign:7f1c', ecu: 'ecu-a' } };
const carota = { message_type: 'OTA_EVENT', body: 'e30=' };
const oem = { signed: { vin: 'DKSTEST0000000001', events: [] } };
const edgehog = { v: { requestUUID: 'a1', status: 'Acknowledged' }, t: 1700000000000 };

describe('detectProtocol', () => {
  it.each([
    ['an aktualizr report', [aktualizrEvent, aktualizrEvent], 'aktualizr'],
    ['a CarOTA envelope', carota, 'carota'],
    ['an OEM notification', oem, 'oem'],
    ['an Edgehog payload', edgehog, 'edgehog'],
    ['an empty array', [], null],
    ['an array of other things', [carota], null],
    ['a number', 42, null],
    ['null', null, null],
    ['an unknown object', { hello: 'world' }, null],
  ] as const)('%s → %s', (_name, value, expected) => {
    expect(detectProtocol(value)).toBe(expected);
  });
});

describe('payloadsOf', () => {
  it('keeps an aktualizr report whole', () => {
    expect(payloadsOf([aktualizrEvent, aktualizrEvent])).toEqual([[aktualizrEvent, aktualizrEvent]]);
  });
  it('splits an array of payloads', () => {
    expect(payloadsOf([carota, oem, [aktualizrEvent]])).toEqual([carota, oem, [aktualizrEvent]]);
  });
  it('treats a single object as one payload', () => {
    expect(payloadsOf(edgehog)).toEqual([edgehog]);
  });
  it('keeps an array whole when told it is one aktualizr report', () => {
    const odd = [{ eventType: { id: 'DevicePaused' } }, { id: 'no-type' }];
    expect(payloadsOf(odd, 'aktualizr')).toEqual([odd]);
    expect(payloadsOf([odd, odd], 'aktualizr')).toEqual([odd, odd]);
  });
});
