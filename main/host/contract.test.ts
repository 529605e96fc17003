import { describe, expect, it } from 'vitest';
import { ApiError } from './backend';
import { readableZodError } from '../../preload/transport';
import { createDispatcher, toErrorBody, validateStream } from './contract';
import { createMemoryBackend } from '../../test-support/memory-backend';
import { ConnectionSettingsSchema } from '../../preload/api';

const quiet = () => undefined;

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('createDispatcher', () => {
  it('rejects a bad request with a readable bad-request error and never reaches the backend', async () => {
    const backend = createMemoryBackend();
    const dispatch = createDispatcher(backend, quiet);
    const e = await rejection(dispatch('connection.connect', { url: 'http://example.test' }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('bad-request');
    expect(e.message).toBe('connection.connect: url: must be an mqtt://, mqtts://, ws:// or wss:// URL with a host');
    expect(backend.calls).toEqual([]);
  });

  it('names every wrong field on one line', async () => {
    const dispatch = createDispatcher(createMemoryBackend(), quiet);
    const e = await rejection(dispatch('upgrade.start', { firmwareId: 7, devices: [], type: 'fast' }));
    expect(e.code).toBe('bad-request');
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(/^upgrade\.start: firmwareId: .+; devices: .+; type: .+$/);
  });

  it('refuses an unknown call and extra fields on an empty request', async () => {
    const dispatch = createDispatcher(createMemoryBackend(), quiet);
    expect((await rejection(dispatch('fs.readFile', {}))).message).toBe('unknown call "fs.readFile"');
    expect((await rejection(dispatch('devices.list', { evil: true }))).code).toBe('bad-request');
  });

  it('passes a valid request through and returns the validated response', async () => {
    const backend = createMemoryBackend();
    const dispatch = createDispatcher(backend, quiet);
    const res = await dispatch('connection.connect', { url: 'mqtt://127.0.0.1:1883', clientId: 'tech-laptop' });
    expect(res).toMatchObject({ state: 'connected', url: 'mqtt://127.0.0.1:1883', clientId: 'tech-laptop' });
    expect(backend.calls).toEqual([{ name: 'connection.connect', req: { url: 'mqtt://127.0.0.1:1883', clientId: 'tech-laptop' } }]);
  });

  it('turns a response outside the contract into an internal error and logs it', async () => {
    const backend = createMemoryBackend();
    backend.handle = (async () => ({ state: 'sleeping' })) as never;
    const lines: string[] = [];
    const e = await rejection(createDispatcher(backend, (l) => lines.push(l))('connection.get', {}));
    expect(e.code).toBe('internal');
    expect(e.message).toBe('connection.get returned a malformed response');
    expect(lines.join('\n')).toContain('outside the contract');
  });

  it('keeps an ApiError from the backend and wraps anything else as internal', async () => {
    const backend = createMemoryBackend();
    const dispatch = createDispatcher(backend, quiet);
    expect(await rejection(dispatch('firmware.setVersion', { id: 'none', version: '1.0' }))).toMatchObject({ code: 'not-found' });
    backend.handle = async () => {
      throw new TypeError('boom');
    };
    expect(toErrorBody(await rejection(dispatch('devices.list', {})))).toEqual({ code: 'internal', message: 'boom' });
  });
});

describe('validateStream', () => {
  it('accepts a payload of the contract and refuses unknown streams and bad payloads', () => {
    const now = new Date(0).toISOString();
    expect(validateStream('connection', { state: 'connected', url: 'mqtt://h', clientId: 'c', since: now }).ok).toBe(true);
    expect(validateStream('secrets', {})).toEqual({ ok: false, message: 'unknown stream "secrets"' });
    const bad = validateStream('firmwareRemoved', { id: 3 });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toMatch(/^firmwareRemoved: id: /);
  });
});

describe('readableZodError', () => {
  it('joins issues as path: message', () => {
    const r = ConnectionSettingsSchema.safeParse({ url: 'nope', clientId: 'x'.repeat(200) });
    expect(r.success).toBe(false);
    if (!r.success) expect(readableZodError(r.error)).toMatch(/^url: must be .+; clientId: .+/);
  });
});
