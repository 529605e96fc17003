import { describe, expect, it } from 'vitest';
import type { Phase, State } from '../../preload/api';
import { CAROTA_STATUS } from './carota-status';
import { decodeCarota } from './carota';
import { errorOf, fixtureJson, fixtureText, onlyEvent } from './testing/expect-decoded';

const ctx = { device: 'from-topic', receivedAt: new Date('2024-06-01T08:00:00.000Z') };
const template = fixtureJson<Record<string, unknown>>('carota-ota-event.json');
const templateBody = JSON.parse(Buffer.from(template.body as string, 'base64').toString('utf8')) as Record<string, unknown>;

function envelope(body: unknown, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { ...template, body: Buffer.from(text).toString('base64'), ...patch };
}

/** The OTA Event enum of spec 001 as we read it, by hand: the table must agree with it. */
const EXPECTED: [value: number, name: string, phase: Phase, state: State][] = [
  [1, 'received', 'queued', 'succeeded'],
  [2, 'cancel', 'done', 'canceled'],
  [3, 'downloading', 'download', 'running'],
  [4, 'downloaded', 'download', 'succeeded'],
  [5, 'reboot', 'install', 'running'],
  [6, 'success', 'done', 'succeeded'],
  [7, 'failure', 'install', 'failed'],
  [8, 'download_fail', 'download', 'failed'],
  [9, 'md5_check_success', 'verify', 'succeeded'],
  [10, 'md5_check_fail', 'verify', 'failed'],
  [11, 'pki_check_success', 'verify', 'succeeded'],
  [12, 'pki_check_fail', 'verify', 'failed'],
  [13, 'rollback_success', 'install', 'failed'],
  [14, 'rollback_fail', 'install', 'failed'],
  [15, 'pause', 'download', 'paused'],
  [16, 'resume', 'download', 'running'],
  [100, 'consent_accepted', 'consent', 'succeeded'],
  [101, 'consent_rejected', 'consent', 'canceled'],
];

describe('decodeCarota: the whole OTA Event enum', () => {
  it('the table holds exactly the values 1–16, 100 and 101', () => {
    expect(Object.keys(CAROTA_STATUS).map(Number)).toEqual(EXPECTED.map(([value]) => value));
  });

  it.each(EXPECTED)('status %i (%s) → %s / %s', (value, name, phase, state) => {
    const event = onlyEvent(decodeCarota(JSON.stringify(envelope({ ...templateBody, status: value, meta: [] })), ctx));
    expect(event).toMatchObject({ source: 'carota', phase, state, percent: null });
    expect(event.message.startsWith(`${name} (${value})`)).toBe(true);
  });
});

describe('decodeCarota: OTA_EVENT', () => {
  it('reads the fixture: VIN, correlation id, message id, body time in ms, download percent', () => {
    const event = onlyEvent(decodeCarota(fixtureText('carota-ota-event.json'), ctx));
    expect(event).toMatchObject({
      id: 'dsk-edge-5c1f0e',
      time: '2024-05-31T16:08:37.123Z',
      device: 'DSKTESTVIN0000001',
      campaign: 'dsk-cloud-trigger-9a71',
      phase: 'download',
      state: 'running',
      percent: 40,
    });
    expect(event.message).toContain('device_id tcu-0007 (TCU)');
    expect(event.message).toContain('ref-id dsk schedule 12');
    expect(event.raw).toEqual(template);
  });

  it('puts the failure reason from meta first in the message', () => {
    const body = {
      ...templateBody,
      status: 8,
      meta: [
        { key: 'download', value: '40%' },
        { key: 'reason', value: 'Network Failure' },
      ],
    };
    const event = onlyEvent(decodeCarota(envelope(body), ctx));
    expect(event.state).toBe('failed');
    expect(event.message).toMatch(/^download_fail \(8\): [^;]+; reason: Network Failure; download: 40%/);
  });

  it.each([
    ['"75%"', '75%', 75],
    ['"75"', '75', 75],
    ['a number', 12.5, 12.5],
    ['"0 %"', '0 %', 0],
  ])('download meta %s → percent', (_name, value, percent) => {
    const event = onlyEvent(decodeCarota(envelope({ ...templateBody, meta: [{ key: 'download', value }] }), ctx));
    expect(event.percent).toBe(percent);
  });

  it('takes the envelope time (seconds) when the body has no timestamp, the reception time when neither has one', () => {
    const { timestamp: _dropped, ...untimed } = templateBody;
    expect(onlyEvent(decodeCarota(envelope(untimed), ctx)).time).toBe('2024-05-31T16:08:20.000Z');
    expect(onlyEvent(decodeCarota(envelope(untimed, { time: undefined }), ctx)).time).toBe('2024-06-01T08:00:00.000Z');
    expect(onlyEvent(decodeCarota(envelope({ ...templateBody, timestamp: 1717171717 }), ctx)).time).toBe('2024-05-31T16:08:37.000Z');
  });

  it('falls back from the body VIN to the trimmed envelope VIN, then to the transport', () => {
    const { vin: _vin, ...noVin } = templateBody;
    expect(onlyEvent(decodeCarota(envelope(noVin, { vin: '  DSKTESTVIN0000009 ' }), ctx)).device).toBe('DSKTESTVIN0000009');
    expect(onlyEvent(decodeCarota(envelope(noVin, { vin: undefined }), ctx)).device).toBe('from-topic');
  });

  it('refuses a report naming no vehicle anywhere, naming the fields', () => {
    const { vin: _vin, ...noVin } = templateBody;
    const result = decodeCarota(envelope(noVin, { vin: '  ' }), { receivedAt: ctx.receivedAt });
    expect(result).toEqual({ ok: false, error: { kind: 'decode-error', protocol: 'carota', reason: 'vin missing: name the vehicle in body.vin or vin (or, over HTTP, in x-device-id or ?device=)' } });
  });

  it('accepts the status as a numeric string, and a missing meta as no meta', () => {
    const { meta: _meta, ...noMeta } = templateBody;
    expect(onlyEvent(decodeCarota(envelope({ ...noMeta, status: '4' }), ctx))).toMatchObject({ phase: 'download', state: 'succeeded', percent: null });
  });

  it('an envelope without message_id gets a stable hash id', () => {
    const input = envelope(templateBody, { message_id: undefined });
    const first = onlyEvent(decodeCarota(input, ctx));
    expect(first.id).toMatch(/^carota-[0-9a-f]{32}$/);
    expect(onlyEvent(decodeCarota(input, ctx)).id).toBe(first.id);
  });
});

describe('decodeCarota: the other message types', () => {
  it('OTA_TRIGGER_ACK is the vehicle acknowledging the trigger, at its acknowledge_time', () => {
    const event = onlyEvent(decodeCarota(fixtureText('carota-ota-trigger-ack.json'), ctx));
    expect(event).toMatchObject({ id: 'dsk-edge-5c1f0d', phase: 'queued', state: 'succeeded', time: '2024-05-31T16:08:10.456Z', campaign: 'dsk-cloud-trigger-9a71' });
  });

  it('OTA_TRIGGER_ACK without a body takes the envelope time', () => {
    const ack = { ...fixtureJson<Record<string, unknown>>('carota-ota-trigger-ack.json'), body: '' };
    expect(onlyEvent(decodeCarota(ack, ctx)).time).toBe('2024-05-31T16:08:20.000Z');
  });

  it('OTA_TRIGGER goes cloud → car and is refused with that reason', () => {
    expect(errorOf(decodeCarota(fixtureText('carota-ota-trigger.json'), ctx)).reason).toMatch(/OTA_TRIGGER goes from the cloud to the vehicle/);
  });
});

describe('decodeCarota: malformed envelopes and bodies are typed errors', () => {
  const goodBody = Buffer.from(JSON.stringify(templateBody)).toString('base64');

  it('a body Buffer.from would silently "decode" is refused', () => {
    const corrupted = `${goodBody.slice(0, 8)}*${goodBody.slice(8)}`;
    expect(Buffer.from(corrupted, 'base64').length).toBeGreaterThan(0);
    expect(errorOf(decodeCarota({ ...template, body: corrupted }, ctx)).reason).toBe('body is not base64: character "*" at position 8');
  });

  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{"message_type": "OTA_EVENT",', /the CarOTA message is not JSON/],
    ['the spec example with comments and trailing commas', '{"vin": "x", // comment\n}', /not JSON/],
    ['a list', '[]', /is a list, expected an envelope object/],
    ['message_type missing', { ...template, message_type: undefined }, /^message_type missing/],
    ['an unknown message_type', { ...template, message_type: 'OTA_HELLO' }, /"OTA_HELLO" is not a CarOTA vehicle message/],
    ['body missing', { ...template, body: undefined }, /^body missing/],
    ['body as an object', { ...template, body: templateBody }, /body is an object, expected a base64 string/],
    ['base64 with a line break', { ...template, body: `${goodBody.slice(0, 4)}\n${goodBody.slice(4)}` }, /not base64: character "\\n"/],
    ['base64 of the wrong length', { ...template, body: `${goodBody.replace(/=+$/, '')}A`.slice(0, 4 * 3 + 1) }, /not a whole number of bytes/],
    ['base64 with padding inside', { ...template, body: 'ab==cd==' }, /padding only at the end/],
    ['a body that is not JSON', envelope('plain words'), /the decoded body is not JSON/],
    ['a body that is a list', envelope([1, 2]), /decoded body is a list/],
    ['a body that is not UTF-8', { ...template, body: Buffer.from([0xc3, 0x28]).toString('base64') }, /not UTF-8/],
    ['status missing', envelope({ ...templateBody, status: undefined }), /body.status missing/],
    ['status outside the enum', envelope({ ...templateBody, status: 42 }), /body.status 42 is not in the OTA Event enum/],
    ['status as words', envelope({ ...templateBody, status: 'downloading' }), /body.status "downloading" is not an OTA Event enum number/],
    ['status fractional', envelope({ ...templateBody, status: 3.5 }), /not an OTA Event enum number/],
    ['meta not a list', envelope({ ...templateBody, meta: { download: '40%' } }), /body.meta is an object, expected a list/],
    ['meta entry without key', envelope({ ...templateBody, meta: [{ value: '1' }] }), /body.meta\[0\].key missing/],
    ['meta value an object', envelope({ ...templateBody, meta: [{ key: 'reason', value: {} }] }), /body.meta\[0\].value is an object/],
    ['download above 100%', envelope({ ...templateBody, meta: [{ key: 'download', value: '140%' }] }), /not a percentage from 0 to 100/],
    ['download in words', envelope({ ...templateBody, meta: [{ key: 'download', value: 'almost' }] }), /not a percentage/],
    ['timestamp huge', envelope({ ...templateBody, timestamp: 1e300 }), /body.timestamp 1e\+300 is not a usable time/],
    ['envelope time as an object', envelope(templateBody, { time: {} }), /^time is an object, not a time/],
    ['vin as a number', envelope(templateBody, { vin: 5 }), /vin is a number/],
  ];

  it.each(cases)('%s', (_name, input, reason) => {
    expect(errorOf(decodeCarota(input, ctx))).toMatchObject({ protocol: 'carota', reason: expect.stringMatching(reason) });
  });

  it('never throws, whatever it is handed', () => {
    for (const input of [undefined, null, 17, new Uint8Array([0]), { body: 5 }, Symbol('x')]) {
      expect(decodeCarota(input, ctx).ok).toBe(false);
    }
  });
});
