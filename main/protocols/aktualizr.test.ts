import { describe, expect, it } from 'vitest';
import type { Phase, State } from '../../preload/api';
import { AKTUALIZR_EVENTS } from './aktualizr-events';
import { decodeAktualizr } from './aktualizr';
import { errorOf, eventsOf, fixtureJson, fixtureText, onlyEvent } from './testing/expect-decoded';

const ctx = { device: 'veh-ak-01', receivedAt: new Date('2024-06-01T08:00:00.000Z') };

/** Our reading of spec 000 and reportqueue.cc, written out by hand: the table must agree with it. */
const EXPECTED: [type: string, success: boolean | undefined, phase: Phase, state: State][] = [
  ['EcuDownloadStarted', undefined, 'download', 'running'],
  ['EcuDownloadCompleted', true, 'download', 'succeeded'],
  ['EcuDownloadCompleted', false, 'download', 'failed'],
  ['EcuInstallationStarted', undefined, 'install', 'running'],
  ['EcuInstallationApplied', undefined, 'reboot', 'pending'],
  ['EcuInstallationCompleted', true, 'done', 'succeeded'],
  ['EcuInstallationCompleted', false, 'install', 'failed'],
  ['DevicePaused', undefined, 'download', 'paused'],
  ['DeviceResumed', undefined, 'download', 'running'],
  ['campaign_accepted', undefined, 'consent', 'succeeded'],
  ['campaign_declined', undefined, 'consent', 'canceled'],
  ['campaign_postponed', undefined, 'consent', 'pending'],
];

function element(type: string, success: boolean | undefined): Record<string, unknown> {
  const campaignEvent = type.startsWith('campaign_');
  const event: Record<string, unknown> = campaignEvent ? { campaignId: 'cmp-7' } : { correlationId: 'corr-7', ecu: 'ecu-9' };
  if (success !== undefined) event.success = success;
  return { deviceTime: '2024-06-01T07:59:30Z', event, eventType: { id: type, version: 0 }, id: `id-${type}-${String(success)}` };
}

describe('decodeAktualizr: every event type aktualizr sends', () => {
  it('the table holds exactly the ten types of reportqueue.h, both success cases where there is one', () => {
    const fromTable = Object.entries(AKTUALIZR_EVENTS).flatMap(([type, entry]) => ('failed' in entry ? [`${type} true`, `${type} false`] : [`${type} undefined`]));
    expect(Object.keys(AKTUALIZR_EVENTS)).toHaveLength(10);
    expect(fromTable.sort()).toEqual(EXPECTED.map(([type, success]) => `${type} ${String(success)}`).sort());
  });

  it.each(EXPECTED)('%s success:%s → %s / %s', (type, success, phase, state) => {
    const event = onlyEvent(decodeAktualizr(JSON.stringify([element(type, success)]), ctx));
    expect(event).toMatchObject({ source: 'aktualizr', device: 'veh-ak-01', phase, state, percent: null, time: '2024-06-01T07:59:30.000Z' });
    expect(event.id).toBe(`id-${type}-${String(success)}`);
    expect(event.message.startsWith(type)).toBe(true);
    if (success === false) expect(event.message).toContain('success:false');
    expect(event.campaign).toBe(type.startsWith('campaign_') ? 'cmp-7' : 'corr-7');
  });

  it('installed-but-not-rebooted is never done', () => {
    const event = onlyEvent(decodeAktualizr([element('EcuInstallationApplied', undefined)], ctx));
    expect(event.phase).not.toBe('done');
    expect(event.state).not.toBe('succeeded');
  });
});

describe('decodeAktualizr: a whole report', () => {
  const report = fixtureJson<Record<string, unknown>[]>('aktualizr-report.json');

  it('gives one event per element, in order, each with its own id and its element as raw', () => {
    const events = eventsOf(decodeAktualizr(fixtureText('aktualizr-report.json'), ctx));
    expect(events.map((e) => e.id)).toEqual(report.map((r) => r.id));
    expect(events.map((e) => e.raw)).toEqual(report);
    expect(events.map((e) => `${e.phase}/${e.state}`)).toEqual([
      'consent/succeeded',
      'download/running',
      'download/paused',
      'download/running',
      'download/succeeded',
      'download/failed',
      'install/running',
      'reboot/pending',
      'done/succeeded',
      'install/failed',
      'consent/canceled',
      'consent/pending',
    ]);
    expect(events[0]!.campaign).toBe('cmp-0042');
    expect(events[1]!.campaign).toBe('urn:dockside:campaign:7d2e41b0');
    expect(events[1]!.message).toContain('ECU ecu-primary-01');
    expect(events[3]!.time).toBe('2024-03-05T09:13:00.000Z');
  });

  it('reads bytes as well as text, and a single event object as a one-element report', () => {
    const bytes = new TextEncoder().encode(fixtureText('aktualizr-report.json'));
    expect(eventsOf(decodeAktualizr(bytes, ctx))).toHaveLength(12);
    expect(onlyEvent(decodeAktualizr(report[4], ctx)).state).toBe('succeeded');
  });

  it('leaves device empty when the transport named none', () => {
    expect(onlyEvent(decodeAktualizr([report[1]], { receivedAt: ctx.receivedAt })).device).toBe('');
  });
});

describe('decodeAktualizr: what real clients and forks send beyond spec 000', () => {
  const variants = fixtureJson<Record<string, Record<string, unknown>>>('aktualizr-variants.json');

  it('DevicePaused with an empty correlation id arrives with event: null', () => {
    const event = onlyEvent(decodeAktualizr([variants.pausedWithoutCorrelation], ctx));
    expect(event).toMatchObject({ phase: 'download', state: 'paused', campaign: '' });
  });

  it("keeps a fork's extra fields in raw and still reads success:false as a failure", () => {
    const event = onlyEvent(decodeAktualizr([variants.forkExtras], ctx));
    expect(event.state).toBe('failed');
    expect((event.raw as { event: { details: string } }).event.details).toBe('disk full');
  });

  it('keeps an unknown event type as a pending event naming the type, rather than refusing the batch', () => {
    const event = onlyEvent(decodeAktualizr([variants.unknownType], ctx));
    expect(event).toMatchObject({ phase: 'queued', state: 'pending', campaign: 'urn:dockside:campaign:7d2e41b0' });
    expect(event.message).toContain('EcuSelfTestPassed (version 3)');
  });

  it('an element without an id gets a stable hash id', () => {
    const first = onlyEvent(decodeAktualizr([variants.withoutId], ctx));
    const again = onlyEvent(decodeAktualizr([variants.withoutId], { ...ctx, receivedAt: new Date('2024-06-02T00:00:00Z') }));
    expect(first.id).toMatch(/^aktualizr-[0-9a-f]{32}$/);
    expect(again.id).toBe(first.id);
  });

  it('an element without deviceTime takes the reception time', () => {
    expect(onlyEvent(decodeAktualizr([variants.withoutTime], ctx)).time).toBe('2024-06-01T08:00:00.000Z');
  });
});

describe('decodeAktualizr: malformed reports are typed errors', () => {
  const good = element('EcuDownloadStarted', undefined);
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{"deviceTime": ', /not JSON/],
    ['empty text', '  ', /empty/],
    ['a number', '42', /is a number, expected a list of events/],
    ['an empty array', '[]', /empty list/],
    ['an element that is not an object', '[1]', /^element 0 is a number/],
    ['eventType missing', [{ ...good, eventType: undefined }], /^element 0: eventType missing/],
    ['eventType.id missing in the fourth element', [good, good, good, { ...good, eventType: { version: 0 } }], /^element 3: eventType.id missing/],
    ['eventType.id not text', [{ ...good, eventType: { id: 7 } }], /eventType.id is a number/],
    ['eventType.version huge', '[{"eventType":{"id":"EcuDownloadStarted","version":1e400},"event":{}}]', /version is not a finite number/],
    ['success missing', [element('EcuDownloadCompleted', undefined)], /^element 0: event.success missing/],
    ['success as text', [{ ...good, eventType: { id: 'EcuInstallationCompleted' }, event: { success: 'true' } }], /event.success is a string/],
    ['event as text', [{ ...good, event: 'oops' }], /element 0: event is a string/],
    ['correlationId as an object', [{ ...good, event: { correlationId: {} } }], /correlationId is an object/],
    ['deviceTime huge', [{ ...good, deviceTime: 1e300 }], /deviceTime 1e\+300 is not a usable time/],
    ['deviceTime not a time', [{ ...good, deviceTime: 'yesterday' }], /deviceTime "yesterday" is not a time/],
    ['invalid UTF-8', new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]), /not UTF-8/],
  ];

  it.each(cases)('%s', (_name, input, reason) => {
    expect(errorOf(decodeAktualizr(input, ctx))).toMatchObject({ protocol: 'aktualizr', reason: expect.stringMatching(reason) });
  });

  it('never throws, whatever it is handed', () => {
    const circular: Record<string, unknown> = { eventType: { id: 'EcuDownloadStarted' } };
    circular.event = { ecu: 'x', loop: circular };
    for (const input of [undefined, null, Symbol('x'), () => 1, [circular], new Uint8Array(0)]) {
      expect(() => decodeAktualizr(input, ctx)).not.toThrow();
      expect(decodeAktualizr(input, ctx).ok).toBe(false);
    }
  });
});
