import { describe, expect, it } from 'vitest';
import type { Phase, State } from '../../preload/api';
import { errorOf, eventsOf, fixtureJson, onlyEvent } from './testing/expect-decoded';
import { decodeOem } from './oem';
import { OEM_EVENTS } from './oem-events';

const ctx = { device: 'not-used-when-vin-present', receivedAt: new Date('2024-06-01T08:00:00.000Z') };
const requests = fixtureJson<Record<string, { signed: Record<string, unknown> }>>('oem-requests.json');
const VIN = 'DSKTESTVIN0000001';
const ATTEMPT = 'dsk-attempt-0042';

/** Each notification of spec 003 (our values), with what it must become, worked out by hand. */
const EXPECTED_REQUESTS: [name: string, phase: Phase, state: State, percent: number | null, time: string][] = [
  ['C_01_Req', 'queued', 'succeeded', null, '2024-06-01T00:00:00.000Z'],
  ['C_01_Req_time_and_Time', 'queued', 'succeeded', null, '2024-06-01T00:00:01.000Z'],
  ['C_09_Req', 'download', 'running', null, '2024-06-01T00:00:00.000Z'],
  ['C_10_Req', 'consent', 'succeeded', null, '2024-06-01T00:00:10.000Z'],
  ['C_12_Req', 'consent', 'succeeded', null, '2024-06-01T00:00:12.000Z'],
  ['C_13_Req', 'download', 'running', 0, '2024-06-01T00:00:00.000Z'],
  ['C_15_Req', 'download', 'running', 25, '2024-06-01T00:00:00.000Z'],
  ['C_16_Req', 'download', 'succeeded', 100, '2024-06-01T00:00:00.000Z'],
  ['C_19_Req', 'consent', 'succeeded', null, '2024-06-01T00:00:00.000Z'],
  ['C_20_Req', 'install', 'running', 75, '2024-06-01T00:00:00.000Z'],
  ['C_22_Req', 'consent', 'succeeded', null, '2024-06-01T00:00:00.000Z'],
  ['C_23_Req', 'activate', 'running', 25, '2024-06-01T00:00:00.000Z'],
  ['C_24_Req', 'activate', 'succeeded', null, '2024-06-01T00:00:00.000Z'],
  ['C_25_Req', 'consent', 'succeeded', null, '2024-06-01T00:00:00.000Z'],
  ['C_28_Req', 'done', 'failed', null, '2024-06-01T00:00:28.000Z'],
  ['C_35_Req', 'done', 'succeeded', null, '2024-06-01T00:00:35.000Z'],
];

/** The eventsType × status table, written out by hand; the code's table must be exactly this. */
const EXPECTED_TABLE: Record<string, Record<string, `${Phase}/${State}`>> = {
  rmState: { success: 'queued/succeeded', failure: 'queued/failed' },
  tracking: { success: 'download/running', failure: 'download/failed' },
  download: {
    accepted: 'consent/succeeded',
    rejected: 'consent/canceled',
    declined: 'consent/canceled',
    postponed: 'consent/pending',
    started: 'download/running',
    inProgress: 'download/running',
    success: 'download/succeeded',
    failure: 'download/failed',
    failed: 'download/failed',
    canceled: 'download/canceled',
  },
  installation: {
    accepted: 'consent/succeeded',
    rejected: 'consent/canceled',
    declined: 'consent/canceled',
    postponed: 'consent/pending',
    started: 'install/running',
    inProgress: 'install/running',
    success: 'install/succeeded',
    failure: 'install/failed',
    failed: 'install/failed',
    canceled: 'install/canceled',
  },
  activate: {
    accepted: 'consent/succeeded',
    rejected: 'consent/canceled',
    declined: 'consent/canceled',
    postponed: 'consent/pending',
    started: 'activate/running',
    inProgress: 'activate/running',
    success: 'activate/succeeded',
    failure: 'activate/failed',
    failed: 'activate/failed',
    canceled: 'activate/canceled',
  },
  ackinstall: { accepted: 'consent/succeeded', rejected: 'consent/canceled', declined: 'consent/canceled', success: 'consent/succeeded', failure: 'consent/failed' },
  updateComplete: { success: 'done/succeeded', failure: 'done/failed', failed: 'done/failed', canceled: 'done/canceled' },
  notification: {
    accepted: 'consent/succeeded',
    rejected: 'consent/canceled',
    declined: 'consent/canceled',
    postponed: 'consent/pending',
    success: 'consent/succeeded',
    failure: 'consent/failed',
  },
  error: { failure: 'done/failed', failed: 'done/failed' },
};

function notification(event: Record<string, unknown>): unknown {
  return { signed: { vin: VIN, primaryId: '1', events: [event] } };
}

function baseEvent(eventsType: string, status: string): Record<string, unknown> {
  return { eventsUuid: `uuid-${eventsType}-${status}`, eventsType, eventMode: 'active', currentTime: { time: 1717200000, clockSource: 'default' }, status, attemptId: ATTEMPT, reportId: '1' };
}

describe('decodeOem: every notification of the spec', () => {
  it.each(EXPECTED_REQUESTS)('%s → %s / %s, percent %s', (name, phase, state, percent, time) => {
    const body = requests[name]!;
    const event = onlyEvent(decodeOem(JSON.stringify(body), ctx));
    const element = (body.signed.events as Record<string, unknown>[])[0]!;
    expect(event).toMatchObject({ source: 'oem', device: VIN, phase, state, percent, time });
    expect(event.id).toBe(element.eventsUuid);
    expect(event.campaign).toBe(name === 'C_28_Req' ? '' : ATTEMPT);
    expect(event.raw).toEqual(element);
  });

  it('C_28 carries the OEM codes in its message', () => {
    const event = onlyEvent(decodeOem(requests.C_28_Req, ctx));
    expect(event.message).toContain('OEM code 4711 (phase 2, site 1, target 2)');
    expect(event.message).toContain('code 4711 (flash write failed)');
  });

  it('C_01 and C_09 say what they report', () => {
    expect(onlyEvent(decodeOem(requests.C_01_Req, ctx)).message).toContain('rmVehState IDLE (vehicle)');
    expect(onlyEvent(decodeOem(requests.C_09_Req, ctx)).message).toContain('file 3 success over cellular');
  });
});

describe('decodeOem: the eventsType × status table', () => {
  it('is exactly the table above', () => {
    const actual = Object.fromEntries(Object.entries(OEM_EVENTS).map(([type, byStatus]) => [type, Object.fromEntries(Object.entries(byStatus).map(([s, m]) => [s, `${m.phase}/${m.state}`]))]));
    expect(actual).toEqual(EXPECTED_TABLE);
  });

  const rows = Object.entries(EXPECTED_TABLE).flatMap(([type, byStatus]) => Object.entries(byStatus).map(([status, mapped]) => [type, status, mapped] as const));
  it.each(rows)('%s %s → %s', (type, status, mapped) => {
    const event = onlyEvent(decodeOem(notification(baseEvent(type, status)), ctx));
    expect(`${event.phase}/${event.state}`).toBe(mapped);
    expect(event.message.startsWith(`${type} ${status}`)).toBe(true);
  });

  it('matches eventsType and status whatever their case', () => {
    expect(onlyEvent(decodeOem(notification(baseEvent('UPDATECOMPLETE', 'Success')), ctx))).toMatchObject({ phase: 'done', state: 'succeeded' });
  });

  it('an accepted consent is never the next phase done', () => {
    for (const type of ['download', 'installation', 'activate', 'ackinstall', 'notification']) {
      expect(onlyEvent(decodeOem(notification(baseEvent(type, 'accepted')), ctx))).toMatchObject({ phase: 'consent', state: 'succeeded' });
    }
  });
});

describe('decodeOem: errors, times, ids', () => {
  it('a non-zero code fails an event whatever its status; all-zero codes do not', () => {
    const zero = { ...baseEvent('download', 'success'), downloadExtras: { downloadSize: 10, bytesDownloaded: 10, oemErrors: [{ phaseCode: 0, siteCode: 0, oemCode: 0, targetId: '1' }] } };
    expect(onlyEvent(decodeOem(notification(zero), ctx)).state).toBe('succeeded');
    const coded = { ...zero, downloadExtras: { downloadSize: 10, bytesDownloaded: 10, oemErrors: [{ phaseCode: 1, siteCode: 3, oemCode: 815, targetId: '1' }] } };
    const event = onlyEvent(decodeOem(notification(coded), ctx));
    expect(event).toMatchObject({ phase: 'download', state: 'failed' });
    expect(event.message).toContain('OEM code 815 (phase 1, site 3, target 1)');
  });

  it('finds codes nested in activationExtras.ecuInfo[].errorCodes', () => {
    const event = { ...baseEvent('activate', 'success'), activationExtras: { ecuInfo: [{ targetId: '2', errorCodes: [{ code: 'E42', description: 'signature' }] }], oemErrors: [] } };
    const decoded = onlyEvent(decodeOem(notification(event), ctx));
    expect(decoded.state).toBe('failed');
    expect(decoded.message).toContain('code E42 (signature)');
  });

  it.each([
    ['time as a number of seconds', { time: 1717200000 }, '2024-06-01T00:00:00.000Z'],
    ['time as text', { time: '1717200000' }, '2024-06-01T00:00:00.000Z'],
    ['time in milliseconds', { time: 1717200000123 }, '2024-06-01T00:00:00.123Z'],
    ['only Time', { Time: 1717200001 }, '2024-06-01T00:00:01.000Z'],
    ['empty time, then Time', { time: '', Time: '1717200002' }, '2024-06-01T00:00:02.000Z'],
    ['no time at all', { clockSource: 'default' }, '2024-06-01T08:00:00.000Z'],
  ])('currentTime: %s', (_name, currentTime, time) => {
    expect(onlyEvent(decodeOem(notification({ ...baseEvent('download', 'started'), currentTime }), ctx)).time).toBe(time);
  });

  it('no attemptId: empty campaign, never invented; a numeric attemptId reads as text', () => {
    const { attemptId: _dropped, ...noAttempt } = baseEvent('download', 'started');
    expect(onlyEvent(decodeOem(notification(noAttempt), ctx)).campaign).toBe('');
    expect(onlyEvent(decodeOem(notification({ ...noAttempt, attemptId: 18 }), ctx)).campaign).toBe('18');
  });

  it('one event per element; a repeated eventsUuid gets #index on every occurrence; a missing one a hash', () => {
    const a = baseEvent('download', 'started');
    const b = { ...baseEvent('download', 'inProgress'), eventsUuid: a.eventsUuid };
    const { eventsUuid: _none, ...c } = baseEvent('download', 'success');
    const events = eventsOf(decodeOem({ signed: { vin: VIN, primaryId: '1', events: [a, b, c] } }, ctx));
    expect(events.map((e) => e.id.replace(/[0-9a-f]{32}$/, 'HASH'))).toEqual([`${a.eventsUuid}#0`, `${a.eventsUuid}#1`, 'oem-HASH']);
    expect(eventsOf(decodeOem({ signed: { vin: VIN, primaryId: '1', events: [a, b, c] } }, ctx))[2]!.id).toBe(events[2]!.id);
  });

  it('takes the device from the transport only when signed.vin is absent', () => {
    const body = { signed: { primaryId: '1', events: [baseEvent('download', 'started')] } };
    expect(onlyEvent(decodeOem(body, { ...ctx, device: 'from-query' })).device).toBe('from-query');
  });

  it('refuses a notification naming no vehicle anywhere, naming the field', () => {
    const body = { signed: { vin: ' ', primaryId: '1', events: [baseEvent('download', 'started')] } };
    expect(decodeOem(body, { receivedAt: ctx.receivedAt })).toEqual({
      ok: false,
      error: { kind: 'decode-error', protocol: 'oem', reason: 'signed.vin missing: name the vehicle in signed.vin (or, over HTTP, in x-device-id or ?device=)' },
    });
  });

  it('installation progress falls back to completeEcus/numEcus without ecuProgress', () => {
    const event = { ...baseEvent('installation', 'inProgress'), installProgressExtras: { numEcus: 4, completeEcus: 1 } };
    expect(onlyEvent(decodeOem(notification(event), ctx)).percent).toBe(25);
  });
});

describe('decodeOem: look-up requests carry no events', () => {
  it.each(['C_03_Req', 'C_36_Req', 'C_18_Req', 'C_05_Req'])('%s → ok, zero events', (name) => {
    expect(decodeOem(JSON.stringify(requests[name]), ctx)).toEqual({ ok: true, events: [] });
  });
});

describe('decodeOem: malformed requests are typed errors', () => {
  const good = baseEvent('download', 'inProgress');
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{"signed": {', /the OEM request is not JSON/],
    ['the spec C_03 example with its trailing comma', '{"signed": {"vin": "x"},\n}', /not JSON/],
    ['an empty body (the C_04 request)', '', /is empty/],
    ['a list', '[]', /is a list, expected \{"signed"/],
    ['signed missing', { events: [good] }, /^signed missing/],
    ['signed not an object', { signed: 'x' }, /^signed is a string/],
    ['events empty', { signed: { vin: VIN, events: [] } }, /signed.events is an empty list/],
    ['events not a list', { signed: { vin: VIN, events: {} } }, /signed.events is an object, expected a list/],
    ['neither events nor a look-up', { signed: { vin: VIN, primaryId: '1', surprise: true } }, /signed.events missing/],
    ['an element that is not an object', { signed: { vin: VIN, events: [good, 'x'] } }, /^signed.events\[1\] is a string/],
    ['eventsType missing', notification({ ...good, eventsType: undefined }), /signed.events\[0\].eventsType missing/],
    ['status missing', notification({ ...good, status: undefined }), /signed.events\[0\].status missing/],
    ['eventsType unknown', notification({ ...good, eventsType: 'diagnostics' }), /eventsType "diagnostics" is not an OEM event type/],
    ['status unknown for its type', notification({ ...good, eventsType: 'error', status: 'started' }), /status "started" is not known for eventsType error \(failure, failed\)/],
    ['bytes beyond the size', notification({ ...good, downloadExtras: { downloadSize: 200, bytesDownloaded: 300 } }), /300 is more than the total 200/],
    ['negative bytes', notification({ ...good, downloadExtras: { downloadSize: 200, bytesDownloaded: -5 } }), /negative values/],
    ['size as text', notification({ ...good, downloadExtras: { downloadSize: '200', bytesDownloaded: 5 } }), /downloadExtras.downloadSize is a string/],
    [
      'huge size',
      '{"signed":{"vin":"V","events":[{"eventsType":"download","status":"inProgress","downloadExtras":{"downloadSize":1e400,"bytesDownloaded":1}}]}}',
      /downloadSize is not a finite number/,
    ],
    ['time in words', notification({ ...good, currentTime: { time: 'soon' } }), /currentTime.time "soon" is not a time/],
    ['time huge', notification({ ...good, currentTime: { time: 1e300 } }), /currentTime.time 1e\+300 is not a usable time/],
    ['an error code entry that is a list', notification({ ...good, errorCodes: [[1]] }), /errorCodes\[0\] is a list/],
    ['vin as a number', { signed: { vin: 17, events: [good] } }, /signed.vin is a number/],
  ];

  it.each(cases)('%s', (_name, input, reason) => {
    expect(errorOf(decodeOem(input, ctx))).toMatchObject({ protocol: 'oem', reason: expect.stringMatching(reason) });
  });

  it('never throws, whatever it is handed', () => {
    for (const input of [undefined, null, 3, Symbol('x'), new Uint8Array([0xff]), { signed: null }]) {
      expect(decodeOem(input, ctx).ok).toBe(false);
    }
  });
});
