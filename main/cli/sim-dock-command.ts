// `dockside sim dock …`: a simulated dock on a broker until Ctrl-C / SIGTERM, one line per notable thing.
import { startDockSim } from '../../sim/dji-dock/dock-sim';
import { onboardDock } from '../../sim/dji-dock/onboard';
import { PROGRESS_VARIANTS, type ProgressVariant } from '../../sim/dji-dock/progress-shapes';
import { DEFAULT_REBOOT, isScenarioName, SCENARIO_NAMES, SCENARIOS } from '../../sim/dji-dock/scenarios';
import { intOption, mqttUrlOption, parse } from './command';
import { UsageError, UserError } from '../app/user-errors';
import { waitForSignal } from './signals';

const width = Math.max(...SCENARIO_NAMES.map((n) => n.length));

export const DOCK_SIM_SUMMARY = 'a simulated DJI dock (and aircraft) that answers ota_create like a real one';

export const DOCK_SIM_USAGE = `Usage: dockside sim dock --broker URL --gateway SN [--drone SN] [--scenario NAME] [--interval MS]
                         [--firmware-version V] [--drone-firmware-version V] [--variant SHAPE]
                         [--rate BYTES_PER_SEC] [--client-id ID] [--tid-mode fresh|same]
                         [--reboot SECONDS] [--reboot-ok] [--no-sub-status] [--hms]
                         [--sub-device-key product_type|device_model_key] [--username U --password P]
                         [--onboard [--binding-code CODE] [--organization-id ID] [--callsign NAME]]

Connects to the broker as a DJI Dock 2: announces its topology (update_topo), reports its telemetry (osd every
2 s, state on change), answers ota_create from its state as a dock does (312xxx when it cannot upgrade),
downloads each device's file_url over HTTP (resuming a broken connection), checks each MD5 and reports
ota_progress. Runs until Ctrl-C / SIGTERM. Prints one line per notable thing (connected, ota_create received,
progress, done).

  --broker URL               mqtt:// (or mqtts://, ws://, wss://) URL of the broker (required)
  --gateway SN               the dock's serial number (required)
  --drone SN                 the aircraft in the dock (the drone scenario makes one up when absent)
  --scenario NAME            what the dock does with an ota_create (default ok):
${SCENARIO_NAMES.map((n) => `                               ${n.padEnd(width)}  ${SCENARIOS[n].summary}`).join('\n')}
  --interval MS              time between ota_progress events (default 1000)
  --firmware-version V       the dock's firmware before the upgrade (default 10.01.1612)
  --drone-firmware-version V the aircraft's firmware before the upgrade (default 10.01.1608)
  --variant SHAPE            ota_progress shape: ${PROGRESS_VARIANTS.join(', ')} (default: one per run)
  --rate BYTES_PER_SEC       download speed cap (default: a file takes about eight progress events)
  --client-id ID             MQTT client id (default dock-SN; keep it stable so the broker keeps the session)
  --tid-mode MODE            fresh: each ota_progress has a tid of its own (default); same: the ota_create's tid.
                             Either way every ota_progress carries the ota_create's bid
  --reboot SECONDS           after installing, restart to apply: off MQTT for SECONDS (no DISCONNECT), then back
                             on the same client id with the new firmware_version and no ok (the reboot scenario
                             restarts for ${DEFAULT_REBOOT.offlineMs / 1000} s)
  --reboot-ok                send ok once back from the restart (needs --reboot or --scenario reboot)
  --no-sub-status            ota_progress without the sub_status key, as the Dock 2 documents show it
  --hms                      raise hms health alerts while upgrading (the hms scenario does)
  --sub-device-key KEY       how osd sub_device names the aircraft model: product_type (default) or
                             device_model_key
  --username U, --password P the broker login a dock is given (Dockside's "dock login");
                             the password also from $DOCKSIDE_DOCK_PASSWORD
  --onboard                  join the cloud first, as a dock does: ask for the licence (config), disconnect
                             when it is missing or wrong (exit 1), then ask whether it is bound and bind
                             itself with --binding-code (and --organization-id, --callsign) when not`;

function serialOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[^/+#\s]+$/.test(value)) throw new UsageError(`--${name} must be a serial number without spaces, "/", "+" or "#", got "${value}"`);
  return value;
}

export async function runDockSimCli(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values } = parse(argv, {
    broker: { type: 'string' },
    gateway: { type: 'string' },
    drone: { type: 'string' },
    scenario: { type: 'string' },
    interval: { type: 'string' },
    'firmware-version': { type: 'string' },
    'drone-firmware-version': { type: 'string' },
    variant: { type: 'string' },
    rate: { type: 'string' },
    'client-id': { type: 'string' },
    'tid-mode': { type: 'string' },
    reboot: { type: 'string' },
    'reboot-ok': { type: 'boolean' },
    'no-sub-status': { type: 'boolean' },
    hms: { type: 'boolean' },
    'sub-device-key': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    onboard: { type: 'boolean' },
    'binding-code': { type: 'string' },
    'organization-id': { type: 'string' },
    callsign: { type: 'string' },
  });
  const password = values.password ?? process.env.DOCKSIDE_DOCK_PASSWORD;
  const login = { ...(values.username !== undefined ? { username: values.username } : {}), ...(password !== undefined ? { password } : {}) };
  const brokerUrl = mqttUrlOption(values.broker);
  const gateway = serialOption(values.gateway, 'gateway');
  if (gateway === undefined) throw new UsageError('--gateway SN is required');
  const drone = serialOption(values.drone, 'drone');
  const scenario = values.scenario ?? 'ok';
  if (!isScenarioName(scenario)) throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')}, got "${scenario}"`);
  const variant = values.variant;
  if (variant !== undefined && !(PROGRESS_VARIANTS as readonly string[]).includes(variant)) {
    throw new UsageError(`--variant must be one of ${PROGRESS_VARIANTS.join(', ')}, got "${variant}"`);
  }
  const progressIntervalMs = intOption(values.interval, 'interval', 1000, 10, 600_000);
  const rate = values.rate === undefined ? undefined : intOption(values.rate, 'rate', 0, 1);
  const tidMode = values['tid-mode'];
  if (tidMode !== undefined && tidMode !== 'fresh' && tidMode !== 'same') throw new UsageError(`--tid-mode must be fresh or same, got "${tidMode}"`);
  const subDeviceKey = values['sub-device-key'];
  if (subDeviceKey !== undefined && subDeviceKey !== 'product_type' && subDeviceKey !== 'device_model_key') {
    throw new UsageError(`--sub-device-key must be product_type or device_model_key, got "${subDeviceKey}"`);
  }
  const rebootSeconds = values.reboot === undefined ? undefined : intOption(values.reboot, 'reboot', 0, 0, 3600);
  const scenarioReboot = SCENARIOS[scenario].reboot;
  if (values['reboot-ok'] && rebootSeconds === undefined && !scenarioReboot) throw new UsageError('--reboot-ok needs --reboot SECONDS or --scenario reboot');
  const offlineMs = rebootSeconds !== undefined ? rebootSeconds * 1000 : scenarioReboot?.offlineMs;
  const reboot = offlineMs === undefined ? undefined : { offlineMs, reportOk: values['reboot-ok'] ?? false };

  const print = (line: string) => out.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
  const stopping = new AbortController();
  const signal = waitForSignal().then(() => stopping.abort());
  if (values.onboard) {
    const joined = await onboardDock({
      brokerUrl,
      gateway,
      ...login,
      log: print,
      ...(drone !== undefined && { drone }),
      ...(values['client-id'] !== undefined && { clientId: values['client-id'] }),
      ...(values['binding-code'] !== undefined && { bindingCode: values['binding-code'] }),
      ...(values['organization-id'] !== undefined && { organisationId: values['organization-id'] }),
      ...(values.callsign !== undefined && { callsign: values.callsign }),
    });
    if (!joined.ok) throw new UserError(`${gateway} did not join: ${joined.reason}`);
  }
  let sim;
  try {
    sim = await startDockSim({
      brokerUrl,
      ...login,
      gateway,
      scenario,
      progressIntervalMs,
      log: print,
      signal: stopping.signal,
      ...(drone !== undefined && { drone }),
      ...(values['firmware-version'] !== undefined && { firmwareVersion: values['firmware-version'] }),
      ...(values['drone-firmware-version'] !== undefined && { droneFirmwareVersion: values['drone-firmware-version'] }),
      ...(variant !== undefined && { variant: variant as ProgressVariant }),
      ...(rate !== undefined && { downloadBytesPerSec: rate }),
      ...(values['client-id'] !== undefined && { clientId: values['client-id'] }),
      ...(tidMode !== undefined && { tidMode }),
      ...(reboot !== undefined && { reboot }),
      ...(values['no-sub-status'] && { subStatus: false }),
      ...(values.hms && { hms: true }),
      ...(subDeviceKey !== undefined && { subDeviceModelKey: subDeviceKey }),
    });
  } catch (e) {
    if (stopping.signal.aborted) return 0;
    throw new UserError((e as Error).message);
  }
  print(`dock ${gateway}${sim.drone ? ` with aircraft ${sim.drone}` : ''} ready, scenario ${scenario}; Ctrl-C to stop`);
  await signal;
  await sim.stop();
  return 0;
}
