import { Long, serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import type { Phase, State } from '../../preload/api';
import { decodeEdgehog } from './edgehog';
import { EDGEHOG_STATUS, EDGEHOG_STATUS_CODE } from './edgehog-status';
import { errorOf, fixtureBytes, fixtureJson, fixtureText, onlyEvent } from './testing/expect-decoded';

const ctx = { device: 'edge-dev-7', receivedAt: new Date('2024-06-01T08:00:00.000Z') };
const uuid = '5b0c9d3e-2f4a-4c61-9d7e-1a2b3c4d5e6f';
const at = new Date('2024-03-05T11:00:00.250Z');

/** `t: null` leaves t out, as Astarte may. */
function payload(v: Record<string, unknown>, t: unknown = at): Record<string, unknown> {
  return t === null ? { v: { requestUUID: uuid, ...v } } : { v: { requestUUID: uuid, ...v }, t };
}

/** Spec 002's statuses and the runtime's, read by hand: [status, phase, state, carries its own progress]. */
const EXPECTED_STATUS: [status: string, phase: Phase, state: State, progress: boolean][] = [
  ['Acknowledged', 'queued', 'succeeded', false],
  ['Downloading', 'download', 'running', true],
  ['Deploying', 'install', 'running', true],
  ['Deployed', 'install', 'succeeded', false],
  ['Rebooting', 'reboot', 'running', false],
  ['Success', 'done', 'succeeded', false],
  ['Error', 'download', 'running', false],
  ['Failure', 'done', 'failed', false],
  ['RequestError', 'queued', 'failed', false],
  ['InvalidRequest', 'queued', 'failed', false],
];

/** How each documented statusCode ends a Failure, and an Error (recoverable). */
const EXPECTED_CODE: [code: string, failure: [Phase, State], error: [Phase, State]][] = [
  ['InvalidRequest', ['queued', 'failed'], ['queued', 'running']],
  ['RequestError', ['queued', 'failed'], ['queued', 'running']],
  ['UpdateAlreadyInProgress', ['queued', 'failed'], ['queued', 'running']],
  ['NetworkError', ['download', 'failed'], ['download', 'running']],
  ['IOError', ['done', 'failed'], ['download', 'running']],
  ['InternalError', ['done', 'failed'], ['download', 'running']],
  ['InvalidBaseImage', ['install', 'failed'], ['install', 'running']],
  ['SystemRollback', ['reboot', 'failed'], ['reboot', 'failed']],
  ['Canceled', ['download', 'canceled'], ['download', 'canceled']],
];

describe('decodeEdgehog: every status', () => {
  it('the tables hold exactly the statuses and codes above', () => {
    expect(Object.keys(EDGEHOG_STATUS).sort()).toEqual(EXPECTED_STATUS.map(([s]) => s).sort());
    expect(Object.keys(EDGEHOG_STATUS_CODE).sort()).toEqual(EXPECTED_CODE.map(([c]) => c).sort());
  });

  it.each(EXPECTED_STATUS)('%s → %s / %s', (status, phase, state, progress) => {
    for (const spelled of [status, status.toUpperCase(), status.toLowerCase()]) {
      const event = onlyEvent(decodeEdgehog(serialize(payload({ status: spelled, statusProgress: 30 })), ctx));
      expect(event).toMatchObject({ source: 'edgehog', device: 'edge-dev-7', campaign: uuid, phase, state, time: '2024-03-05T11:00:00.250Z' });
      expect(event.percent).toBe(progress ? 30 : null);
      expect(event.message.startsWith(spelled)).toBe(true);
    }
  });

  it('Deployed is not done, and Error is not success', () => {
    expect(onlyEvent(decodeEdgehog(payload({ status: 'Deployed' }), ctx)).phase).not.toBe('done');
    expect(onlyEvent(decodeEdgehog(payload({ status: 'Error' }), ctx)).state).not.toBe('succeeded');
  });
});

describe('decodeEdgehog: every statusCode', () => {
  it.each(EXPECTED_CODE)('%s: Failure → %j, Error → %j', (code, failure, error) => {
    // As spec 002 spells it, and in another case (the back-end matches case-insensitively).
    for (const spelled of [code, code.toLowerCase()]) {
      for (const [status, [phase, state]] of [
        ['Failure', failure],
        ['Error', error],
      ] as const) {
        const event = onlyEvent(decodeEdgehog(payload({ status, statusCode: spelled, message: 'details from the device' }), ctx));
        expect([event.phase, event.state]).toEqual([phase, state]);
        expect(event.message).toContain(`${status} ${spelled}`);
        expect(event.message).toContain('device says: details from the device');
      }
    }
  });

  it('a code on a non-error status only joins the message', () => {
    const event = onlyEvent(decodeEdgehog(payload({ status: 'Downloading', statusCode: 'Canceled', statusProgress: 10 }), ctx));
    expect(event).toMatchObject({ phase: 'download', state: 'running', percent: 10 });
    expect(event.message).toContain('the update was canceled');
  });

  it('an unknown code keeps the status mapping and shows the code', () => {
    const event = onlyEvent(decodeEdgehog(payload({ status: 'Failure', statusCode: 'BatteryLow' }), ctx));
    expect(event).toMatchObject({ phase: 'done', state: 'failed' });
    expect(event.message).toContain('Failure BatteryLow');
  });
});

describe('decodeEdgehog: payload forms', () => {
  it('reads the BSON fixture (t as BSON datetime) and keeps a JSON-safe raw', () => {
    const event = onlyEvent(decodeEdgehog(fixtureBytes('edgehog-failure-rollback.bson'), ctx));
    expect(event).toMatchObject({ phase: 'reboot', state: 'failed', campaign: uuid, time: '2024-03-05T11:05:00.500Z' });
    expect(event.message).toContain('device says: booted the previous slot');
    expect((event.raw as { t: unknown }).t).toBe('2024-03-05T11:05:00.500Z');
    expect(JSON.parse(JSON.stringify(event.raw))).toEqual(event.raw);
  });

  it('t before v, after v, or keys in any order: the same event and the same id', () => {
    const v = { status: 'Downloading', statusProgress: 50, requestUUID: uuid };
    const first = onlyEvent(decodeEdgehog(serialize({ t: at, v }), ctx));
    const second = onlyEvent(decodeEdgehog(serialize({ v: { statusProgress: 50, requestUUID: uuid, status: 'Downloading' }, t: at }), ctx));
    expect(second).toEqual({ ...first, raw: second.raw });
    expect(first.id).toMatch(/^edgehog-[0-9a-f]{32}$/);
  });

  it('JSON as text, as bytes, or parsed gives the same event', () => {
    const text = fixtureText('edgehog-downloading.json');
    const fromText = onlyEvent(decodeEdgehog(text, ctx));
    expect(fromText).toMatchObject({ phase: 'download', state: 'running', percent: 50, time: '2024-03-05T11:00:00.250Z' });
    expect(onlyEvent(decodeEdgehog(new TextEncoder().encode(text), ctx))).toEqual(fromText);
    expect(onlyEvent(decodeEdgehog(fixtureJson('edgehog-downloading.json'), ctx))).toEqual(fromText);
  });

  it('t as milliseconds or seconds', () => {
    expect(onlyEvent(decodeEdgehog(payload({ status: 'Success' }, 1709636400250), ctx)).time).toBe('2024-03-05T11:00:00.250Z');
    expect(onlyEvent(decodeEdgehog(payload({ status: 'Success' }, 1709636400), ctx)).time).toBe('2024-03-05T11:00:00.000Z');
  });

  it('no t: reception time, and the id depends on it so repeated reports stay distinct', () => {
    const bytes = serialize(payload({ status: 'Downloading', statusProgress: 10 }, null));
    const one = onlyEvent(decodeEdgehog(bytes, ctx));
    const same = onlyEvent(decodeEdgehog(bytes, ctx));
    const later = onlyEvent(decodeEdgehog(bytes, { ...ctx, receivedAt: new Date('2024-06-01T08:01:00.000Z') }));
    expect(one.time).toBe('2024-06-01T08:00:00.000Z');
    expect(same.id).toBe(one.id);
    expect(later.id).not.toBe(one.id);
  });

  it('message, statusCode, statusProgress and requestUUID may be absent', () => {
    const event = onlyEvent(decodeEdgehog({ v: { status: 'Rebooting' } }, { receivedAt: ctx.receivedAt }));
    expect(event).toMatchObject({ campaign: '', device: '', percent: null, phase: 'reboot', state: 'running' });
  });

  it('the same report from two devices gets two ids', () => {
    const p = payload({ status: 'Success' });
    expect(onlyEvent(decodeEdgehog(p, ctx)).id).not.toBe(onlyEvent(decodeEdgehog(p, { ...ctx, device: 'edge-dev-8' })).id);
  });
});

describe('decodeEdgehog: malformed payloads are typed errors', () => {
  const good = serialize(payload({ status: 'Downloading', statusProgress: 10 }));
  const cases: [string, unknown, RegExp][] = [
    ['truncated BSON', good.subarray(0, good.length - 7), /not valid BSON/],
    ['BSON cut to four bytes', good.subarray(0, 4), /not valid BSON/],
    ['empty bytes', new Uint8Array(0), /not valid BSON/],
    ['random bytes', new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x05, 0x06]), /not valid BSON/],
    ['JSON text that is not JSON', '{"v": {"status": "Success"', /not JSON/],
    ['JSON bytes that are not JSON', new TextEncoder().encode('{"v": '), /not JSON/],
    ['a JSON list', '[1]', /is a list, expected \{"v"/],
    ['v missing', { t: at }, /^v missing/],
    ['v not an object', { v: 'Success' }, /^v is a string, expected an object/],
    ['status missing', payload({ statusProgress: 3 }), /^v.status missing/],
    ['status unknown', payload({ status: 'Rebooted' }), /v.status "Rebooted" is not an Edgehog OTA status/],
    ['status a number', payload({ status: 3 }), /v.status is a number/],
    ['statusProgress above 100', payload({ status: 'Downloading', statusProgress: 101 }), /statusProgress 101 is outside 0–100/],
    ['statusProgress negative', payload({ status: 'Downloading', statusProgress: -1 }), /outside 0–100/],
    ['statusProgress huge', payload({ status: 'Downloading', statusProgress: 1e300 }), /outside 0–100/],
    ['statusProgress an int64 past 2^53', serialize(payload({ status: 'Downloading', statusProgress: Long.fromString('9007199254740993') })), /statusProgress is an object, expected a number/],
    ['statusProgress as text', payload({ status: 'Downloading', statusProgress: '50' }), /statusProgress is a string/],
    ['requestUUID a number', payload({ status: 'Success', requestUUID: 5 }), /requestUUID is a number/],
    ['t huge', payload({ status: 'Success' }, 1e300), /^t 1e\+300 is not a usable time/],
    ['t in words', payload({ status: 'Success' }, 'now'), /^t "now" is not a time/],
    ['t a BSON datetime in the year 275760', serialize(payload({ status: 'Success' }, new Date(8.64e15))), /^t .* is not a usable time/],
  ];

  it.each(cases)('%s', (_name, input, reason) => {
    expect(errorOf(decodeEdgehog(input, ctx))).toMatchObject({ protocol: 'edgehog', reason: expect.stringMatching(reason) });
  });

  it('never throws, whatever it is handed', () => {
    for (const input of [undefined, null, 0, Symbol('x'), new Uint8Array([0x7b]), { v: null }]) {
      expect(decodeEdgehog(input, ctx).ok).toBe(false);
    }
  });
});
