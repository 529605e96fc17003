// Event fixtures for the journal and export tests: values of our own, shaped like what decoders emit.
import type { UpgradeEvent } from '../preload/api';
import type { EventRecord } from '../main/journal/records';

const BASE = Date.UTC(2025, 5, 2, 8, 0, 0);

export function makeEvent(i: number, overrides: Partial<UpgradeEvent> = {}): UpgradeEvent {
  const sources = ['dji', 'aktualizr', 'carota', 'edgehog', 'oem'] as const;
  const states = ['pending', 'running', 'succeeded', 'failed'] as const;
  return {
    id: `ev-${i}`,
    time: new Date(BASE + i * 60_000).toISOString(),
    source: sources[i % sources.length]!,
    device: `DEV-${i % 4}`,
    campaign: `camp-${i % 3}`,
    phase: 'download',
    state: states[i % states.length]!,
    percent: i % 3 === 0 ? null : (i * 7) % 101,
    message: `step ${i}`,
    raw: { n: i, nested: { ok: true } },
    ...overrides,
  };
}

export function eventRecord(event: UpgradeEvent): EventRecord {
  return { kind: 'event', event };
}
