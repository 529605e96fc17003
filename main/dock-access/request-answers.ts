// What the local cloud answers each join request, as `requests_reply` data, and what the answer changes
// (a device bound to the site's organisation). Pure: the service persists and publishes.
import type { DockRequest } from './dock-requests';

export interface DjiLicence {
  appId: string;
  appKey: string;
  appLicense: string;
}

export interface Organisation {
  /** A UUID: Pilot 2 takes the organisation (workspace) id in that form. */
  id: string;
  name: string;
  /** What the technician types into Pilot 2 to bind a dock to this organisation. */
  bindingCode: string;
}

export interface BoundDevice {
  callsign: string;
  boundAt: string;
  modelKey?: string;
}

export interface AnswerContext {
  licence?: DjiLicence;
  ntpHost: string;
  organisation: Organisation;
  bound: Readonly<Record<string, BoundDevice>>;
  now: string;
}

/** Error codes DJI's sample cloud answers with: the organisation was not found, a device could not be bound. */
export const ORGANISATION_NOT_FOUND = 210230;
export const DEVICE_NOT_BOUND = 210231;

export type Answer =
  /** No answer at all: without a licence a dock stops joining, which is the truth of it. */
  { reply: null; words: string } | { reply: Record<string, unknown>; words: string; refused: boolean; bind?: Record<string, BoundDevice> };

function knowsCode(org: Organisation, bindingCode: string, organisationId: string): boolean {
  return bindingCode === org.bindingCode && (organisationId === '' || organisationId === org.id);
}

export function answerRequest(request: DockRequest, ctx: AnswerContext): Answer {
  const org = ctx.organisation;
  switch (request.method) {
    case 'config':
      if (!ctx.licence) return { reply: null, words: 'asked for the DJI licence, but none is entered in Dockside: the dock will not go on (enter the app id, key and licence in the Connection view)' };
      return {
        reply: { ntp_server_host: ctx.ntpHost, app_id: ctx.licence.appId, app_key: ctx.licence.appKey, app_license: ctx.licence.appLicense },
        words: `asked for the licence: sent app id ${ctx.licence.appId} and NTP host ${ctx.ntpHost}`,
        refused: false,
      };
    case 'airport_bind_status': {
      const bindStatus = request.devices.map((sn) => {
        const b = ctx.bound[sn];
        return { sn, is_device_bind_organization: b !== undefined, organization_id: b ? org.id : '', organization_name: b ? org.name : '', device_callsign: b?.callsign ?? '' };
      });
      const words = bindStatus.map((s) => `${s.sn} ${s.is_device_bind_organization ? `bound as "${s.device_callsign}"` : 'not bound'}`).join(', ');
      return { reply: { result: 0, output: { bind_status: bindStatus } }, words: `asked whether it is bound: ${words}`, refused: false };
    }
    case 'airport_organization_get':
      if (!knowsCode(org, request.bindingCode, request.organisationId)) {
        return { reply: { result: ORGANISATION_NOT_FOUND, output: {} }, words: 'asked for an organisation with a binding code or organisation id this site does not have', refused: true };
      }
      return { reply: { result: 0, output: { organization_name: org.name } }, words: `asked for the organisation: "${org.name}"`, refused: false };
    case 'airport_organization_bind': {
      const bind: Record<string, BoundDevice> = {};
      const errInfos = request.devices.map((d) => {
        if (!knowsCode(org, d.bindingCode, d.organisationId)) return { sn: d.sn, err_code: DEVICE_NOT_BOUND };
        bind[d.sn] = { callsign: d.callsign || ctx.bound[d.sn]?.callsign || d.sn, boundAt: ctx.now, ...(d.modelKey ? { modelKey: d.modelKey } : {}) };
        return { sn: d.sn, err_code: 0 };
      });
      const words = errInfos.map((e) => (e.err_code === 0 ? `${e.sn} bound as "${bind[e.sn]!.callsign}"` : `${e.sn} refused (wrong binding code or organisation id)`)).join(', ');
      return { reply: { result: 0, output: { err_infos: errInfos } }, words: `asked to be bound to "${org.name}": ${words}`, refused: errInfos.some((e) => e.err_code !== 0), bind };
    }
  }
}
