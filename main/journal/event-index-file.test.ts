import { describe, expect, it } from 'vitest';
import { EventIndex } from './event-index';
import { decodeSidecar, encodeSidecar, sidecarName } from './event-index-file';
import { makeEvent } from '../../test-support/upgrade-events';

function indexOf(events: number, segmentOf: (i: number) => number) {
  const index = new EventIndex();
  for (let i = 0; i < events; i++) {
    const e = makeEvent(i);
    index.add({ seq: i + 1, segment: segmentOf(i), offset: i * 100, length: 100 }, Date.parse(e.time), e);
  }
  return index;
}

describe('event index sidecar', () => {
  it('is named after its segment', () => expect(sidecarName('000012.jsonl')).toBe('000012.events.idx'));

  it('round-trips a segment slice into another index that answers queries the same way', () => {
    const original = indexOf(60, (i) => (i < 25 ? 1 : 2));
    const rebuilt = new EventIndex();
    for (const segment of [1, 2]) {
      const decoded = decodeSidecar(encodeSidecar(original.slice(segment)!, 1234), 1234);
      expect(decoded).toBeDefined();
      rebuilt.addSlice(segment, decoded!);
    }
    expect(rebuilt.count).toBe(60);
    const filters = [{}, { device: 'DEV-2' }, { state: 'failed', source: ['oem', 'dji'] }, { text: 'step 4' }, { sinceMs: Date.parse(makeEvent(30).time) }];
    for (const f of filters) {
      for (const order of ['asc', 'desc'] as const) expect(rebuilt.query(f, order, 3, 10)).toEqual(original.query(f, order, 3, 10));
    }
  });

  it('is ignored when it was made from a segment of another size, or a byte changed', () => {
    const buf = encodeSidecar(indexOf(10, () => 1).slice(1)!, 5000);
    expect(decodeSidecar(buf, 5001)).toBeUndefined();
    const flipped = Buffer.from(buf);
    flipped[flipped.length - 3]! ^= 1;
    expect(decodeSidecar(flipped, 5000)).toBeUndefined();
    expect(decodeSidecar(buf.subarray(0, buf.length - 8), 5000)).toBeUndefined();
    expect(decodeSidecar(Buffer.from('garbage'), 5000)).toBeUndefined();
  });
});
