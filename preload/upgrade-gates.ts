// Pre-flight gates: what a dock's own telemetry says about whether it can take an upgrade now, each
// with the 312xxx code a dock would answer if it could not. Shared by the core (which holds a device
// back) and the window (which shows every gate). Fields and codes from the Cloud API dock property
// documents and ../shared/specs/dji-field-notes.md. A field a dock never reported is "unknown", which
// never blocks.
import { z } from 'zod';
import type { DeviceTelemetry, UpgradeType } from './api';

export const GATE_IDS = ['dock-idle', 'not-upgrading', 'aircraft-in-dock', 'aircraft-linked', 'aircraft-battery', 'emergency-stop', 'consistency-asked'] as const;
export type GateId = (typeof GATE_IDS)[number];

export const GATE_STATUSES = ['pass', 'fail', 'unknown'] as const;

export const GateCheckSchema = z.object({
  gate: z.enum(GATE_IDS),
  status: z.enum(GATE_STATUSES),
  /** The gate in words: "dock idle". */
  words: z.string(),
  /** The code a dock answers when this gate fails. */
  code: z.number().int(),
  /** What the telemetry said: "mode_code 4 (working)". */
  detail: z.string(),
});
export type GateCheck = z.infer<typeof GateCheckSchema>;

export const GATES: Readonly<Record<GateId, { words: string; code: number }>> = {
  'dock-idle': { words: 'dock idle', code: 312015 },
  'not-upgrading': { words: 'not already upgrading', code: 312014 },
  'aircraft-in-dock': { words: 'aircraft in the dock', code: 312027 },
  'aircraft-linked': { words: 'aircraft powered on and paired', code: 312022 },
  'aircraft-battery': { words: 'aircraft battery at least 20%', code: 312704 },
  'emergency-stop': { words: 'emergency stop released', code: 312023 },
  'consistency-asked': { words: 'the device asks for a consistency upgrade', code: 312001 },
};

const MODE_WORDS: Readonly<Record<number, string>> = { 0: 'idle', 1: 'on-site debugging', 2: 'remote debugging', 3: 'upgrading firmware', 4: 'working' };

/** The aircraft needs at least this much battery to take firmware (312704 below it). */
export const MIN_BATTERY_PERCENT = 20;

export interface GateQuestion {
  type: UpgradeType;
  /** Whether the device being upgraded is the aircraft (else the dock itself). */
  aircraft: boolean;
  /** The dock's telemetry (the gateway's osd and state). */
  dock: DeviceTelemetry | undefined;
  /** The device's own telemetry (its state: firmware_upgrade_status, compatible_status). */
  device: DeviceTelemetry | undefined;
}

type Verdict = [GateCheck['status'], string];

function gate(id: GateId, [status, detail]: Verdict): GateCheck {
  return { gate: id, status, words: GATES[id].words, code: GATES[id].code, detail };
}

const unknown = (field: string): Verdict => ['unknown', `${field} not reported yet`];

function isValue(field: string, value: number | undefined, ok: (v: number) => boolean, words: (v: number) => string = String): Verdict {
  if (value === undefined) return unknown(field);
  return [ok(value) ? 'pass' : 'fail', `${field} ${value}${words(value) === String(value) ? '' : ` (${words(value)})`}`];
}

/** Every gate that applies to this device, in the order a technician reads them. */
export function checkGates(q: GateQuestion): GateCheck[] {
  const dock = q.dock ?? {};
  const device = q.device ?? {};
  const checks: GateCheck[] = [
    gate(
      'dock-idle',
      isValue(
        'mode_code',
        dock.modeCode,
        (v) => v === 0,
        (v) => MODE_WORDS[v] ?? String(v),
      ),
    ),
  ];
  const upgrading = [dock.firmwareUpgradeStatus, q.aircraft ? device.firmwareUpgradeStatus : undefined].filter((v): v is number => v !== undefined);
  checks.push(
    gate(
      'not-upgrading',
      upgrading.length === 0 ? unknown('firmware_upgrade_status') : upgrading.some((v) => v !== 0) ? ['fail', 'firmware_upgrade_status 1 (upgrading)'] : ['pass', 'firmware_upgrade_status 0'],
    ),
  );
  if (q.aircraft) {
    checks.push(
      gate(
        'aircraft-in-dock',
        isValue('drone_in_dock', dock.droneInDock, (v) => v === 1),
      ),
    );
    const sub = dock.subDevice;
    checks.push(
      gate(
        'aircraft-linked',
        sub === undefined
          ? unknown('sub_device')
          : sub.online === 1 && sub.paired === 1
            ? ['pass', 'device_online_status 1, device_paired 1']
            : ['fail', `device_online_status ${sub.online}, device_paired ${sub.paired}`],
      ),
    );
    checks.push(
      gate(
        'aircraft-battery',
        isValue(
          'capacity_percent',
          dock.batteryPercent,
          (v) => v >= MIN_BATTERY_PERCENT,
          (v) => `${v}%`,
        ),
      ),
    );
  }
  checks.push(
    gate(
      'emergency-stop',
      isValue(
        'emergency_stop_state',
        dock.emergencyStop,
        (v) => v === 0,
        (v) => (v === 0 ? 'released' : 'pressed'),
      ),
    ),
  );
  if (q.type === 'consistency') {
    checks.push(
      gate(
        'consistency-asked',
        isValue(
          'compatible_status',
          device.compatibleStatus,
          (v) => v === 1,
          (v) => (v === 1 ? 'asks for one' : 'consistent'),
        ),
      ),
    );
  }
  return checks;
}

export const failedGates = (checks: readonly GateCheck[]) => checks.filter((c) => c.status === 'fail');

/** "dock idle (mode_code 4 (working); a dock answers 312015)". */
export function gateInWords(c: GateCheck): string {
  return `${c.words} (${c.detail}; a dock answers ${c.code})`;
}
