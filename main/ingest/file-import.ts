// Imports a capture file into the log: .json (one payload or an array of payloads), .jsonl (one payload
// a line, streamed) or .bson (concatenated Edgehog BSON documents, streamed). Each payload is decoded and
// recorded like one that arrived over the network.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import type { UpgradeEvent } from '../../preload/api';
import { deliver, refuse } from './deliver';
import type { VehicleProtocol } from '../../wire/vehicles';
import type { IngestError, IngestSink } from './ingest-sink';
import { detectProtocol, payloadsOf } from './payload-shape';

/** The file as a whole cannot be imported (unreadable, unknown format, protocol unknowable). */
export class ImportError extends Error {
  override name = 'ImportError';
}

export interface ImportOptions {
  /** Skips shape detection: every payload is decoded as this protocol. */
  protocol?: VehicleProtocol;
  /** The device for payloads that do not name one (Edgehog, aktualizr). */
  device?: string;
}

/** `accepted` counts events recorded, `rejected` payloads refused (each one logged as an error entry). */
export interface ImportResult {
  accepted: number;
  rejected: number;
}

/** Accepts go out in batches (the journal syncs once per call); a reject first flushes what came before it. */
const BATCH_EVENTS = 1000;

/** Largest BSON document we take from a capture; a larger length prefix means the file is not BSON. */
const MAX_BSON_DOCUMENT = 16 * 1024 * 1024;

class ImportRun {
  readonly result: ImportResult = { accepted: 0, rejected: 0 };
  private batch: UpgradeEvent[] = [];
  /** Payloads refused before the file's protocol was known, waiting for it. */
  private unplaced: { reason: string; input: unknown; origin: string }[] = [];
  protocol: VehicleProtocol | undefined;

  constructor(
    private readonly sink: IngestSink,
    private readonly path: string,
    private readonly opts: ImportOptions,
  ) {
    this.protocol = opts.protocol;
  }

  /** Collects accepts into batches and keeps rejects in order with them. */
  private readonly batchingSink: IngestSink = {
    accept: async (events) => {
      this.batch.push(...events);
      this.result.accepted += events.length;
      if (this.batch.length >= BATCH_EVENTS) await this.flush();
    },
    reject: async (error: IngestError, origin: string) => {
      await this.flush();
      this.result.rejected += 1;
      await this.sink.reject(error, origin);
    },
  };

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const events = this.batch;
    this.batch = [];
    await this.sink.accept(events, `file ${this.path}`);
  }

  async payload(value: unknown, where: string): Promise<void> {
    const protocol = this.opts.protocol ?? detectProtocol(value);
    if (protocol === null) return this.refuseUnplaced('not an aktualizr, CarOTA, OEM or Edgehog payload', value, where);
    await this.place(protocol);
    await deliver(this.batchingSink, { protocol, input: value, device: this.opts.device }, `file ${this.path} ${where}`);
  }

  async bson(bytes: Uint8Array, where: string): Promise<void> {
    await deliver(this.batchingSink, { protocol: 'edgehog', input: bytes, device: this.opts.device }, `file ${this.path} ${where}`);
  }

  async refuseUnplaced(reason: string, input: unknown, where: string): Promise<void> {
    const origin = `file ${this.path} ${where}`;
    if (this.protocol) return refuse(this.batchingSink, this.protocol, reason, input, origin);
    this.unplaced.push({ reason, input, origin });
  }

  /** The first recognised payload names the protocol of the lines that could not be told apart. */
  private async place(protocol: VehicleProtocol): Promise<void> {
    this.protocol ??= protocol;
    const waiting = this.unplaced;
    this.unplaced = [];
    for (const u of waiting) await refuse(this.batchingSink, this.protocol, u.reason, u.input, u.origin);
  }

  async end(): Promise<ImportResult> {
    if (this.unplaced.length > 0) {
      const first = this.unplaced[0]!;
      throw new ImportError(`${this.path}: no payload of a known protocol (${first.origin}: ${first.reason}); name the protocol to import it`);
    }
    await this.flush();
    return this.result;
  }
}

export async function importFile(path: string, sink: IngestSink, opts: ImportOptions = {}): Promise<ImportResult> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.jsonl' && ext !== '.bson') throw new ImportError(`${path}: expected a .json, .jsonl or .bson capture`);
  if (ext === '.bson' && opts.protocol && opts.protocol !== 'edgehog') throw new ImportError(`${path}: a .bson capture holds Edgehog payloads, not ${opts.protocol}`);
  const run = new ImportRun(sink, path, ext === '.bson' ? { ...opts, protocol: 'edgehog' } : opts);
  try {
    if (ext !== '.bson' && !(await isUtf8File(path))) throw new ImportError(`${path}: not valid UTF-8 text, so not a ${ext} capture`);
    if (ext === '.json') await importJson(path, run);
    else if (ext === '.jsonl') await importJsonLines(path, run);
    else await importBson(path, run);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new ImportError(`${path}: no such file`);
    if (err.code === 'EISDIR') throw new ImportError(`${path}: is a folder, not a capture file`);
    if (err.code === 'EACCES') throw new ImportError(`${path}: not readable`);
    throw e;
  }
  return run.end();
}

/** Read in chunks through a strict decoder: a capture is refused whole rather than read with replacement characters. */
async function isUtf8File(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch (e) {
    if (e instanceof TypeError) return false;
    throw e;
  }
}

async function importJson(path: string, run: ImportRun): Promise<void> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return run.refuseUnplaced(`not JSON: ${(e as Error).message}`, text, 'whole file');
  }
  const payloads = payloadsOf(value, run.protocol);
  for (let i = 0; i < payloads.length; i++) await run.payload(payloads[i], payloads.length > 1 ? `item ${i + 1}` : 'whole file');
}

async function importJsonLines(path: string, run: ImportRun): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      await run.refuseUnplaced(`not JSON: ${(e as Error).message}`, line, `line ${n}`);
      continue;
    }
    await run.payload(value, `line ${n}`);
  }
}

async function importBson(path: string, run: ImportRun): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0;
  let index = 0;
  for await (const chunk of createReadStream(path)) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 4) {
      const size = pending.readInt32LE(0);
      if (size < 5 || size > MAX_BSON_DOCUMENT) {
        // Without a sane length prefix there is no next document to find: refuse the rest in one entry.
        return run.refuseUnplaced(`not a BSON document at byte ${offset}: length prefix ${size}`, new Uint8Array(pending), `document ${index + 1}`);
      }
      if (pending.length < size) break;
      index += 1;
      await run.bson(new Uint8Array(pending.subarray(0, size)), `document ${index} (byte ${offset})`);
      pending = pending.subarray(size);
      offset += size;
    }
  }
  if (pending.length > 0) {
    const expected = pending.length >= 4 ? pending.readInt32LE(0) : 4;
    await run.refuseUnplaced(`truncated BSON document at byte ${offset}: ${expected} bytes expected, the file ends after ${pending.length}`, new Uint8Array(pending), `document ${index + 1}`);
  }
}
