import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { manualFrames } from '../testing/manual-frames';
import { createFrameScheduler, type QueuedPush } from './frame-scheduler';

describe('createFrameScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies everything queued since the last frame in one call, once per frame', () => {
    const frames = manualFrames();
    const applied: QueuedPush[][] = [];
    const s = createFrameScheduler((items) => applied.push(items), frames.clock);
    for (let i = 0; i < 200; i += 1) s.enqueue('firmwareRemoved', { id: `f${i}` });
    expect(applied).toEqual([]);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(applied).toHaveLength(1);
    expect(applied[0]).toHaveLength(200);
    frames.frame();
    expect(applied).toHaveLength(1);
  });

  it('flushes on a timer when no frame comes (a hidden tab)', () => {
    const frames = manualFrames();
    const applied: QueuedPush[][] = [];
    const s = createFrameScheduler((items) => applied.push(items), frames.clock, 250);
    s.enqueue('firmwareRemoved', { id: 'a' });
    vi.advanceTimersByTime(250);
    expect(applied).toEqual([[{ stream: 'firmwareRemoved', payload: { id: 'a' } }]]);
    expect(frames.pending()).toBe(0);
  });

  it('drops the queue on dispose', () => {
    const frames = manualFrames();
    const applied: QueuedPush[][] = [];
    const s = createFrameScheduler((items) => applied.push(items), frames.clock);
    s.enqueue('firmwareRemoved', { id: 'a' });
    s.dispose();
    frames.frame();
    vi.advanceTimersByTime(1000);
    expect(applied).toEqual([]);
  });
});
