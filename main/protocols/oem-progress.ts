// Percent for the OEM progress notifications: each phase has its own extras block, and a block is read
// only for its own phase (C_12 download *acceptance* carries downloadExtras too: consent has no percent).
import type { Phase } from '../../preload/api';
import { isObject, kindOf, optNumber, optObject, ratioPercent, type Obj } from './fields';
import { malformed } from './malformed';

function downloadPercent(event: Obj, at: string): number | null {
  const extras = optObject(event, 'downloadExtras', at);
  if (!extras) return null;
  const done = optNumber(extras, 'bytesDownloaded', `${at}downloadExtras.`);
  const total = optNumber(extras, 'downloadSize', `${at}downloadExtras.`);
  if (done === undefined || total === undefined) return null;
  return ratioPercent(done, total, `${at}downloadExtras bytesDownloaded/downloadSize`);
}

function installPercent(event: Obj, at: string): number | null {
  const extras = optObject(event, 'installProgressExtras', at);
  if (!extras) return null;
  const ecus = extras.ecuProgress;
  if (Array.isArray(ecus) && ecus.length > 0) {
    let done = 0;
    let total = 0;
    ecus.forEach((ecu, i) => {
      const ecuAt = `${at}installProgressExtras.ecuProgress[${i}]`;
      if (!isObject(ecu)) malformed(`${ecuAt} is ${kindOf(ecu)}, expected an object`);
      done += optNumber(ecu, 'bytesProcessed', `${ecuAt}.`) ?? 0;
      total += optNumber(ecu, 'totalBytes', `${ecuAt}.`) ?? 0;
    });
    return ratioPercent(done, total, `${at}installProgressExtras bytesProcessed/totalBytes`);
  }
  const done = optNumber(extras, 'completeEcus', `${at}installProgressExtras.`);
  const total = optNumber(extras, 'numEcus', `${at}installProgressExtras.`);
  if (done === undefined || total === undefined) return null;
  return ratioPercent(done, total, `${at}installProgressExtras completeEcus/numEcus`);
}

function activatePercent(event: Obj, at: string): number | null {
  const extras = optObject(event, 'activateProgressExtras', at);
  if (!extras) return null;
  const done = optNumber(extras, 'completeActivation', `${at}activateProgressExtras.`);
  const total = optNumber(extras, 'totalActivation', `${at}activateProgressExtras.`);
  if (done === undefined || total === undefined) return null;
  return ratioPercent(done, total, `${at}activateProgressExtras completeActivation/totalActivation`);
}

export function oemPercent(event: Obj, phase: Phase, at: string): number | null {
  if (phase === 'download') return downloadPercent(event, at);
  if (phase === 'install') return installPercent(event, at);
  if (phase === 'activate') return activatePercent(event, at);
  return null;
}
