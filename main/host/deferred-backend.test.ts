import { describe, expect, it } from 'vitest';
import { createDeferredBackend } from './deferred-backend';
import { createMemoryBackend } from '../../test-support/memory-backend';

describe('createDeferredBackend', () => {
  it('holds calls until the core is ready, then forwards calls and streams', async () => {
    const deferred = createDeferredBackend();
    const seen: string[] = [];
    deferred.subscribe((stream) => seen.push(stream));
    const pending = deferred.handle('devices.list', {});
    const core = createMemoryBackend();
    deferred.ready(core);
    expect(await pending).toEqual([]);
    core.emit('firmwareRemoved', { id: 'x' });
    expect(seen).toEqual(['firmwareRemoved']);
  });

  it('fails waiting and later calls with the reason the core did not start', async () => {
    const deferred = createDeferredBackend();
    const pending = deferred.handle('devices.list', {});
    deferred.failed('port 1883 refused');
    await expect(pending).rejects.toMatchObject({ code: 'unavailable', message: 'the Dockside core did not start: port 1883 refused' });
    await expect(deferred.handle('app.info', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});
