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

/** One segment's rows, with its own string tables: what a sidecar file holds. */
export interface SegmentSlice {
  seq: Float64Array;
  offset: Float64Array;
  time: Float64Array;
  length: Uint32Array;
  device: Uint32Array;
  campaign: Uint32Array;
  message: Uint32Array;
  source: Uint8Array;
  state: Uint8Array;
  devices: string[];
  campaigns: string[];
  messages: string[];
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
  /** Rows are added in seq order, so each segment's rows are one contiguous range [first, end). */
  private readonly segmentRows = new Map<number, [number, number]>();

  get count(): number {
    return this.size;
  }

  private noteRow(segment: number, row: number): void {
    const range = this.segmentRows.get(segment);
    if (range) range[1] = row + 1;
    else this.segmentRows.set(segment, [row, row + 1]);
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
    this.noteRow(position.segment, i);
  }

  /** The rows of one segment with local string ids, for writing its sidecar. */
  slice(segment: number): SegmentSlice | undefined {
    const range = this.segmentRows.get(segment);
    if (!range) return undefined;
    const [a, b] = range;
    const local = (ids: Uint32Array, values: string[]) => {
      const map = new Map<number, number>();
      const table: string[] = [];
      const out = new Uint32Array(b - a);
      for (let i = a; i < b; i++) {
        let id = map.get(ids[i]!);
        if (id === undefined) {
          id = table.length;
          map.set(ids[i]!, id);
          table.push(values[ids[i]!]!);
        }
        out[i - a] = id;
      }
      return [out, table] as const;
    };
    const [device, devices] = local(this.device, this.devices.values);
    const [campaign, campaigns] = local(this.campaign, this.campaigns.values);
    const [message, messages] = local(this.message, this.messages.values);
    return {
      seq: this.seq.slice(a, b),
      offset: this.offset.slice(a, b),
      time: this.time.slice(a, b),
      length: this.length.slice(a, b),
      source: this.source.slice(a, b),
      state: this.state.slice(a, b),
      device,
      campaign,
      message,
      devices,
      campaigns,
      messages,
    };
  }

  /** Adds a segment's rows read from its sidecar. */
  addSlice(segment: number, s: SegmentSlice): void {
    const n = s.seq.length;
    if (n === 0) return;
    const remap = (table: string[], interner: Interner) => table.map((v) => interner.id(v));
    const devices = remap(s.devices, this.devices);
    const campaigns = remap(s.campaigns, this.campaigns);
    const messages = remap(s.messages, this.messages);
    if (this.size + n > this.seq.length) this.resize(Math.max(this.seq.length * 2, this.size + n));
    const at = this.size;
    this.seq.set(s.seq, at);
    this.offset.set(s.offset, at);
    this.time.set(s.time, at);
    this.length.set(s.length, at);
    this.source.set(s.source, at);
    this.state.set(s.state, at);
    this.segment.fill(segment, at, at + n);
    for (let i = 0; i < n; i++) {
      this.device[at + i] = devices[s.device[i]!]!;
      this.campaign[at + i] = campaigns[s.campaign[i]!]!;
      this.message[at + i] = messages[s.message[i]!]!;
    }
    this.size += n;
    this.segmentRows.set(segment, [at, at + n]);
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
    const text = needle ? { devices: this.devices.matching(needle), campaigns: this.campaigns.matching(needle), messages: this.messages.matching(needle) } : undefined;
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
