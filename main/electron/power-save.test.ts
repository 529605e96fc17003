import { describe, expect, it } from 'vitest';
import type { DeviceUpgrade, DjiStatus } from '../../preload/api';
import { createMemoryBackend } from '../../test-support/memory-backend';
import { keepAwakeWhileUpgrading } from './power-save';

function row(sn: string, status: DjiStatus): DeviceUpgrade {
  const t = new Date(0).toISOString();
  return {
    key: `tid-p:${sn}`,
    tid: 'tid-p',
    gateway: sn,
    sn,
    firmwareId: 'fw',
    fileName: 'f.bin',
    targetVersion: '1.1',
    type: 'regular',
    step: null,
    percent: 0,
    status,
    subStatus: '',
    verified: false,
    bytesServed: 0,
    fileSize: 1,
    startedAt: t,
    updatedAt: t,
  };
}

describe('keepAwakeWhileUpgrading', () => {
  it('blocks suspension from the first running upgrade until the last one ends', () => {
    const backend = createMemoryBackend();
    const log: string[] = [];
    let next = 41;
    keepAwakeWhileUpgrading(backend, {
      start: (type) => (log.push(`start ${type}`), ++next),
      stop: (id) => log.push(`stop ${id}`),
    });
    backend.emit('upgrade', row('A', 'queued'));
    backend.emit('upgrade', row('B', 'in_progress'));
    backend.emit('upgrade', row('A', 'ok'));
    expect(log).toEqual(['start prevent-app-suspension']);
    backend.emit('upgrade', row('B', 'failed'));
    expect(log).toEqual(['start prevent-app-suspension', 'stop 42']);
    backend.emit('upgrade', row('B', 'sent'));
    expect(log).toEqual(['start prevent-app-suspension', 'stop 42', 'start prevent-app-suspension']);
  });

  it('lets go when disposed', () => {
    const backend = createMemoryBackend();
    const stopped: number[] = [];
    const dispose = keepAwakeWhileUpgrading(backend, { start: () => 7, stop: (id) => stopped.push(id) });
    backend.emit('upgrade', row('A', 'in_progress'));
    dispose();
    expect(stopped).toEqual([7]);
  });
});
