// Stream pushes are applied to the stores once per animation frame, not once per message: a 250 ms
// tick of 200 docks becomes one store update and one render pass. A hidden tab gets no frames, so a
// timer flushes too, keeping the queue short while nobody looks.
import type { StreamName } from '../../preload/api';

export interface QueuedPush {
  stream: StreamName;
  payload: unknown;
}

export interface FrameClock {
  request: (callback: () => void) => number;
  cancel: (handle: number) => void;
}

export interface FrameScheduler {
  enqueue: (stream: StreamName, payload: unknown) => void;
  /** Applies what is queued now (tests, and before a full reload replaces the stores). */
  flush: () => void;
  dispose: () => void;
}

export const browserFrames: FrameClock = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

export function createFrameScheduler(apply: (items: QueuedPush[]) => void, clock: FrameClock = browserFrames, hiddenFlushMs = 250): FrameScheduler {
  let queue: QueuedPush[] = [];
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (frame !== undefined) clock.cancel(frame);
    if (timer !== undefined) clearTimeout(timer);
    frame = undefined;
    timer = undefined;
    const items = queue;
    queue = [];
    if (items.length > 0) apply(items);
  };

  return {
    enqueue(stream, payload) {
      queue.push({ stream, payload });
      if (frame === undefined) {
        frame = clock.request(flush);
        timer = setTimeout(flush, hiddenFlushMs);
      }
    },
    flush,
    dispose() {
      if (frame !== undefined) clock.cancel(frame);
      if (timer !== undefined) clearTimeout(timer);
      frame = undefined;
      timer = undefined;
      queue = [];
    },
  };
}
