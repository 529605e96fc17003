// A FrameClock for renderer tests: animation frames come only when the test calls frame().
import type { FrameClock } from '../store/frame-scheduler';

/** Animation frames that come when the test says so. */
export function manualFrames() {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  const clock: FrameClock = {
    request: (cb) => (callbacks.set(++next, cb), next),
    cancel: (h) => void callbacks.delete(h),
  };
  return {
    clock,
    pending: () => callbacks.size,
    frame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb();
    },
  };
}
