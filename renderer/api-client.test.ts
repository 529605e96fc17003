import { describe, expect, it } from 'vitest';
import { createFakeClient } from './testing/fake-client';
import type { DocksideBridge } from '../preload/transport';
import { createApiClient } from './api-client';

describe('createApiClient', () => {
  it('uses the desktop bridge when the preload exposed one, with codes on errors', async () => {
    const fake = createFakeClient({ 'devices.list': () => [] });
    const bridge: DocksideBridge = {
      call: async (name: string, req: unknown) => {
        if (name === 'firmware.remove') return { error: { code: 'conflict', message: 'this firmware is being used by an upgrade in progress' } };
        if (name === 'firmware.list') throw new Error('the preload broke');
        return { res: await fake.call(name as never, req as never) };
      },
      on: fake.on,
      addFirmwareFile: async () => ({ error: { code: 'bad-request', message: 'dock.bin is not a file on this computer' } }),
      importCaptureFile: async () => ({ error: { code: 'bad-request', message: 'ingest.importPath: protocol: Invalid option' } }),
    };
    const client = createApiClient({ bridge, location: { protocol: 'file:', host: '' } });
    expect(client.hostKind).toBe('electron');
    expect(client.link()).toBe('open');
    expect(await client.call('devices.list', {})).toEqual([]);
    await expect(client.call('firmware.remove', { id: 'f' })).rejects.toMatchObject({ name: 'ApiCallError', code: 'conflict', message: 'this firmware is being used by an upgrade in progress' });
    await expect(client.call('firmware.list', {})).rejects.toMatchObject({ name: 'ApiCallError', code: 'internal', message: 'the preload broke' });
    await expect(client.addFirmwareFile(new File([], 'dock.bin'))).rejects.toMatchObject({ code: 'bad-request', message: 'dock.bin is not a file on this computer' });
    await expect(client.importCaptureFile(new File([], 'c.json'))).rejects.toMatchObject({ code: 'bad-request', message: 'ingest.importPath: protocol: Invalid option' });
  });
});
