import { describe, expect, it } from 'vitest';
import { licenceProblem } from './onboard';

const good = { app_id: '100417', app_key: 'f3a9c0de57b14e2a9d6c1b0e8a7f5d43', app_license: 'bGljZW5jZS1mb3ItYS1kb2Nr', ntp_server_host: '192.168.8.20' };

describe('licenceProblem (what makes the simulated dock leave)', () => {
  it.each([
    ['a full answer', good, null],
    ['app_id as a number (Dock 3 example)', { ...good, app_id: 100417 }, null],
    ['no app_id', { ...good, app_id: undefined }, 'the answer has no numeric app_id'],
    ['app_id not a number', { ...good, app_id: 'abc' }, 'the answer has no numeric app_id'],
    ['an empty key', { ...good, app_key: '' }, 'the answer has no app_key'],
    ['a licence that is not base64', { ...good, app_license: 'not a licence!' }, 'the answer has no app_license'],
    ['no NTP host', { ...good, ntp_server_host: '' }, 'the answer has no ntp_server_host'],
    ['an error reply', { result: 200001, output: {} }, 'the answer has no numeric app_id'],
    ['nothing', null, 'the answer has no numeric app_id'],
  ])('%s', (_name, data, problem) => {
    expect(licenceProblem(data)).toBe(problem);
  });
});
