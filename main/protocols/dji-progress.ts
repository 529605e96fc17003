// Reads the `data` of an ota_progress event or an ota_create services_reply, whatever firmware sent it.
// Pure and total: every shape in spec 004 and the field notes is accepted, anything else is a typed error.

export const DJI_TASK_STATUSES = ['sent', 'in_progress', 'paused', 'ok', 'failed', 'rejected', 'canceled', 'timeout'] as const;
export type DjiTaskStatus = (typeof DJI_TASK_STATUSES)[number];

export type DjiStep = 'download' | 'upgrade';

/** The sub_status values spec 004 lists. */
export const DJI_SUB_STATUSES = [
  'UNKNOWN',
  'VERIFY',
  'VERIFY_SUCCESS',
  'UPGRADING',
  'UPGRADE_SUCCESS',
  'UPGRADE_FAIL',
  'DOWNLOADING',
  'DOWNLOAD_SUCCESS',
  'DOWNLOAD_FAILED',
  'UPLOADING_DRONE',
  'VERIFY_FAILED',
] as const;
export type DjiSubStatus = (typeof DJI_SUB_STATUSES)[number];

/** Every way firmware names the step: step_key, current_step (string or 1/2), or an integer `step`. */
export const STEP_NAMES: Readonly<Record<string, DjiStep>> = {
  download_firmware: 'download',
  upgrade_firmware: 'upgrade',
  '1': 'download',
  '2': 'upgrade',
};

export interface DjiProgress {
  result: number;
  status: DjiTaskStatus | null;
  subStatus: DjiSubStatus | null;
  /** A sub_status value we do not know, kept so the log shows what the dock said. */
  unknownSubStatus?: string;
  step: DjiStep | null;
  percent: number | null;
  /** Download speed in bytes/s, where the dock reports it (`ext.rate`). */
  rate: number | null;
}

export type DjiProgressResult = { ok: true; progress: DjiProgress } | { ok: false; reason: string };

/** A field's value for a reason: short, and never a throw (a value nested too deep for JSON.stringify). */
function shown(v: unknown): string {
  try {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Array.isArray(v) ? 'a list nested too deep to show' : 'a value nested too deep to show';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function readStep(progress: Record<string, unknown>): DjiStep | null {
  for (const key of ['step_key', 'current_step', 'step']) {
    const v = progress[key];
    if (v === undefined || v === null || v === '') continue;
    const step = STEP_NAMES[String(v)];
    if (step) return step;
  }
  return null;
}

export function readDjiProgress(data: unknown): DjiProgressResult {
  if (!isRecord(data)) return { ok: false, reason: 'data is not an object' };
  const result = data.result === undefined ? 0 : toNumber(data.result);
  if (result === null || !Number.isInteger(result)) return { ok: false, reason: `result is not an integer: ${shown(data.result)}` };
  const output = data.output === undefined ? {} : data.output;
  if (!isRecord(output)) return { ok: false, reason: 'output is not an object' };

  let status: DjiTaskStatus | null = null;
  if (output.status !== undefined && output.status !== '') {
    if (typeof output.status !== 'string' || !(DJI_TASK_STATUSES as readonly string[]).includes(output.status)) {
      return { ok: false, reason: `unknown status ${shown(output.status)}` };
    }
    status = output.status as DjiTaskStatus;
  }

  let subStatus: DjiSubStatus | null = null;
  let unknownSubStatus: string | undefined;
  if (typeof output.sub_status === 'string' && output.sub_status !== '') {
    if ((DJI_SUB_STATUSES as readonly string[]).includes(output.sub_status)) subStatus = output.sub_status as DjiSubStatus;
    else unknownSubStatus = output.sub_status;
  }

  const progress = isRecord(output.progress) ? output.progress : {};
  const rawPercent = toNumber(progress.percent);
  const percent = rawPercent === null ? null : Math.min(100, Math.max(0, Math.round(rawPercent)));
  const ext = isRecord(output.ext) ? output.ext : isRecord(data.ext) ? data.ext : isRecord(progress.ext) ? progress.ext : {};
  const rate = toNumber(ext.rate);

  const read: DjiProgress = { result, status, subStatus, step: readStep(progress), percent, rate: rate !== null && rate >= 0 ? rate : null };
  if (unknownSubStatus !== undefined) read.unknownSubStatus = unknownSubStatus;
  return { ok: true, progress: read };
}
