import { stat } from 'node:fs/promises';
import type { DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import { intOption, mqttUrlOption, parse, type Command } from './command';
import { UsageError, UserError } from '../app/user-errors';
import { SUMMARIES } from './summaries';
import { TIME_LIMIT_FLAGS, TIME_LIMIT_USAGE, timeLimitOptions } from './time-limit-options';
import { runUpgrade, type UpgradeReporter } from '../app/run-upgrade';
import { describeRow } from '../upgrade/upgrade-service';

const USAGE = `Usage: dockside upgrade --broker URL --gateway SN [--gateway SN…] --device SN[=PATH] [--device …]
                        [--file PATH] [--type regular|consistency] [--firmware-version V] [--force]
                        [--canary N] [--max-parallel M] [--stop-after-failures K]
                        [--site S] [--technician T]
                        [--serve-host HOST] [--serve-port N] [--data DIR]
                        [--timeout SECONDS] [--reboot-timeout SECONDS] [--verify-timeout SECONDS] [--json]

Hashes the firmware files, serves them over HTTP, checks each dock's telemetry (pre-flight gates),
sends ota_create to each gateway, and follows ota_progress until every device ends. Exit 0 only if
every device ended ok (upgraded, and seen on its new version); 1 if any was held back by a gate,
refused, failed, was rejected, canceled, timed out or was not verified (the reason is printed); 2 on
bad usage.

  --broker URL            the gateway's MQTT broker (mqtt://, mqtts://, ws://, wss://)
  --gateway SN            a dock (gateway) serial number; ota_create goes to its services topic;
                          repeat it for several docks
  --device SN[=PATH]      a device to upgrade: a dock itself and/or its aircraft (at most 2 per dock),
                          with its own firmware file after "=", else the --file
  --file PATH             the firmware file for every --device given without one
  --type T                regular (default, firmware_upgrade_type 3) or consistency (2)
  --firmware-version V    product_version of --file; read from a DJI file name when it allows
  --force                 send even to a device whose pre-flight gate fails (the override is logged)
  --canary N              upgrade N docks first; the rest only once every one of them is verified
  --max-parallel M        at most M docks upgrading at once (default 8)
  --stop-after-failures K hold the devices not yet sent once K devices ended without success
  --site S, --technician T  kept with each upgrade, in the device history and the report
  --serve-host HOST       address the dock downloads from (default: this laptop's address on the
                          route to the broker); a loopback address is refused for a dock elsewhere
  --serve-port N          file server port (default: a free port)
  --data DIR              data folder for the journal (default: $DOCKSIDE_DATA, else the OS app-data
                          folder)
${TIME_LIMIT_USAGE}
  --json                  print one UpgradeEvent per line on stdout (progress lines go to stderr)

Before sending, it waits a few seconds for each dock's telemetry and checks: dock idle (312015), not
already upgrading (312014), emergency stop released (312023), and for the aircraft: in the dock
(312027), powered on and paired (312022), battery at least 20% (312704); consistency only where the
device asks for it (312001). A gate the dock has not reported does not block.`;

export const upgradeCommand: Command = {
  name: 'upgrade',
  summary: SUMMARIES.upgrade,
  usage: USAGE,
  async run(argv) {
    const { values } = parse(argv, {
      broker: { type: 'string' },
      gateway: { type: 'string', multiple: true },
      device: { type: 'string', multiple: true },
      file: { type: 'string' },
      type: { type: 'string' },
      'firmware-version': { type: 'string' },
      force: { type: 'boolean' },
      canary: { type: 'string' },
      'max-parallel': { type: 'string' },
      'stop-after-failures': { type: 'string' },
      site: { type: 'string' },
      technician: { type: 'string' },
      'serve-host': { type: 'string' },
      'serve-port': { type: 'string' },
      data: { type: 'string' },
      ...TIME_LIMIT_FLAGS,
      json: { type: 'boolean' },
    });
    const broker = mqttUrlOption(values.broker);
    const gateways = values.gateway ?? [];
    if (gateways.length === 0) throw new UsageError('--gateway SN is required');
    const devices = (values.device ?? []).map(deviceOption);
    if (devices.length === 0) throw new UsageError('at least one --device SN is required');
    if (gateways.length === 1 && devices.length > 2) throw new UsageError('at most two --device per gateway (the dock and its aircraft)');
    if (!values.file && devices.some((d) => d.file === undefined)) throw new UsageError('--file PATH is required for a --device given without its own file');
    const type = values.type ?? 'regular';
    if (type !== 'regular' && type !== 'consistency') throw new UsageError(`--type must be regular or consistency, got "${type}"`);
    const limits = timeLimitOptions(values);
    const servePort = intOption(values['serve-port'], 'serve-port', 0, 0, 65535);
    const canary = intOption(values.canary, 'canary', 0, 0, 1000);
    const maxParallel = values['max-parallel'] === undefined ? undefined : intOption(values['max-parallel'], 'max-parallel', 8, 1, 1000);
    const stopAfter = values['stop-after-failures'] === undefined ? undefined : intOption(values['stop-after-failures'], 'stop-after-failures', 1, 1, 1000);
    for (const path of new Set([...(values.file ? [values.file] : []), ...devices.flatMap((d) => (d.file ? [d.file] : []))])) {
      const info = await stat(path).catch(() => null);
      if (!info) throw new UserError(`cannot read ${path}: no such file`);
      if (!info.isFile()) throw new UserError(`${path} is not a file`);
      if (info.size === 0) throw new UserError(`${path} is empty`);
    }

    const json = values.json === true;
    const human = json ? process.stderr : process.stdout;
    const lastLine = new Map<string, string>();
    const reporter: UpgradeReporter = {
      line: (text) => human.write(`${text}\n`),
      event: (e: UpgradeEvent) => {
        if (json) process.stdout.write(`${JSON.stringify(e)}\n`);
      },
      row: (row: DeviceUpgrade) => {
        // One line per change a person cares about: status, step, sub-status, or each 10% of progress.
        const key = `${row.status}|${row.step}|${row.subStatus}|${Math.floor(row.percent / 10)}|${row.verified}`;
        if (lastLine.get(row.sn) === key) return;
        lastLine.set(row.sn, key);
        human.write(`${describeRow(row)}\n`);
      },
    };

    const result = await runUpgrade(
      {
        brokerUrl: broker,
        gateways,
        devices,
        ...(values.file ? { file: values.file } : {}),
        type,
        firmwareVersion: values['firmware-version'],
        force: values.force === true,
        ...(canary || maxParallel || stopAfter ? { rollout: { canary, ...(maxParallel ? { maxParallel } : {}), ...(stopAfter ? { stopAfterFailures: stopAfter } : {}) } } : {}),
        ...(values.site ? { site: values.site } : {}),
        ...(values.technician ? { technician: values.technician } : {}),
        serveHost: values['serve-host'],
        servePort,
        dataDir: values.data,
        limits,
      },
      reporter,
    );
    human.write('\n');
    for (const r of result.refused) human.write(`${r.sn}: refused — ${r.reason}\n`);
    for (const row of result.rows) human.write(`${row.sn}: ${summarize(row)}\n`);
    if (result.journalFailing) human.write(`journal failing: ${result.journalFailing}\n`);
    return !result.journalFailing && result.refused.length === 0 && result.rows.length > 0 && result.rows.every((r) => r.status === 'ok') ? 0 : 1;
  },
};

function summarize(row: DeviceUpgrade): string {
  if (row.status === 'ok') return `ok, verified firmware ${row.targetVersion}`;
  const what = { timeout: 'timed out', rejected: 'rejected', canceled: 'canceled', failed: 'failed', not_verified: 'not verified', held: 'held' }[row.status as string] ?? row.status;
  return `${what}${row.reason ? ` — ${row.reason}` : ''}`;
}

/** `SN` or `SN=PATH`. */
function deviceOption(value: string): { sn: string; file?: string } {
  const eq = value.indexOf('=');
  const sn = eq < 0 ? value : value.slice(0, eq);
  if (!/^[^/+#\s=]+$/.test(sn)) throw new UsageError(`--device must be a serial number, optionally with "=PATH", got "${value}"`);
  if (eq < 0) return { sn };
  const file = value.slice(eq + 1);
  if (!file) throw new UsageError(`--device ${sn}= names no file`);
  return { sn, file };
}
