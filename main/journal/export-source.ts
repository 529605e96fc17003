// What every export shares: the filtered event stream read from the journal batch by batch, progress,
// and writing to a stream with backpressure so an export never holds the whole history in memory.
import type { Writable } from 'node:stream';
import type { UpgradeEvent } from '../../preload/api';
import type { Journal } from './journal';
import { maskFileTokens } from './mask-file-tokens';
import { isEventRecord, type EventRecord, type JournalRecord, type Sequenced } from './records';

export interface ExportFilter {
  /** ISO 8601: only events at or after this time (events whose time cannot be read are left out). */
  since?: string;
  /** Only this device's events. */
  device?: string;
}

/** Who, where and for whom: written into every format (CSV columns, a JSONL `job`, the report). */
export interface JobDetails {
  site?: string;
  technician?: string;
  customer?: string;
  notes?: string;
}

export const JOB_FIELDS = ['site', 'technician', 'customer', 'notes'] as const;

/** The details given, or undefined when none was. */
export function jobOf(opts: JobDetails): JobDetails | undefined {
  const given = JOB_FIELDS.filter((k) => opts[k] !== undefined && opts[k] !== '');
  return given.length ? Object.fromEntries(given.map((k) => [k, opts[k]])) : undefined;
}

export interface ExportOptions extends ExportFilter, JobDetails {
  /** Events read so far and events in the journal. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  events: number;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

export function sinceMs(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = Date.parse(since);
  if (!Number.isFinite(ms)) throw new ExportError(`--since is not a date: "${since}" (use ISO 8601, e.g. 2025-06-02T08:00:00Z)`);
  return ms;
}

/** Filtered events in journal order, one array per chunk read. */
export async function* exportEvents(journal: Journal, opts: ExportOptions): AsyncGenerator<UpgradeEvent[]> {
  for await (const batch of exportRecords(journal, opts, ['event'])) {
    yield batch.map((r) => (r as EventRecord).event);
  }
}

/**
 * Records of the given kinds, file tokens masked (every export format reads through here); events
 * filtered by device and time, the others left for the caller.
 * Progress counts records of those kinds read so far against all of them in the journal.
 */
export async function* exportRecords(journal: Journal, opts: ExportOptions, kinds: string[]): AsyncGenerator<Sequenced<JournalRecord>[]> {
  const since = sinceMs(opts.since);
  const byKind = journal.stats().byKind;
  const total = kinds.reduce((n, k) => n + (byKind[k] ?? 0), 0);
  const progress = opts.onProgress;
  const onScanned = progress && ((n: number) => progress(Math.min(n, total), total));
  for await (const batch of journal.replayBatches({ kinds, sinceMs: since, onScanned })) {
    const kept = opts.device === undefined ? batch : batch.filter((r) => !isEventRecord(r) || r.event.device === opts.device);
    if (kept.length > 0) yield kept.map(maskFileTokens);
  }
  progress?.(total, total);
}

/** Writes one chunk, waiting for the stream to drain when its buffer is full. */
export function writeChunk(out: Writable, chunk: string): Promise<void> | undefined {
  if (out.destroyed) throw new ExportError('the output closed before the export finished');
  if (out.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(new ExportError('the output closed before the export finished'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
