// Test helpers shared by the decoder tests: unwrap a DecodeResult and hold every event to the contract.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { UpgradeEventSchema, type UpgradeEvent } from '../../../preload/api';
import type { DecodeError, DecodeResult } from '../decode-result';

export function eventsOf(result: DecodeResult): UpgradeEvent[] {
  if (!result.ok) throw new Error(`expected events, got a decode error: ${result.error.reason}`);
  for (const event of result.events) expect(UpgradeEventSchema.parse(event)).toEqual(event);
  return result.events;
}

export function onlyEvent(result: DecodeResult): UpgradeEvent {
  const events = eventsOf(result);
  expect(events).toHaveLength(1);
  return events[0]!;
}

export function errorOf(result: DecodeResult): DecodeError {
  if (result.ok) throw new Error(`expected a decode error, got ${result.events.length} event(s)`);
  expect(result.error.kind).toBe('decode-error');
  expect(result.error.reason.length).toBeGreaterThan(0);
  return result.error;
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}
