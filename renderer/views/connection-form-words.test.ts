import { describe, expect, it } from 'vitest';
import { ConnectionSettingsSchema } from '../../preload/api';
import { fieldMessage, type ConnectionField } from './connection-form-words';

function messageFor(field: ConnectionField, value: string): string {
  const settings = { url: 'mqtt://10.20.0.5:1883', [field]: value };
  const parsed = ConnectionSettingsSchema.safeParse(settings);
  if (parsed.success) throw new Error(`${field}=${value.slice(0, 20)} was accepted`);
  return fieldMessage(field, parsed.error.issues[0]!, value);
}

describe('connection form messages', () => {
  it.each([
    ['', "Enter the broker's address, e.g. mqtt://192.168.1.10:1883."],
    ['   ', "Enter the broker's address, e.g. mqtt://192.168.1.10:1883."],
    ['10.20.0.5:1883', 'Use an mqtt://, mqtts://, ws:// or wss:// address with a host, e.g. mqtt://192.168.1.10:1883.'],
    ['https://10.20.0.5', 'Use an mqtt://, mqtts://, ws:// or wss:// address with a host, e.g. mqtt://192.168.1.10:1883.'],
    ['mqtt://', 'Use an mqtt://, mqtts://, ws:// or wss:// address with a host, e.g. mqtt://192.168.1.10:1883.'],
  ])('URL %j', (url, words) => {
    expect(messageFor('url', url)).toBe(words);
  });

  it.each([
    ['clientId', 129, 'Client ID: at most 128 characters (this one has 129).'],
    ['username', 300, 'Username: at most 256 characters (this one has 300).'],
    ['password', 257, 'Password: at most 256 characters (this one has 257).'],
    ['caPem', 65537, 'CA certificate: at most 65536 characters (this one has 65537).'],
  ] as const)('%s longer than allowed', (field, length, words) => {
    expect(messageFor(field, 'x'.repeat(length))).toBe(words);
  });

  it('names the field in front of any other rule', () => {
    expect(fieldMessage('username', { code: 'invalid_type', message: 'expected string' }, '')).toBe('Username: expected string');
  });
});
