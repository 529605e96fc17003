// Vehicles of the OEM REST protocol (spec 003) POSTing C_xx_Req notifications to /ingest/oem: one
// `signed` envelope with one event each, from user acceptance (C_10) through download (C_12/13/15/16),
// installation (C_19/20) and activation (C_22/23/24) to update complete (C_35). The fail scenario stops
// mid-download with a vehicle error notification (C_28).
import { hexId, simulatedFleet } from './vehicle-ids';
import { noTransport, unixSeconds, type FleetOptions, type ProtocolScript, type VehiclePlan, type Via } from './vehicle-script';

const PACKAGE_BYTES = 48_234_496;

interface Notification {
  /** The spec's message name, for readers of this table; it does not travel. */
  name: string;
  eventsType: string;
  status: string;
  /** C_10, C_12 and C_28 carry currentTime.time as a string in the spec; the others as a number. */
  timeAsString?: boolean;
  extras?: Record<string, unknown>;
  started?: boolean;
}

const downloadExtras = (bytes: number) => ({ downloadExtras: { downloadSize: PACKAGE_BYTES, transportType: 'wifi', bytesDownloaded: bytes } });

const ACCEPT_AND_DOWNLOAD: Notification[] = [
  { name: 'C_10_Req', eventsType: 'notification', status: 'accepted', timeAsString: true },
  { name: 'C_12_Req', eventsType: 'download', status: 'accepted', timeAsString: true, extras: downloadExtras(0), started: true },
  { name: 'C_13_Req', eventsType: 'download', status: 'started', extras: downloadExtras(0), started: true },
  { name: 'C_15_Req', eventsType: 'download', status: 'inProgress', extras: downloadExtras(Math.round(PACKAGE_BYTES * 0.3)), started: true },
];

const COMPLETE: Notification[] = [
  { name: 'C_15_Req', eventsType: 'download', status: 'inProgress', extras: downloadExtras(Math.round(PACKAGE_BYTES * 0.7)), started: true },
  {
    name: 'C_16_Req',
    eventsType: 'download',
    status: 'success',
    extras: { downloadExtras: { ...downloadExtras(PACKAGE_BYTES).downloadExtras, oemErrors: [] } },
    started: true,
  },
  { name: 'C_19_Req', eventsType: 'installation', status: 'accepted', started: true },
  {
    name: 'C_20_Req',
    eventsType: 'installation',
    status: 'inProgress',
    extras: { installProgressExtras: { numEcus: 1, completeEcus: 0, ecuProgress: [{ totalBytes: PACKAGE_BYTES, targetId: '1', bytesProcessed: PACKAGE_BYTES / 2 }] } },
    started: true,
  },
  { name: 'C_22_Req', eventsType: 'activate', status: 'accepted', started: true },
  { name: 'C_23_Req', eventsType: 'activate', status: 'inProgress', extras: { activateProgressExtras: { totalActivation: 1, completeActivation: 0 } }, started: true },
  { name: 'C_24_Req', eventsType: 'activate', status: 'success', started: true },
  { name: 'C_35_Req', eventsType: 'updateComplete', status: 'success' },
];

const STORAGE_FULL = { code: 2207, description: 'package storage full during download' };

const FAIL: Notification = {
  name: 'C_28_Req',
  eventsType: 'error',
  status: 'failure',
  timeAsString: true,
  extras: {
    errorExtras: [{ phaseCode: 2, siteCode: 1, oemCode: STORAGE_FULL.code, targetId: '1' }],
    errorCodes: [STORAGE_FULL],
  },
  started: true,
};

function event(n: Notification, attemptId: string, reportId: number, now: Date, startedAt: Date): Record<string, unknown> {
  const seconds = unixSeconds(now);
  const extras = { ...n.extras };
  if (n.name === 'C_24_Req') {
    extras.activationExtras = {
      updateTimeUTS: seconds,
      updateStatus: 'success',
      ecuInfo: [{ targetId: '1', ecuSoftwareId: '1', updateStatus: 'success', errorCodes: [], updateMethod: 'ota' }],
      oemErrors: [],
    };
  }
  return {
    eventsUuid: hexId(16),
    eventsType: n.eventsType,
    eventMode: 'active',
    currentTime: { time: n.timeAsString ? String(seconds) : seconds, clockSource: 'default' },
    status: n.status,
    // The spec's C_28 example has no attempt id; ours carry it so the failure lands on the campaign.
    attemptId,
    reportId: String(reportId),
    ...extras,
    ...(n.started ? { timeStarted: { time: unixSeconds(startedAt), clockSource: 'default' } } : {}),
  };
}

function vehicle(vin: string, attemptId: string, opts: FleetOptions): VehiclePlan {
  const script = opts.scenario === 'fail' ? [...ACCEPT_AND_DOWNLOAD, FAIL] : [...ACCEPT_AND_DOWNLOAD, ...COMPLETE];
  let startedAt: Date | undefined;
  return {
    name: vin,
    messages: script.map((n, i) => (now: Date, via: Via) => {
      if (via !== 'http') noTransport('oem', via);
      startedAt ??= now;
      const body = { signed: { vin, primaryId: '0', events: [event(n, attemptId, i + 1, now, startedAt)] } };
      return { via, path: '/ingest/oem', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    }),
  };
}

export const oemScript: ProtocolScript = {
  protocol: 'oem',
  transports: ['http'],
  fleet(opts) {
    // The spec asks for an attempt id unique per upgrade and suggests the campaign id.
    const attemptId = String(20_000 + (Number.parseInt(hexId(2), 16) % 80_000));
    return simulatedFleet(opts.vehicles).map((vin) => vehicle(vin, attemptId, opts));
  },
};
