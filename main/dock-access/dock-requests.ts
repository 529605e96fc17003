// The requests a dock sends while it joins a cloud (DJI dock access: `config`, then the organisation
// binding), decoded from their envelope. Pure: a malformed request comes back as a reason, never a throw.
import type { Envelope } from '../../wire/dji/envelope';

export const JOIN_METHODS = ['config', 'airport_bind_status', 'airport_organization_get', 'airport_organization_bind'] as const;
export type JoinMethod = (typeof JOIN_METHODS)[number];

export interface BindDevice {
  sn: string;
  bindingCode: string;
  organisationId: string;
  callsign: string;
  /** "domain-type-subtype", e.g. "3-2-0" for a Dock 2. */
  modelKey: string;
}

export type DockRequest =
  | { method: 'config'; configType: string; configScope: string }
  | { method: 'airport_bind_status'; devices: string[] }
  | { method: 'airport_organization_get'; bindingCode: string; organisationId: string }
  | { method: 'airport_organization_bind'; devices: BindDevice[] };

export type DecodedRequest = { ok: true; request: DockRequest } | { ok: false; reason: string; method: string };

/** DJI sends at most a dock and its aircraft in one binding request. */
const MAX_DEVICES = 2;

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function isJoinMethod(method: string): method is JoinMethod {
  return (JOIN_METHODS as readonly string[]).includes(method);
}

export function decodeDockRequest(envelope: Envelope): DecodedRequest {
  const { method } = envelope;
  const data = record(envelope.data);
  const fail = (reason: string): DecodedRequest => ({ ok: false, reason, method });
  switch (method) {
    case 'config':
      return { ok: true, request: { method, configType: text(data.config_type), configScope: text(data.config_scope) } };
    case 'airport_bind_status': {
      if (!Array.isArray(data.devices)) return fail('"devices" is not a list');
      const devices = data.devices.map((d) => text(record(d).sn)).filter((sn) => sn !== '');
      if (devices.length === 0 || devices.length > MAX_DEVICES) return fail(`"devices" names ${devices.length} serial numbers (1 or 2 expected)`);
      return { ok: true, request: { method, devices } };
    }
    case 'airport_organization_get': {
      const bindingCode = text(data.device_binding_code);
      if (bindingCode === '') return fail('"device_binding_code" is missing');
      return { ok: true, request: { method, bindingCode, organisationId: text(data.organization_id) } };
    }
    case 'airport_organization_bind': {
      if (!Array.isArray(data.bind_devices)) return fail('"bind_devices" is not a list');
      const devices = data.bind_devices.map((raw) => {
        const d = record(raw);
        return { sn: text(d.sn), bindingCode: text(d.device_binding_code), organisationId: text(d.organization_id), callsign: text(d.device_callsign), modelKey: text(d.device_model_key) };
      });
      if (devices.length === 0 || devices.length > MAX_DEVICES) return fail(`"bind_devices" has ${devices.length} devices (1 or 2 expected)`);
      if (devices.some((d) => d.sn === '')) return fail('a device in "bind_devices" has no "sn"');
      return { ok: true, request: { method, devices } };
    }
    default:
      return fail(`"${method}" is not a dock-access request`);
  }
}
