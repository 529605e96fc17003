// `dockside upgrade`: the whole job headless, on the same core the window uses.
import { basename } from 'node:path';
import type { DeviceUpgrade, JournalHealth, Rollout, UpgradeEvent, UpgradeType } from '../../preload/api';
import { TERMINAL } from '../upgrade/upgrade-machine';
import type { UpgradeTimings } from '../upgrade/upgrade-service';
import { UsageError, UserError } from './user-errors';
import { resolveDataDir } from '../journal/data-dir';
import { createAppCore, type AppCore } from './app-core';

export interface RunUpgradeOptions {
  brokerUrl: string;
  /** The docks the devices upgrade through; ota_create goes to each one's services topic. */
  gateways: string[];
  /** Each device, with its own file or the default `file`. */
  devices: { sn: string; file?: string }[];
  file?: string;
  type: UpgradeType;
  /** The version of the default file, when its name does not say. */
  firmwareVersion?: string;
  /** Send despite failed pre-flight gates. */
  force: boolean;
  rollout?: Rollout;
  site?: string;
  technician?: string;
  serveHost?: string;
  servePort?: number;
  dataDir?: string;
  /** Silence, reboot, verify and reply limits; the defaults for any not given. */
  limits: Partial<UpgradeTimings>;
  /** How long to wait for the docks' telemetry (osd comes every 2 s) and topology before checking the gates. */
  telemetryWaitMs?: number;
}

export interface RunUpgradeResult {
  rows: DeviceUpgrade[];
  refused: { sn: string; reason: string }[];
  /** Set when the journal could not write what happened: the run is not on record. */
  journalFailing?: string;
}

export interface UpgradeReporter {
  line: (text: string) => void;
  event: (e: UpgradeEvent) => void;
  row: (row: DeviceUpgrade) => void;
}

export async function runUpgrade(o: RunUpgradeOptions, report: UpgradeReporter): Promise<RunUpgradeResult> {
  const core = await createAppCore({
    dataDir: resolveDataDir(o.dataDir),
    brokerUrl: o.brokerUrl,
    host: 'web',
    serveHost: o.serveHost,
    servePort: o.servePort,
    connectOnStart: false,
    restore: false,
    timings: o.limits,
  });
  try {
    let journalFailing: string | undefined;
    core.subscribe((stream, payload) => {
      if (stream === 'event') report.event(payload as UpgradeEvent);
      if (stream === 'upgrade') report.row(payload as DeviceUpgrade);
      if (stream === 'journal') {
        const health = payload as JournalHealth;
        if (health.state === 'failing' && journalFailing === undefined) report.line(`journal failing: ${health.reason} (this upgrade is not being recorded)`);
        if (health.state === 'failing') journalFailing ??= health.reason;
      }
    });

    const firmware = await hashFiles(core, o, report);
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
    core.files.on('listening', (host, port) => report.line(`serving on http://${host.includes(':') ? `[${host}]` : host}:${port}/ (only these files, by a secret path per device)`));
    core.files.on('error', (e) => report.line(`file server: ${e.message}`));

    await waitForDocks(
      core,
      o.gateways,
      o.devices.map((d) => d.sn),
      o.telemetryWaitMs ?? TELEMETRY_WAIT_MS,
    );
    const devices = o.devices.map((d) => ({ sn: d.sn, gateway: gatewayOf(core, d.sn, o.gateways), ...firmware.get(d.file ?? o.file!)! }));
    const result = core.upgrades.start({
      devices,
      type: o.type,
      failedGates: 'refuse',
      ...(o.force ? { force: devices.map((d) => d.sn) } : {}),
      ...(o.rollout ? { rollout: o.rollout } : {}),
      ...(o.site ? { site: o.site } : {}),
      ...(o.technician ? { technician: o.technician } : {}),
    });
    for (const r of result.refused) report.line(`${r.sn}: refused — ${r.reason}`);
    const rowsOf = () => core.upgrades.list().filter((r) => r.batchId === result.batchId);
    // Held rows wait for a technician this command cannot ask: it ends once nothing else moves.
    const settled = () => rowsOf().every((r) => TERMINAL.has(r.status) || r.status === 'held');
    if (result.accepted.length > 0 && !settled()) {
      await new Promise<void>((resolve) => {
        // Looked at once the change is complete: a canary's end releases the rest in the same turn.
        const check = () =>
          setImmediate(() => {
            if (!settled()) return;
            core.upgrades.off('upgrade', check);
            resolve();
          });
        core.upgrades.on('upgrade', check);
      });
    }
    return { rows: rowsOf(), refused: result.refused, ...(journalFailing ? { journalFailing } : {}) };
  } finally {
    await core.close();
  }
}

/** Docks send osd every 2 s: a few seconds tell the gates what they need. */
const TELEMETRY_WAIT_MS = 6_000;

/**
 * Waits, at most `ms`, until every dock has sent the telemetry its gates read and every device named its
 * model in a topology: a package for another model is refused only where the model is known, and a dock
 * repeats its topology until a cloud answers it, which may come after its first osd. A dock whose topology
 * another client already answered does not repeat it: then the wait runs out and the model stays unknown.
 */
async function waitForDocks(core: AppCore, gateways: readonly string[], devices: readonly string[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  const ready = () => gateways.every((g) => core.registry.telemetry(g)?.modeCode !== undefined) && devices.every((sn) => core.registry.get(sn)?.product !== undefined);
  while (Date.now() < end && !ready()) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A dock is its own gateway; an aircraft goes through the one dock named, or the dock its topology names. */
function gatewayOf(core: AppCore, sn: string, gateways: readonly string[]): string {
  if (gateways.includes(sn)) return sn;
  if (gateways.length === 1) return gateways[0]!;
  const known = core.registry.get(sn)?.gateway;
  if (known && gateways.includes(known)) return known;
  throw new UserError(`cannot tell which of the docks ${gateways.join(', ')} ${sn} is behind: it has not reported its topology`);
}

/** Hashes each distinct file once; a version comes from its name, or --firmware-version for --file. */
async function hashFiles(core: AppCore, o: RunUpgradeOptions, report: UpgradeReporter): Promise<Map<string, { firmwareId: string; targetVersion: string }>> {
  const paths = [...new Set(o.devices.map((d) => d.file ?? o.file!))];
  const hashed = new Map<string, { firmwareId: string; targetVersion: string }>();
  for (const path of paths) {
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
      entry = await core.catalogue.add(path, path === o.file && o.firmwareVersion ? { version: o.firmwareVersion } : {});
    } catch (e) {
      throw new UserError((e as Error).message);
    } finally {
      onFirmware();
    }
    if (entry.error) throw new UserError(`cannot hash ${basename(path)}: ${entry.error}`);
    if (!entry.version) {
      throw new UsageError(
        path === o.file
          ? `cannot read a firmware version from "${entry.fileName}": pass --firmware-version`
          : `cannot read a firmware version from "${entry.fileName}": name it the DJI way (…_V10.01.1700.bin)`,
      );
    }
    report.line(`firmware ${entry.fileName}: ${entry.size} bytes, md5 ${entry.md5}, version ${entry.version}`);
    hashed.set(path, { firmwareId: entry.id, targetVersion: entry.version });
  }
  return hashed;
}
