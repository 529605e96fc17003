// Each recorded event stays small however large the payload it came from: a raw payload past the cap is
// replaced by a note with its original size and its first characters, and an over-long message is cut,
// saying so. A 30 MiB ota_progress then costs a few KiB in the journal, the Log and the window.
import type { UpgradeEvent } from '../../preload/api';

export const MAX_RAW_JSON_CHARS = 64 * 1024;
export const RAW_HEAD_CHARS = 4 * 1024;
export const MAX_MESSAGE_CHARS = 8 * 1024;

/** What replaces a raw payload past the cap. */
export interface TruncatedRaw {
  truncated: string;
  originalBytes: number;
  head: string;
}

/**
 * Whether JSON.stringify(value) could be longer than `limit`, from an upper bound (every string char
 * escaped as \uXXXX) that gives up as soon as it passes the limit, so a small payload costs no stringify.
 */
function mightExceed(value: unknown, limit: number): boolean {
  let budget = limit;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') budget -= v.length * 6 + 2;
    else if (Array.isArray(v)) {
      budget -= v.length + 2;
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        budget -= key.length * 6 + 4;
        stack.push(item);
      }
      budget -= 2;
    } else budget -= 24;
    if (budget < 0) return true;
  }
  return false;
}

export function capRaw(raw: unknown, limit = MAX_RAW_JSON_CHARS): unknown {
  if (!mightExceed(raw, limit)) return raw;
  const json = JSON.stringify(raw) ?? '';
  if (json.length <= limit) return raw;
  const originalBytes = Buffer.byteLength(json, 'utf8');
  const capped: TruncatedRaw = {
    truncated: `raw payload of ${originalBytes} bytes truncated to its first ${RAW_HEAD_CHARS} characters`,
    originalBytes,
    head: json.slice(0, RAW_HEAD_CHARS),
  };
  return capped;
}

function capMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)}… (message of ${message.length} characters truncated)`;
}

/** The event as it is recorded: itself when within the caps, else a copy with raw and message capped. */
export function capEventSize(event: UpgradeEvent): UpgradeEvent {
  const raw = capRaw(event.raw);
  const message = typeof event.message === 'string' ? capMessage(event.message) : event.message;
  return raw === event.raw && message === event.message ? event : { ...event, raw, message };
}
