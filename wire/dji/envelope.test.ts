import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, newEnvelope, requireMethod } from './envelope';
import { parseTopic, topics } from './topics';

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
  it.each(Object.entries(topics))('%s parses back to its serial number', (name, make) => {
    const parsed = parseTopic(make('SN-1'));
    expect(parsed?.sn).toBe('SN-1');
    expect(parsed?.kind).toBe(
      ({ services: 'services', servicesReply: 'services_reply', events: 'events', eventsReply: 'events_reply', status: 'status', statusReply: 'status_reply', osd: 'osd', state: 'state' } as const)[name as keyof typeof topics],
    );
  });

  it.each(['thing/product/SN', 'sys/product/SN/osd', 'thing/product/SN/other', 'x/product/SN/state', 'thing/product/a/b/state'])(
    'ignores %s',
    (t) => expect(parseTopic(t)).toBeNull(),
  );
});
