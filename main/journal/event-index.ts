// The Log view's index: one row of numbers per event in typed-array columns (about 50 bytes an event),
// with device, campaign and message interned, so filtering a million events is a tight loop over
// arrays and a page is then read from disk by position.
import { SOURCES, STATES, type UpgradeEvent } from '../../preload/api';

export interface EventFilter {
  source?: string | string[];
  device?: string;
  campaign?: string;
  state?: string | string[];
  /** Event time bounds in ms, inclusive; events whose time cannot be read never match a bound. */
  sinceMs?: number;
  untilMs?: number;
  /** Case-insensitive substring of the message, device or campaign. */
  text?: string;
}

export interface EventPosition {
  seq: number;
  segment: number;
  offset: number;
  length: number;
}

const UNKNOWN = 255;

class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  /** Flags the ids whose value contains `needle` (already lower-cased). */
  matching(needle: string): Uint8Array {
    const flags = new Uint8Array(this.values.length);
    for (let i = 0; i < this.values.length; i++) if (this.values[i]!.toLowerCase().includes(needle)) flags[i] = 1;
    return flags;
  }
}

function codeOf(list: readonly string[], value: unknown): number {
  const i = typeof value === 'string' ? list.indexOf(value) : -1;
  return i < 0 ? UNKNOWN : i;
}

function maskOf(list: readonly string[], wanted: string | string[] | undefined): Uint8Array | undefined {
  if (wanted === undefined) return undefined;
  const mask = new Uint8Array(256);
  for (const w of Array.isArray(wanted) ? wanted : [wanted]) {
    const i = list.indexOf(w);
    if (i >= 0) mask[i] = 1;
  }
  return mask;
}

function grow<T extends Float64Array | Uint32Array | Uint8Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

export class EventIndex {
  private size = 0;
  private seq = new Float64Array(1024);
  private segment = new Uint32Array(1024);
  private offset = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private time = new Float64Array(1024);
  private source = new Uint8Array(1024);
  private state = new Uint8Array(1024);
  private device = new Uint32Array(1024);
  private campaign = new Uint32Array(1024);
  private message = new Uint32Array(1024);
  private readonly devices = new Interner();
  private readonly campaigns = new Interner();
  private readonly messages = new Interner();

  get count(): number {
    return this.size;
  }

  add(position: EventPosition, t: number | undefined, event: Partial<UpgradeEvent>): void {
    if (this.size === this.seq.length) this.resize(this.size * 2);
    const i = this.size++;
    this.seq[i] = position.seq;
    this.segment[i] = position.segment;
    this.offset[i] = position.offset;
    this.length[i] = position.length;
    this.time[i] = t ?? NaN;
    this.source[i] = codeOf(SOURCES, event.source);
    this.state[i] = codeOf(STATES, event.state);
    this.device[i] = this.devices.id(String(event.device ?? ''));
    this.campaign[i] = this.campaigns.id(String(event.campaign ?? ''));
    this.message[i] = this.messages.id(String(event.message ?? ''));
  }

  /** Matching positions for one page, in seq order (asc) or reverse seq order (desc), plus the total. */
  query(filter: EventFilter, order: 'asc' | 'desc', skip: number, limit: number): { positions: EventPosition[]; total: number } {
    const sources = maskOf(SOURCES, filter.source);
    const states = maskOf(STATES, filter.state);
    const device = filter.device === undefined ? undefined : this.devices.find(filter.device);
    const campaign = filter.campaign === undefined ? undefined : this.campaigns.find(filter.campaign);
    if ((filter.device !== undefined && device === undefined) || (filter.campaign !== undefined && campaign === undefined)) {
      return { positions: [], total: 0 };
    }
    const needle = filter.text ? filter.text.toLowerCase() : undefined;
    const text = needle
      ? { devices: this.devices.matching(needle), campaigns: this.campaigns.matching(needle), messages: this.messages.matching(needle) }
      : undefined;
    const since = filter.sinceMs;
    const until = filter.untilMs;
    const positions: EventPosition[] = [];
    let total = 0;
    const n = this.size;
    for (let k = 0; k < n; k++) {
      const i = order === 'asc' ? k : n - 1 - k;
      if (sources && sources[this.source[i]!] !== 1) continue;
      if (states && states[this.state[i]!] !== 1) continue;
      if (device !== undefined && this.device[i] !== device) continue;
      if (campaign !== undefined && this.campaign[i] !== campaign) continue;
      if (since !== undefined && !(this.time[i]! >= since)) continue;
      if (until !== undefined && !(this.time[i]! <= until)) continue;
      if (text && text.messages[this.message[i]!] !== 1 && text.devices[this.device[i]!] !== 1 && text.campaigns[this.campaign[i]!] !== 1) continue;
      if (total >= skip && positions.length < limit) {
        positions.push({ seq: this.seq[i]!, segment: this.segment[i]!, offset: this.offset[i]!, length: this.length[i]! });
      }
      total++;
    }
    return { positions, total };
  }

  private resize(capacity: number): void {
    this.seq = grow(this.seq, capacity);
    this.segment = grow(this.segment, capacity);
    this.offset = grow(this.offset, capacity);
    this.length = grow(this.length, capacity);
    this.time = grow(this.time, capacity);
    this.source = grow(this.source, capacity);
    this.state = grow(this.state, capacity);
    this.device = grow(this.device, capacity);
    this.campaign = grow(this.campaign, capacity);
    this.message = grow(this.message, capacity);
  }
}
