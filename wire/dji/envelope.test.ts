import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, newEnvelope, requireMethod } from './envelope';
import { joinTopics, parseTopic, topics } from './topics';

describe('envelope codec', () => {
  it('round-trips a fresh envelope with UUID tid and bid', () => {
    const env = newEnvelope('ota_create', { devices: [] });
    expect(env.tid).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.bid).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.tid).not.toBe(env.bid);
    const back = decodeEnvelope(encodeEnvelope(env));
    expect(back).toEqual({ ok: true, envelope: env });
  });

  it('accepts the misspelled "timestamp:" key of the published examples', () => {
    const r = decodeEnvelope('{"tid":"t","bid":"b","timestamp:":1707048089244,"method":"ota_progress","data":{}}');
    expect(r.ok && r.envelope.timestamp).toBe(1707048089244);
  });

  it('accepts osd/state messages, which carry no method, and requireMethod flags them elsewhere', () => {
    const r = decodeEnvelope('{"tid":"t","bid":"b","timestamp":1,"gateway":"G","data":{"firmware_version":"1"}}');
    expect(r.ok && r.envelope.method).toBe('');
    const strict = requireMethod(r);
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.error.reason).toBe('missing "method"');
  });

  it('reads need_reply and gateway', () => {
    const r = decodeEnvelope('{"tid":"t","bid":"b","timestamp":1,"method":"ota_progress","need_reply":1,"gateway":"G","data":{}}');
    expect(r.ok && r.envelope.need_reply).toBe(1);
    expect(r.ok && r.envelope.gateway).toBe('G');
  });

  it.each([
    ['not JSON', '{oops', 'not JSON'],
    ['an array', '[1,2]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['a numeric method', '{"tid":"t","method":3}', '"method" is not a string'],
    ['numeric tid', '{"tid":5,"method":"m"}', '"tid" is not a string'],
    ['numeric bid', '{"bid":5,"method":"m"}', '"bid" is not a string'],
  ])('turns %s into a typed error, never a throw', (_label, text, reason) => {
    const r = decodeEnvelope(Buffer.from(text));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.reason).toContain(reason);
      expect(r.error.text).toBe(text);
    }
  });
});

describe('topics', () => {
  /** Each topic as spec 004 and DESIGN.md spell it for gateway SN-1, and the kind it parses back to. */
  it.each([
    ['services', 'thing/product/SN-1/services', 'services'],
    ['servicesReply', 'thing/product/SN-1/services_reply', 'services_reply'],
    ['events', 'thing/product/SN-1/events', 'events'],
    ['eventsReply', 'thing/product/SN-1/events_reply', 'events_reply'],
    ['status', 'sys/product/SN-1/status', 'status'],
    ['statusReply', 'sys/product/SN-1/status_reply', 'status_reply'],
    ['osd', 'thing/product/SN-1/osd', 'osd'],
    ['state', 'thing/product/SN-1/state', 'state'],
  ] as const)('%s is %s and parses back to its serial number', (name, topic, kind) => {
    expect(topics[name]('SN-1')).toBe(topic);
    expect(parseTopic(topic)).toEqual({ sn: 'SN-1', kind });
  });

  it('names every topic above, and the join topics apart', () => {
    expect(Object.keys(topics).sort()).toEqual(['events', 'eventsReply', 'osd', 'services', 'servicesReply', 'state', 'status', 'statusReply']);
    expect([joinTopics.requests('SN-1'), joinTopics.requestsReply('SN-1')]).toEqual(['thing/product/SN-1/requests', 'thing/product/SN-1/requests_reply']);
  });

  it.each(['thing/product/SN', 'sys/product/SN/osd', 'thing/product/SN/other', 'x/product/SN/state', 'thing/product/a/b/state'])('ignores %s', (t) => expect(parseTopic(t)).toBeNull());
});
