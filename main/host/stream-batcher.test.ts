import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceUpgrade } from '../../preload/api';
import type { StreamItem } from '../../preload/transport';
import { createStreamBatcher } from './stream-batcher';

function row(sn: string, percent: number): DeviceUpgrade {
  const t = new Date(0).toISOString();
  return {
    key: `tid-a:${sn}`,
    tid: 'tid-a',
    gateway: sn,
    sn,
    firmwareId: 'fw1',
    fileName: 'dock.bin',
    targetVersion: '2.0.0',
    type: 'regular',
    step: 'download',
    percent,
    status: 'in_progress',
    subStatus: 'DOWNLOADING',
    verified: false,
    bytesServed: 0,
    fileSize: 100,
    startedAt: t,
    updatedAt: t,
  };
}

describe('createStreamBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one frame per interval and nothing before it', () => {
    const frames: StreamItem[][] = [];
    const b = createStreamBatcher((f) => frames.push(f), 16);
    b.push('firmwareRemoved', { id: 'a' });
    b.push('firmwareRemoved', { id: 'b' });
    expect(frames).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(frames).toEqual([
      [
        { stream: 'firmwareRemoved', payload: { id: 'a' } },
        { stream: 'firmwareRemoved', payload: { id: 'b' } },
      ],
    ]);
  });

  it('keeps only the latest upgrade per key: a tick of 200 docks times 4 is 200 items', () => {
    const frames: StreamItem[][] = [];
    const b = createStreamBatcher((f) => frames.push(f), 16);
    for (let tick = 1; tick <= 4; tick += 1) for (let i = 0; i < 200; i += 1) b.push('upgrade', row(`DOCK${i}`, tick * 10));
    vi.advanceTimersByTime(16);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toHaveLength(200);
    expect(frames[0]!.every((item) => (item.payload as DeviceUpgrade).percent === 40)).toBe(true);
  });

  it('puts a superseding payload after what came between, and never coalesces events', () => {
    const frames: StreamItem[][] = [];
    const b = createStreamBatcher((f) => frames.push(f), 16);
    const fw = (hashed: number) => ({ id: 'fw1', fileName: 'f.bin', size: 10, addedAt: 't', hashing: { bytes: hashed, total: 10 } });
    b.push('firmware', fw(1));
    b.push('firmwareRemoved', { id: 'fw1' });
    b.push('firmware', fw(2));
    b.push('batch', { batchId: 'b1', total: 1, counts: {} });
    b.push('batch', { batchId: 'b1', total: 1, counts: {} });
    b.flushNow();
    expect(frames[0]!.map((i) => i.stream)).toEqual(['firmwareRemoved', 'firmware', 'batch', 'batch']);
  });

  it('flushes what is queued on close and ignores pushes after it', () => {
    const frames: StreamItem[][] = [];
    const b = createStreamBatcher((f) => frames.push(f), 16);
    b.push('firmwareRemoved', { id: 'a' });
    b.close();
    b.push('firmwareRemoved', { id: 'b' });
    vi.advanceTimersByTime(100);
    expect(frames).toEqual([[{ stream: 'firmwareRemoved', payload: { id: 'a' } }]]);
  });
  it('keeps only the latest vehicle and campaign summary per key, events all', () => {
    const frames: StreamItem[][] = [];
    const b = createStreamBatcher((f) => frames.push(f), 16);
    const t = '2024-06-03T08:00:00.000Z';
    const vehicle = (device: string, events: number) => ({
      key: `oem|${device}`,
      source: 'oem' as const,
      device,
      campaign: 'c7',
      phase: 'download' as const,
      state: 'running' as const,
      percent: null,
      lastTime: t,
      lastMessage: 'DOWNLOADING',
      events,
      campaigns: 1,
      phases: {},
    });
    const campaign = (vehicles: number) => ({ key: 'oem|c7', source: 'oem' as const, campaign: 'c7', vehicles, counts: { running: vehicles }, lastTime: t });
    b.push('vehicle', vehicle('VINA', 1));
    b.push('campaign', campaign(1));
    b.push('vehicle', vehicle('VINB', 1));
    b.push('campaign', campaign(2));
    b.push('vehicle', vehicle('VINA', 2));
    b.flushNow();
    expect(frames[0]!.map((i) => [i.stream, (i.payload as { key: string }).key])).toEqual([
      ['vehicle', 'oem|VINB'],
      ['campaign', 'oem|c7'],
      ['vehicle', 'oem|VINA'],
    ]);
    expect((frames[0]![1]!.payload as { vehicles: number }).vehicles).toBe(2);
    expect((frames[0]![2]!.payload as { events: number }).events).toBe(2);
  });
});
