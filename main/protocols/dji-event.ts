// DJI ota_progress / services_reply → the normalised UpgradeEvent. Tables as data, one function.
import type { Phase, State, UpgradeEvent } from '../../preload/api';
import { DJI_TASK_STATUS_WORDS, explainDjiCode, subStatusInWords } from '../../preload/dji-codes';
import type { DjiProgress, DjiStep, DjiSubStatus, DjiTaskStatus } from './dji-progress';
import { hashEventId } from './event-id';

export const DJI_STATUS_STATE: Readonly<Record<DjiTaskStatus, State>> = {
  sent: 'pending',
  in_progress: 'running',
  paused: 'paused',
  ok: 'succeeded',
  failed: 'failed',
  rejected: 'failed',
  canceled: 'canceled',
  timeout: 'failed',
};

export const DJI_SUB_STATUS_PHASE: Readonly<Record<DjiSubStatus, Phase | null>> = {
  UNKNOWN: null,
  DOWNLOADING: 'download',
  DOWNLOAD_SUCCESS: 'download',
  DOWNLOAD_FAILED: 'download',
  VERIFY: 'verify',
  VERIFY_SUCCESS: 'verify',
  VERIFY_FAILED: 'verify',
  UPLOADING_DRONE: 'install',
  UPGRADING: 'install',
  UPGRADE_SUCCESS: 'install',
  UPGRADE_FAIL: 'install',
};

const STEP_PHASE: Readonly<Record<DjiStep, Phase>> = { download: 'download', upgrade: 'install' };

export function djiPhase(p: Pick<DjiProgress, 'status' | 'subStatus' | 'step'>): Phase {
  if (p.status === 'ok') return 'done';
  if (p.status === 'sent') return 'queued';
  return (p.subStatus && DJI_SUB_STATUS_PHASE[p.subStatus]) || (p.step && STEP_PHASE[p.step]) || 'queued';
}

export function djiState(p: Pick<DjiProgress, 'status' | 'result'>): State {
  if (p.result !== 0) return 'failed';
  return p.status ? DJI_STATUS_STATE[p.status] : 'running';
}

/** "in_progress / DOWNLOADING (Downloading) 42%", plus the code in words when result is not 0. */
export function djiMessage(p: DjiProgress): string {
  const parts: string[] = [];
  if (p.status) parts.push(`${p.status} (${DJI_TASK_STATUS_WORDS[p.status]})`);
  if (p.subStatus) parts.push(`${p.subStatus} (${subStatusInWords(p.subStatus)})`);
  else if (p.unknownSubStatus) parts.push(`${p.unknownSubStatus} (unknown sub_status)`);
  if (p.result !== 0) parts.push(`result ${explainDjiCode(p.result)}`);
  return parts.join(' / ');
}

export interface DjiEventInput {
  device: string;
  tid: string;
  time: number;
  progress: DjiProgress;
  raw: unknown;
}

export function djiProgressEvent({ device, tid, time, progress, raw }: DjiEventInput): UpgradeEvent {
  return {
    // Derived from what was received: the same message received twice keeps one id.
    id: hashEventId('dji', device, raw),
    time: new Date(time).toISOString(),
    source: 'dji',
    device,
    campaign: tid,
    phase: djiPhase(progress),
    state: djiState(progress),
    percent: progress.percent,
    message: djiMessage(progress),
    raw,
  };
}

/** An app-side fact about a DJI upgrade (command sent, timed out, verified, malformed payload). */
export function djiNote(fields: Omit<UpgradeEvent, 'id' | 'source' | 'time'> & { time?: number }): UpgradeEvent {
  const time = new Date(fields.time ?? Date.now()).toISOString();
  const { time: _ignored, ...rest } = fields;
  return { id: hashEventId('dji', rest.device, rest, time), time, source: 'dji', ...rest };
}
