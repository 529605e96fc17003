// One accepted ota_create, as a dock runs it: download every device's own file at once (really, over HTTP, on one
// keep-alive agent), check each MD5 and size, push the package to the aircraft, upgrade. It reports one
// ProgressSnapshot a tick; the dock turns them into ota_progress events. A scenario can break it at a chosen point.
import { setTimeout as delay } from 'node:timers/promises';
import { DOCK_ERRORS } from './dock-errors';
import { FirmwareDownload, keepAliveAgents } from './firmware-download';
import type { OtaDevice } from './ota-create-request';
import { UPGRADE_PLAN, type ProgressSnapshot, type SubStatus } from './progress-shapes';
import type { ScenarioSpec } from './scenarios';

export interface JobContext {
  scenario: ScenarioSpec;
  intervalMs: number;
  /** Read at most this many bytes a second, all files together; without it a file takes about DEFAULT_DOWNLOAD_TICKS ticks. */
  downloadBytesPerSec?: number;
  /** Pauses before resuming a broken download (firmware-download.ts's default when absent). */
  retryDelaysMs?: readonly number[];
  /** The drone's SN, to know which device needs UPLOADING_DRONE. */
  drone?: string;
  /** false: stop after installing without reporting `ok` (the dock restarts to apply the firmware). */
  reportOk: boolean;
  report: (snapshot: ProgressSnapshot) => void;
  log: (line: string) => void;
  /** Aborted when the dock stops or loses power: the job ends without another report. */
  signal: AbortSignal;
}

export type JobOutcome = { status: 'ok'; bytes: Record<string, number> } | { status: 'failed'; subStatus: SubStatus; result: number; reason: string; bytes: Record<string, number> };

/** Pacing when no rate is given: long enough to show a climbing bar, short enough for a demo. */
export const DEFAULT_DOWNLOAD_TICKS = 8;

/** A tiny change to a hex digest: same length, different value. */
function spoil(md5: string): string {
  return (md5[0] === '0' ? '1' : '0') + md5.slice(1);
}

interface DeviceDownload {
  device: OtaDevice;
  download: FirmwareDownload;
  /** Bytes it may read a tick. */
  perTick: number;
}

function bytesPerTick(device: OtaDevice, devices: number, ctx: JobContext): number {
  if (ctx.downloadBytesPerSec) return Math.max(1, Math.floor((ctx.downloadBytesPerSec * ctx.intervalMs) / 1000 / devices));
  return device.fileSize ? Math.ceil(device.fileSize / DEFAULT_DOWNLOAD_TICKS) : Infinity;
}

export async function runOtaJob(devices: OtaDevice[], ctx: JobContext): Promise<JobOutcome> {
  const { scenario, signal } = ctx;
  const tick = () => delay(ctx.intervalMs, undefined, { signal });
  const bytes: Record<string, number> = {};
  const digests: Record<string, string> = {};
  const planned = devices.reduce((n, d) => n + (d.fileSize ?? 0), 0);
  let percent = 0;

  const failed = (subStatus: SubStatus, result: number, reason: string, step: 1 | 2 = 1): JobOutcome => {
    ctx.report({ status: 'failed', subStatus, step, percent, result });
    return { status: 'failed', subStatus, result, reason, bytes };
  };

  const agents = keepAliveAgents();
  const downloads: DeviceDownload[] = devices.map((device) => {
    const perTick = bytesPerTick(device, devices.length, ctx);
    ctx.log(`downloading ${device.fileUrl} for ${device.sn}`);
    const download = new FirmwareDownload(device.fileUrl, {
      allowance: perTick,
      agents,
      ...(ctx.retryDelaysMs && { retryDelaysMs: ctx.retryDelaysMs }),
      onResume: (reason, from) => ctx.log(`download for ${device.sn} broke off (${reason}); resuming from byte ${from}`),
    });
    return { device, download, perTick };
  });
  const stopAll = (reason: string) => {
    for (const d of downloads) d.download.abort(reason);
  };
  signal.addEventListener('abort', () => stopAll('the dock stopped'), { once: true });

  try {
    ctx.report({ status: 'in_progress', subStatus: 'DOWNLOADING', step: 1, percent: 0, result: 0 });
    let lastBytes = 0;
    for (;;) {
      await tick();
      const now = downloads.reduce((n, d) => n + d.download.bytes, 0);
      const total = planned > 0 ? planned : downloads.reduce((n, d) => n + (d.download.contentLength ?? 0), 0);
      percent = Math.max(percent, total > 0 ? Math.min(99, Math.floor((100 * now) / total)) : 0);
      const rate = (Math.max(0, now - lastBytes) * 1000) / ctx.intervalMs;
      lastBytes = now;
      for (const d of downloads) bytes[d.device.sn] = d.download.bytes;
      const broken = downloads.find((d) => d.download.error !== null);
      if (broken) {
        stopAll('another file of the task failed');
        return failed('DOWNLOAD_FAILED', DOCK_ERRORS.downloadFailed, `download of ${broken.device.fileUrl} failed: ${broken.download.error}`);
      }
      const settled = downloads.every((d) => d.download.settled);
      if (scenario.abortDownloadAtPercent !== undefined && (percent >= scenario.abortDownloadAtPercent || settled)) {
        stopAll('simulated: the connection to the file server was lost');
        return failed('DOWNLOAD_FAILED', DOCK_ERRORS.downloadFailed, `download broke off at ${percent}% (scenario)`);
      }
      if (scenario.stallAtPercent !== undefined && (percent >= scenario.stallAtPercent || settled)) {
        for (const d of downloads) d.download.freeze();
        ctx.report({ status: 'in_progress', subStatus: 'DOWNLOADING', step: 1, percent, result: 0, rate });
        ctx.log(`stalled at ${percent}% (scenario): no more reading, no more progress`);
        await new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
      if (settled) break;
      ctx.report({ status: 'in_progress', subStatus: 'DOWNLOADING', step: 1, percent, result: 0, rate });
      for (const d of downloads) d.download.allow(d.perTick);
    }
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
  for (const { device, download } of downloads) {
    digests[device.sn] = scenario.corruptDigest ? spoil(download.result!.md5) : download.result!.md5;
  }

  percent = 100;
  ctx.report({ status: 'in_progress', subStatus: 'DOWNLOAD_SUCCESS', step: 1, percent, result: 0 });
  await tick();
  ctx.report({ status: 'in_progress', subStatus: 'VERIFY', step: 1, percent, result: 0 });
  await tick();
  for (const device of devices) {
    if (digests[device.sn] !== device.md5) {
      return failed('VERIFY_FAILED', DOCK_ERRORS.verifyFailed, `MD5 of ${device.sn}'s file is ${digests[device.sn]}, expected ${device.md5}`);
    }
    if (device.fileSize !== undefined && bytes[device.sn] !== device.fileSize) {
      return failed('VERIFY_FAILED', DOCK_ERRORS.verifyFailed, `${device.sn}'s file has ${bytes[device.sn]} bytes, expected ${device.fileSize}`);
    }
  }
  ctx.report({ status: 'in_progress', subStatus: 'VERIFY_SUCCESS', step: 1, percent, result: 0 });

  const plan = devices.some((d) => d.sn === ctx.drone) ? UPGRADE_PLAN.withDrone : UPGRADE_PLAN.dock;
  for (const [subStatus, p] of plan) {
    await tick();
    percent = p;
    ctx.report({ status: 'in_progress', subStatus, step: 2, percent, result: 0 });
  }
  await tick();
  if (ctx.reportOk) ctx.report({ status: 'ok', subStatus: 'UPGRADE_SUCCESS', step: 2, percent: 100, result: 0 });
  return { status: 'ok', bytes };
}
