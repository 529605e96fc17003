import { describe, expect, it } from 'vitest';
import { createFakeClient } from './testing/fake-client';
import { createApiClient, fromBridgeError, type DesktopBridge } from './api-client';

describe('fromBridgeError', () => {
  it('recovers the code the preload put in the message, whatever Electron wrapped around it', () => {
    expect(fromBridgeError(new Error('[bad-request] connection.connect: url: must be …'))).toMatchObject({ code: 'bad-request', message: 'connection.connect: url: must be …' });
    expect(fromBridgeError(new Error("Error invoking remote method 'x': Error: [not-found] no firmware f1"))).toMatchObject({ code: 'not-found', message: 'no firmware f1' });
    expect(fromBridgeError(new Error('something else'))).toMatchObject({ code: 'internal', message: 'something else' });
  });
});

describe('createApiClient', () => {
  it('uses the desktop bridge when the preload exposed one, with codes on errors', async () => {
    const fake = createFakeClient({ 'devices.list': () => [] });
    const bridge: DesktopBridge = {
      call: ((name: string, req: unknown) => {
        if (name === 'firmware.remove') return Promise.reject(new Error('[conflict] this firmware is being used by an upgrade in progress'));
        return fake.call(name as never, req as never);
      }) as DesktopBridge['call'],
      on: fake.on,
      addFirmwareFile: async () => Promise.reject(new Error('[bad-request] dock.bin is not a file on this computer')),
      importCaptureFile: async () => Promise.reject(new Error('[bad-request] ingest.importPath: protocol: Invalid option')),
    };
    const client = createApiClient({ bridge, location: { protocol: 'file:', host: '' } });
    expect(client.hostKind).toBe('electron');
    expect(client.link()).toBe('open');
    expect(await client.call('devices.list', {})).toEqual([]);
    await expect(client.call('firmware.remove', { id: 'f' })).rejects.toMatchObject({ name: 'ApiCallError', code: 'conflict' });
    await expect(client.addFirmwareFile(new File([], 'dock.bin'))).rejects.toMatchObject({ code: 'bad-request', message: 'dock.bin is not a file on this computer' });
    await expect(client.importCaptureFile(new File([], 'c.json'))).rejects.toMatchObject({ code: 'bad-request', message: 'ingest.importPath: protocol: Invalid option' });
  });
});
