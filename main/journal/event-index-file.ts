// A sealed segment's Log-view index rows saved beside it (`000001.events.idx`), so a restart loads a
// million events' index in milliseconds instead of parsing every line again. Advisory like index.json:
// it names the segment size it was made from and carries a crc32 of its columns, and anything that
// does not match is ignored and rebuilt from the segment.
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import type { SegmentSlice } from './event-index';

const FORMAT = 'dockside-event-index-1';

export function sidecarName(segmentName: string): string {
  return segmentName.replace(/\.jsonl$/, '.events.idx');
}

type Column = Exclude<keyof SegmentSlice, 'devices' | 'campaigns' | 'messages'>;
const COLUMNS: Array<[Column, Float64ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor]> = [
  ['seq', Float64Array],
  ['offset', Float64Array],
  ['time', Float64Array],
  ['length', Uint32Array],
  ['device', Uint32Array],
  ['campaign', Uint32Array],
  ['message', Uint32Array],
  ['source', Uint8Array],
  ['state', Uint8Array],
];

interface Header {
  format: string;
  endian: string;
  segmentBytes: number;
  count: number;
  crc: number;
  devices: string[];
  campaigns: string[];
  messages: string[];
}

function checksum(columns: Buffer, tables: Pick<SegmentSlice, 'devices' | 'campaigns' | 'messages'>): number {
  return crc32(columns, crc32(JSON.stringify([tables.devices, tables.campaigns, tables.messages])));
}

export function encodeSidecar(slice: SegmentSlice, segmentBytes: number): Buffer {
  const columns = Buffer.concat(COLUMNS.map(([name]) => Buffer.from(slice[name].buffer, slice[name].byteOffset, slice[name].byteLength)));
  const header: Header = {
    format: FORMAT,
    endian: endianness(),
    segmentBytes,
    count: slice.seq.length,
    crc: checksum(columns, slice),
    devices: slice.devices,
    campaigns: slice.campaigns,
    messages: slice.messages,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(json.length);
  return Buffer.concat([size, json, columns]);
}

/** The slice, or undefined when the file is not a sidecar of a segment of exactly this size. */
export function decodeSidecar(buf: Buffer, segmentBytes: number): SegmentSlice | undefined {
  try {
    if (buf.length < 4) return undefined;
    const headerEnd = 4 + buf.readUInt32LE(0);
    const header = JSON.parse(buf.toString('utf8', 4, headerEnd)) as Header;
    if (header.format !== FORMAT || header.endian !== endianness() || header.segmentBytes !== segmentBytes) return undefined;
    const n = header.count;
    const columns = buf.subarray(headerEnd);
    const expected = COLUMNS.reduce((sum, [, Type]) => sum + n * Type.BYTES_PER_ELEMENT, 0);
    if (columns.length !== expected || checksum(columns, header) !== header.crc) return undefined;
    const slice = { devices: header.devices, campaigns: header.campaigns, messages: header.messages } as SegmentSlice;
    let at = 0;
    for (const [name, Type] of COLUMNS) {
      const column = new Type(n);
      const bytes = n * Type.BYTES_PER_ELEMENT;
      new Uint8Array(column.buffer).set(columns.subarray(at, at + bytes));
      at += bytes;
      (slice as unknown as Record<string, unknown>)[name] = column;
    }
    const inRange = (ids: Uint32Array, table: string[]) => ids.every((id) => id < table.length);
    const ok = inRange(slice.device, slice.devices) && inRange(slice.campaign, slice.campaigns) && inRange(slice.message, slice.messages);
    return ok ? slice : undefined;
  } catch {
    return undefined;
  }
}
