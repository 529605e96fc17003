// `dockside upgrade`: the whole job headless, on the same core the window uses.
import { basename } from 'node:path';
import type { DeviceUpgrade, UpgradeEvent, UpgradeType } from '../../preload/api';
import { UsageError, UserError } from '../cli/command';
import { resolveDataDir } from '../journal/data-dir';
import { createAppCore } from './app-core';

export interface RunUpgradeOptions {
  brokerUrl: string;
  gateway: string;
  devices: string[];
  file: string;
  type: UpgradeType;
  firmwareVersion?: string;
  serveHost?: string;
  servePort?: number;
  dataDir?: string;
  watchdogMs: number;
  rebootMs: number;
  verifyTimeoutMs: number;
}

export interface UpgradeReporter {
  line(text: string): void;
  event(e: UpgradeEvent): void;
  row(row: DeviceUpgrade): void;
}

export async function runUpgrade(o: RunUpgradeOptions, report: UpgradeReporter): Promise<{ rows: DeviceUpgrade[] }> {
  const core = await createAppCore({
    dataDir: resolveDataDir(o.dataDir),
    brokerUrl: o.brokerUrl,
    host: 'web',
    serveHost: o.serveHost,
    servePort: o.servePort,
    connectOnStart: false,
    restore: false,
    timings: { watchdogMs: o.watchdogMs, rebootMs: o.rebootMs, verifyTimeoutMs: o.verifyTimeoutMs, replyTimeoutMs: Math.min(10_000, o.watchdogMs) },
  });
  try {
    core.subscribe((stream, payload) => {
      if (stream === 'event') report.event(payload as UpgradeEvent);
      if (stream === 'upgrade') report.row(payload as DeviceUpgrade);
    });

    let lastPercent = -1;
    const onFirmware = core.catalogue.on('changed', (info) => {
      if (!info.hashing) return;
      const percent = info.hashing.total > 0 ? Math.floor((info.hashing.bytes / info.hashing.total) * 100) : 100;
      if (percent >= lastPercent + 25) {
        lastPercent = percent;
        report.line(`hashing ${info.fileName}: ${percent}%`);
      }
    });
    let entry;
    try {
      entry = await core.catalogue.add(o.file, o.firmwareVersion ? { version: o.firmwareVersion } : {});
    } catch (e) {
      throw new UserError((e as Error).message);
    } finally {
      onFirmware();
    }
    if (entry.error) throw new UserError(`cannot hash ${basename(o.file)}: ${entry.error}`);
    if (!entry.version) throw new UsageError(`cannot read a firmware version from "${entry.fileName}": pass --firmware-version`);
    report.line(`firmware ${entry.fileName}: ${entry.size} bytes, md5 ${entry.md5}, version ${entry.version}`);

    try {
      await core.connect({ url: o.brokerUrl });
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    report.line(`connected to ${core.gateway.status.url}`);
    core.gateway.on('status', (s) => {
      if (s.state === 'reconnecting') report.line(`broker connection lost${s.error ? ` (${s.error})` : ''}: reconnecting…`);
      if (s.state === 'connected') report.line('broker connection back: following the upgrade again');
    });

    core.files.on('listening', (host, port) => report.line(`serving on http://${host.includes(':') ? `[${host}]` : host}:${port}/ (only this file, by a secret path per device)`));
    core.files.on('error', (e) => report.line(`file server: ${e.message}`));

    const ended = new Promise<void>((resolve) => {
      core.upgrades.on('batch', (b) => {
        if (b.endedAt) resolve();
      });
    });
    const firmwareId = entry.id;
    const targetVersion = entry.version;
    const result = core.upgrades.start({ devices: o.devices.map((sn) => ({ sn, firmwareId, targetVersion })), type: o.type, gateway: o.gateway, failedGates: 'refuse' });
    for (const r of result.refused) report.line(`${r.sn}: refused — ${r.reason}`);
    if (result.accepted.length > 0) await ended;
    return { rows: core.upgrades.list() };
  } finally {
    await core.close();
  }
}
