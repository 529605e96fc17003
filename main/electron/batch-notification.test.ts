import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../test-support/memory-backend';
import { batchNotice, notifyWhenBatchesEnd } from './batch-notification';

describe('notifyWhenBatchesEnd', () => {
  it('tells once per ended batch, with counts in words', () => {
    const backend = createMemoryBackend();
    const notices: unknown[] = [];
    notifyWhenBatchesEnd(backend, (n) => notices.push(n));
    backend.emit('batch', { batchId: 'b1', total: 3, counts: { in_progress: 3 } });
    backend.emit('batch', { batchId: 'b1', total: 3, counts: { ok: 2, failed: 1 }, endedAt: 't' });
    backend.emit('batch', { batchId: 'b1', total: 3, counts: { ok: 2, failed: 1 }, endedAt: 't' });
    expect(notices).toEqual([{ title: 'Upgrade batch finished with problems', body: '3 devices: 2 upgraded and verified, 1 failed' }]);
  });

  it('reads a clean batch as finished', () => {
    expect(batchNotice({ batchId: 'b', total: 1, counts: { ok: 1 } })).toEqual({ title: 'Upgrade batch finished', body: '1 device: 1 upgraded and verified' });
  });
});
