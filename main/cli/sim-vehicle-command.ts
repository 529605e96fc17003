// `dockside sim vehicle`: a simulated fleet of one vehicle protocol reporting a campaign to the app.
import { DEFAULT_INTERVAL_MS, DEFAULT_REALM, SimTargetError, startVehicleSim, targetTransport } from '../../sim/vehicles/vehicle-sim';
import type { Scenario } from '../../sim/vehicles/vehicle-script';
import { DEFAULT_CAROTA_TOPIC, VEHICLE_PROTOCOLS, type VehicleProtocol } from '../../wire/vehicles';
import { intOption, parse, type Command } from './command';
import { UsageError, UserError } from '../app/user-errors';
import { waitForSignal } from './signals';
import { INGEST_TOKEN_ENV } from '../ingest/bearer-token';
import { redactBrokerUrl } from '../../wire/broker-url';

const SCENARIOS: readonly Scenario[] = ['ok', 'fail'];

export const vehicleSimCommand: Command = {
  name: 'vehicle',
  summary: 'simulated vehicles reporting an OTA campaign (aktualizr, CarOTA, Edgehog, OEM)',
  usage: `Usage: dockside sim vehicle --protocol aktualizr|carota|edgehog|oem --target URL
                            [--vehicles N] [--scenario ok|fail] [--interval MS]
                            [--realm NAME] [--carota-topic FILTER] [--ingest-token T]

Simulated vehicles run one update campaign each over the protocol's real transport and exit when the
last message was accepted. Prints one line per vehicle as it starts and as it finishes, then the
number of messages sent. Ctrl-C / SIGTERM stops early.

  --protocol P        aktualizr   HTTP: POST <target>/events, device in x-device-id
                      carota      MQTT: envelopes on the CarOTA topic; or HTTP: POST <target>/ingest/carota
                      edgehog     MQTT: BSON on <realm>/<device>/io.edgehog.devicemanager.OTAEvent/event;
                                  or HTTP: POST <target>/ingest/edgehog?device=
                      oem         HTTP: POST <target>/ingest/oem (C_xx_Req notifications)
  --target URL        http://host:port of the app ("dockside web") or mqtt://host:port of its broker
  --vehicles N        how many vehicles (default 1)
  --scenario S        ok: the campaign succeeds; fail: it fails (download, checksum, install or error
                      notification, depending on the protocol and vehicle) (default ok)
  --interval MS       pause between two messages of one vehicle (default ${DEFAULT_INTERVAL_MS})
  --realm NAME        Astarte realm for Edgehog over MQTT (default ${DEFAULT_REALM})
  --carota-topic F    CarOTA topic, + standing for the VIN (default ${DEFAULT_CAROTA_TOPIC})
  --ingest-token T    bearer token for HTTP reports, when the app requires one (default:
                      $${INGEST_TOKEN_ENV})`,
  async run(argv) {
    const { values } = parse(argv, {
      protocol: { type: 'string' },
      target: { type: 'string' },
      vehicles: { type: 'string' },
      scenario: { type: 'string' },
      interval: { type: 'string' },
      realm: { type: 'string' },
      'carota-topic': { type: 'string' },
      'ingest-token': { type: 'string' },
    });
    if (values.protocol === undefined) throw new UsageError('--protocol is required (aktualizr, carota, edgehog or oem)');
    if (!(VEHICLE_PROTOCOLS as readonly string[]).includes(values.protocol)) {
      throw new UsageError(`--protocol must be aktualizr, carota, edgehog or oem, got "${values.protocol}"`);
    }
    const protocol = values.protocol as VehicleProtocol;
    if (values.target === undefined) throw new UsageError('--target URL is required');
    try {
      targetTransport(protocol, values.target);
    } catch (e) {
      throw new UsageError(`--target: ${(e as Error).message}`);
    }
    const scenario = values.scenario ?? 'ok';
    if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new UsageError(`--scenario must be ok or fail, got "${scenario}"`);
    const carotaTopic = values['carota-topic'];
    if (carotaTopic !== undefined && !/^[^#+]*\+[^#+]*$/.test(carotaTopic)) {
      throw new UsageError(`--carota-topic must hold exactly one + (the VIN) and no #, got "${carotaTopic}"`);
    }
    if (values.realm !== undefined && !/^[a-z][a-z0-9]*$/.test(values.realm)) {
      throw new UsageError(`--realm must be an Astarte realm name (lower-case letters and digits), got "${values.realm}"`);
    }

    let sim;
    try {
      sim = await startVehicleSim({
        protocol,
        target: values.target,
        vehicles: intOption(values.vehicles, 'vehicles', 1, 1, 10_000),
        scenario: scenario as Scenario,
        intervalMs: intOption(values.interval, 'interval', DEFAULT_INTERVAL_MS, 0, 3_600_000),
        realm: values.realm,
        carotaTopic,
        ingestToken: values['ingest-token'] ?? (process.env[INGEST_TOKEN_ENV] || undefined),
        onSent: ({ vehicle, sent, of }) => {
          if (sent === of) process.stdout.write(`${vehicle} finished: ${of} messages accepted\n`);
        },
      });
    } catch (e) {
      if (e instanceof SimTargetError) throw new UserError(e.message);
      throw e;
    }
    for (const name of sim.vehicles) process.stdout.write(`${protocol} ${name} → ${redactBrokerUrl(values.target)} (${sim.via}, ${scenario})\n`);
    void waitForSignal().then(() => sim.stop());
    try {
      const { sent } = await sim.done;
      process.stdout.write(`sent ${sent} messages\n`);
      return 0;
    } catch (e) {
      if (e instanceof SimTargetError) throw new UserError(e.message);
      throw e;
    }
  },
};
