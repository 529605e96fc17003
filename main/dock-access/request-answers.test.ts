import { describe, expect, it } from 'vitest';
import { answerRequest, type AnswerContext } from './request-answers';

const org = { id: '6f1c2a9e-0d7b-4c55-9a51-2b8f4e7c1d30', name: 'Quarry site', bindingCode: 'K7Q2XP' };
const ctx: AnswerContext = {
  licence: { appId: '100001', appKey: 'k'.repeat(32), appLicense: 'bGljZW5jZQ==' },
  ntpHost: '192.168.8.20',
  organisation: org,
  bound: { DOCK1: { callsign: 'North gate', boundAt: '2026-01-01T00:00:00.000Z' } },
  now: '2026-02-02T00:00:00.000Z',
};

describe('answerRequest', () => {
  it('config: the licence and the NTP host, as the dock asks for them', () => {
    expect(answerRequest({ method: 'config', configType: 'json', configScope: 'product' }, ctx).reply).toEqual({
      ntp_server_host: '192.168.8.20',
      app_id: '100001',
      app_key: 'k'.repeat(32),
      app_license: 'bGljZW5jZQ==',
    });
  });

  it('config without a licence: no answer, and words saying why', () => {
    const { licence: _none, ...noLicence } = ctx;
    const a = answerRequest({ method: 'config', configType: 'json', configScope: 'product' }, noLicence);
    expect(a.reply).toBeNull();
    expect(a.words).toMatch(/none is entered/);
  });

  it('the words never carry the key or the licence', () => {
    const a = answerRequest({ method: 'config', configType: 'json', configScope: 'product' }, ctx);
    expect(a.words).not.toContain(ctx.licence!.appKey);
    expect(a.words).not.toContain(ctx.licence!.appLicense);
  });

  it.each([
    [
      'bind status: one bound, one not',
      { method: 'airport_bind_status' as const, devices: ['DOCK1', 'DRONE1'] },
      {
        result: 0,
        output: {
          bind_status: [
            { sn: 'DOCK1', is_device_bind_organization: true, organization_id: org.id, organization_name: 'Quarry site', device_callsign: 'North gate' },
            { sn: 'DRONE1', is_device_bind_organization: false, organization_id: '', organization_name: '', device_callsign: '' },
          ],
        },
      },
    ],
    [
      'organisation get with the right code',
      { method: 'airport_organization_get' as const, bindingCode: 'K7Q2XP', organisationId: org.id },
      { result: 0, output: { organization_name: 'Quarry site' } },
    ],
    ['organisation get with the code alone', { method: 'airport_organization_get' as const, bindingCode: 'K7Q2XP', organisationId: '' }, { result: 0, output: { organization_name: 'Quarry site' } }],
    ['organisation get with a wrong code', { method: 'airport_organization_get' as const, bindingCode: 'NOPE', organisationId: '' }, { result: 210230, output: {} }],
    ['organisation get with another organisation', { method: 'airport_organization_get' as const, bindingCode: 'K7Q2XP', organisationId: 'other' }, { result: 210230, output: {} }],
  ])('%s', (_name, request, reply) => {
    expect(answerRequest(request, ctx).reply).toEqual(reply);
  });

  it('binds the devices with the right code, keeps their callsigns, and refuses the rest one by one', () => {
    const a = answerRequest(
      {
        method: 'airport_organization_bind',
        devices: [
          { sn: 'DOCK2', bindingCode: 'K7Q2XP', organisationId: org.id, callsign: 'South gate', modelKey: '3-2-0' },
          { sn: 'DRONE2', bindingCode: 'WRONG', organisationId: org.id, callsign: 'Bird', modelKey: '0-91-0' },
        ],
      },
      ctx,
    );
    expect(a.reply).toEqual({
      result: 0,
      output: {
        err_infos: [
          { sn: 'DOCK2', err_code: 0 },
          { sn: 'DRONE2', err_code: 210231 },
        ],
      },
    });
    expect(a).toMatchObject({ bind: { DOCK2: { callsign: 'South gate', boundAt: ctx.now, modelKey: '3-2-0' } } });
  });

  it('a bind without a callsign keeps the one the device had, else its SN', () => {
    const a = answerRequest(
      {
        method: 'airport_organization_bind',
        devices: [
          { sn: 'DOCK1', bindingCode: 'K7Q2XP', organisationId: '', callsign: '', modelKey: '' },
          { sn: 'DOCK3', bindingCode: 'K7Q2XP', organisationId: '', callsign: '', modelKey: '' },
        ],
      },
      ctx,
    );
    expect(a).toMatchObject({ bind: { DOCK1: { callsign: 'North gate' }, DOCK3: { callsign: 'DOCK3' } } });
  });
});
