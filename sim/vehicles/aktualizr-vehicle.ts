// aktualizr clients reporting a campaign: batches of ReportQueue events POSTed to <target>/events with the
// device named in x-device-id. Three ECUs: two secondaries installed in place, the primary applied and
// completed after its reboot. The fail scenario ends with `success: false` on a download or an install.
import { hexId, randomUUID, simulatedFleet } from './vehicle-ids';
import { isoSeconds, noTransport, type FleetOptions, type ProtocolScript, type VehiclePlan, type Via } from './vehicle-script';

interface EventSpec {
  type: string;
  ecu?: string;
  success?: boolean;
}

function report(vin: string, campaign: string, specs: EventSpec[]) {
  return (now: Date, via: Via) => {
    if (via !== 'http') noTransport('aktualizr', via);
    const events = specs.map((s) => ({
      deviceTime: isoSeconds(now),
      event: s.type === 'campaign_accepted' ? { campaignId: campaign } : { correlationId: `urn:here-ota:campaign:${campaign}`, ecu: s.ecu, ...(s.success === undefined ? {} : { success: s.success }) },
      eventType: { id: s.type, version: 0 },
      id: randomUUID(),
    }));
    return { via, path: '/events', headers: { 'content-type': 'application/json', 'x-device-id': vin }, body: JSON.stringify(events) } as const;
  };
}

function vehicle(vin: string, index: number, campaign: string, opts: FleetOptions): VehiclePlan {
  const [primary, gateway, infotainment] = [hexId(16), hexId(16), hexId(16)];
  const ecus = [primary, gateway, infotainment];
  const steps: EventSpec[][] = [[{ type: 'campaign_accepted' }], ecus.map((ecu) => ({ type: 'EcuDownloadStarted', ecu }))];
  const downloadFails = opts.scenario === 'fail' && index % 2 === 0;
  const installFails = opts.scenario === 'fail' && !downloadFails;
  if (downloadFails) {
    steps.push(ecus.map((ecu) => ({ type: 'EcuDownloadCompleted', ecu, success: ecu !== infotainment })));
  } else {
    steps.push(ecus.map((ecu) => ({ type: 'EcuDownloadCompleted', ecu, success: true })));
    steps.push([
      { type: 'EcuInstallationStarted', ecu: gateway },
      { type: 'EcuInstallationCompleted', ecu: gateway, success: !installFails },
    ]);
    if (!installFails) {
      steps.push([
        { type: 'EcuInstallationStarted', ecu: infotainment },
        { type: 'EcuInstallationCompleted', ecu: infotainment, success: true },
      ]);
      steps.push([
        { type: 'EcuInstallationStarted', ecu: primary },
        { type: 'EcuInstallationApplied', ecu: primary },
      ]);
      steps.push([{ type: 'EcuInstallationCompleted', ecu: primary, success: true }]);
    }
  }
  return { name: vin, messages: steps.map((specs) => report(vin, campaign, specs)) };
}

export const aktualizrScript: ProtocolScript = {
  protocol: 'aktualizr',
  transports: ['http'],
  fleet(opts) {
    const campaign = randomUUID();
    return simulatedFleet(opts.vehicles).map((vin, i) => vehicle(vin, i, campaign, opts));
  },
};
