import { describe, expect, it } from 'vitest';
import { djiTopic, dockMayPublish, dockMaySubscribe, ingestMayPublish, type DockClaim } from './topic-rules';

const fresh: DockClaim = { devices: new Set() };
const dockA: DockClaim = { gateway: 'DOCKA', devices: new Set(['DRONEA']) };
const heldByOther = (sn: string) => sn === 'DOCKB';

describe('djiTopic', () => {
  it.each([
    ['thing/product/DOCKA/osd', { sn: 'DOCKA', leaf: 'osd' }],
    ['thing/product/DOCKA/property/set', { sn: 'DOCKA', leaf: 'property/set' }],
    ['sys/product/DOCKA/status', { sn: 'DOCKA', leaf: 'status' }],
    ['sys/product/DOCKA/osd', null],
    ['thing/product/+/services', null],
    ['thing/product/DOCKA', null],
    ['carota/VIN1/ota', null],
    ['thing/product/DOCKA/a/b/c', null],
  ])('%s → %j', (topic, expected) => {
    expect(djiTopic(topic)).toEqual(expected);
  });
});

describe('a dock publishing', () => {
  it.each([
    ['its first topic binds it', fresh, 'sys/product/DOCKA/status', { ok: true, claim: 'DOCKA' }],
    ['its own osd', dockA, 'thing/product/DOCKA/osd', { ok: true }],
    ["its aircraft's state", dockA, 'thing/product/DRONEA/state', { ok: true }],
    ['its own requests', dockA, 'thing/product/DOCKA/requests', { ok: true }],
    ['its services_reply', dockA, 'thing/product/DOCKA/services_reply', { ok: true }],
    ["another dock's events", dockA, 'thing/product/DOCKC/events', { ok: false, reason: 'this connection is dock DOCKA, not DOCKC' }],
    ['an SN another client holds', fresh, 'thing/product/DOCKB/osd', { ok: false, reason: 'DOCKB is already connected as another client' }],
    ['services (forging the cloud)', dockA, 'thing/product/DOCKA/services', { ok: false, reason: 'only Dockside publishes on services' }],
    ['events_reply', dockA, 'thing/product/DOCKA/events_reply', { ok: false, reason: 'only Dockside publishes on events_reply' }],
    ['status_reply', dockA, 'sys/product/DOCKA/status_reply', { ok: false, reason: 'only Dockside publishes on status_reply' }],
    ['requests_reply', fresh, 'thing/product/DOCKA/requests_reply', { ok: false, reason: 'only Dockside publishes on requests_reply' }],
    ['property/set', dockA, 'thing/product/DOCKA/property/set', { ok: false, reason: 'only Dockside publishes on property/set' }],
    ['a vehicle topic', dockA, 'carota/VIN1/ota', { ok: false, reason: 'carota/VIN1/ota is not a DJI device topic' }],
  ])('%s', (_name, claim, topic, verdict) => {
    expect(dockMayPublish(topic, claim, heldByOther)).toEqual(verdict);
  });
});

describe('a dock subscribing', () => {
  it.each([
    ['its own services binds it', fresh, 'thing/product/DOCKA/services', { ok: true, claim: 'DOCKA' }],
    ['its own status_reply', dockA, 'sys/product/DOCKA/status_reply', { ok: true }],
    ["every dock's services", dockA, 'thing/product/+/services', { ok: false, reason: 'a dock subscribes to its own topics, not to thing/product/+/services' }],
    ['everything', fresh, '#', { ok: false, reason: 'a dock subscribes to its own topics, not to #' }],
    ["another dock's services", dockA, 'thing/product/DOCKC/services', { ok: false, reason: 'this connection is dock DOCKA, not DOCKC' }],
    ['a held SN', fresh, 'thing/product/DOCKB/services', { ok: false, reason: 'DOCKB is already connected as another client' }],
  ])('%s', (_name, claim, filter, verdict) => {
    expect(dockMaySubscribe(filter, claim, heldByOther)).toEqual(verdict);
  });
});

describe('a vehicle client publishing', () => {
  const filters = ['+/+/io.edgehog.devicemanager.OTAEvent/event', 'carota/+/ota'];
  it.each([
    ['realm1/dev1/io.edgehog.devicemanager.OTAEvent/event', true],
    ['carota/VIN1/ota', true],
    ['thing/product/DOCKA/events', false],
    ['carota/VIN1/other', false],
  ])('%s → %s', (topic, ok) => {
    expect(ingestMayPublish(topic, filters).ok).toBe(ok);
  });
});
