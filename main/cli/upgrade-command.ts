import { stat } from 'node:fs/promises';
import type { DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import { intOption, mqttUrlOption, parse, UsageError, UserError, type Command } from './command';
import { SUMMARIES } from './summaries';
import { runUpgrade, type UpgradeReporter } from '../app/run-upgrade';
import { describeRow } from '../upgrade/upgrade-service';

const USAGE = `Usage: dockside upgrade --broker URL --gateway SN --device SN [--device SN] --file PATH
                        [--type regular|consistency] [--firmware-version V]
                        [--serve-host HOST] [--serve-port N] [--data DIR]
                        [--timeout SECONDS] [--reboot-timeout SECONDS] [--verify-timeout SECONDS] [--json]

Hashes the firmware file, serves it over HTTP, sends ota_create to the gateway, and follows
ota_progress until every device ends. Exit 0 only if every device ended ok (upgraded, and seen on its
new version); 1 if any failed, was rejected, canceled, timed out or was not verified (the reason is
printed); 2 on bad usage.

  --broker URL            the gateway's MQTT broker (mqtt://, mqtts://, ws://, wss://)
  --gateway SN            the dock (gateway) serial number; ota_create goes to its services topic
  --device SN             a device to upgrade: the dock itself and/or its aircraft (at most 2)
  --file PATH             the firmware file
  --type T                regular (default, firmware_upgrade_type 3) or consistency (2)
  --firmware-version V    product_version to send; read from a DJI file name when it allows
  --serve-host HOST       address the dock downloads from (default: this laptop's address on the
                          route to the broker); a loopback address is refused for a dock elsewhere
  --serve-port N          file server port (default: a free port)
  --data DIR              data folder for the journal (default: $DOCKSIDE_DATA, else the OS app-data
                          folder)
  --timeout SECONDS       no word from the dock for this long, before or during the download, ends a
                          device as timed out (default 120)
  --reboot-timeout S      the same once the download is done: installing, and restarting to apply
                          the firmware, when a dock drops off for minutes (default 900)
  --verify-timeout S      after the dock's ok, how long to wait for the device to report the new
                          firmware_version before it ends "not verified" (default 600; 0: at once)
  --json                  print one UpgradeEvent per line on stdout (progress lines go to stderr)`;

export const upgradeCommand: Command = {
  name: 'upgrade',
  summary: SUMMARIES.upgrade,
  usage: USAGE,
  async run(argv) {
    const { values } = parse(argv, {
      broker: { type: 'string' },
      gateway: { type: 'string' },
      device: { type: 'string', multiple: true },
      file: { type: 'string' },
      type: { type: 'string' },
      'firmware-version': { type: 'string' },
      'serve-host': { type: 'string' },
      'serve-port': { type: 'string' },
      data: { type: 'string' },
      timeout: { type: 'string' },
      'verify-timeout': { type: 'string' },
      'reboot-timeout': { type: 'string' },
      json: { type: 'boolean' },
    });
    const broker = mqttUrlOption(values.broker);
    if (!values.gateway) throw new UsageError('--gateway SN is required');
    const devices = values.device ?? [];
    if (devices.length === 0) throw new UsageError('at least one --device SN is required');
    if (devices.length > 2) throw new UsageError('at most two --device per gateway (the dock and its aircraft)');
    if (!values.file) throw new UsageError('--file PATH is required');
    const type = values.type ?? 'regular';
    if (type !== 'regular' && type !== 'consistency') throw new UsageError(`--type must be regular or consistency, got "${type}"`);
    const timeoutS = intOption(values.timeout, 'timeout', 120, 1, 86_400);
    const verifyS = intOption(values['verify-timeout'], 'verify-timeout', 600, 0, 86_400);
    const rebootS = intOption(values['reboot-timeout'], 'reboot-timeout', 900, 1, 86_400);
    const servePort = intOption(values['serve-port'], 'serve-port', 0, 0, 65535);
    const info = await stat(values.file).catch(() => null);
    if (!info) throw new UserError(`cannot read ${values.file}: no such file`);
    if (!info.isFile()) throw new UserError(`${values.file} is not a file`);
    if (info.size === 0) throw new UserError(`${values.file} is empty`);

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
        gateway: values.gateway,
        devices,
        file: values.file,
        type,
        firmwareVersion: values['firmware-version'],
        serveHost: values['serve-host'],
        servePort,
        dataDir: values.data,
        watchdogMs: timeoutS * 1000,
        rebootMs: rebootS * 1000,
        verifyTimeoutMs: verifyS * 1000,
      },
      reporter,
    );
    human.write('\n');
    for (const row of result.rows) human.write(`${row.sn}: ${summarize(row)}\n`);
    return result.rows.length > 0 && result.rows.every((r) => r.status === 'ok') ? 0 : 1;
  },
};

function summarize(row: DeviceUpgrade): string {
  if (row.status === 'ok') return `ok, verified firmware ${row.targetVersion}`;
  const what = { timeout: 'timed out', rejected: 'rejected', canceled: 'canceled', failed: 'failed', not_verified: 'not verified' }[row.status as string] ?? row.status;
  return `${what}${row.reason ? ` — ${row.reason}` : ''}`;
}
