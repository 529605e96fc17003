// Edgehog io.edgehog.devicemanager.OTAEvent (spec 002) `status` and `statusCode` values, as data.
// Both are matched case-insensitively, as Edgehog's back-end does.
import type { Phase, State } from '../../preload/api';
import type { Mapping } from './mapping';

export interface EdgehogStatus extends Mapping {
  /** statusProgress is this status's own 0–100 progress (the runtime sends 0 for the others). */
  readonly progress: boolean;
  /** An error status: its statusCode may say more precisely where it happened and how it ended. */
  readonly error: boolean;
}

export const EDGEHOG_STATUS = {
  Acknowledged: { phase: 'queued', state: 'succeeded', progress: false, error: false, note: 'the device received the OTA request' },
  Downloading: { phase: 'download', state: 'running', progress: true, error: false, note: 'the update is downloading' },
  Deploying: { phase: 'install', state: 'running', progress: true, error: false, note: 'the update is being deployed' },
  Deployed: { phase: 'install', state: 'succeeded', progress: false, error: false, note: 'the update is deployed; not done until the device reports Success' },
  Rebooting: { phase: 'reboot', state: 'running', progress: false, error: false, note: 'the device is rebooting into the update' },
  Success: { phase: 'done', state: 'succeeded', progress: false, error: false, note: 'the update succeeded (final)' },
  Error: { phase: 'download', state: 'running', progress: false, error: true, note: 'an error the device handles and retries (the runtime sends it during download retries); not final' },
  Failure: { phase: 'done', state: 'failed', progress: false, error: true, note: 'the update failed (final)' },
  RequestError: { phase: 'queued', state: 'failed', progress: false, error: true, note: 'the device refused the OTA request as invalid' },
  InvalidRequest: { phase: 'queued', state: 'failed', progress: false, error: true, note: 'the device refused the OTA request as invalid' },
} as const satisfies Record<string, EdgehogStatus>;

export interface EdgehogStatusCode {
  /** Where an error with this code happened, when the code tells; null keeps the status's phase. */
  readonly phase: Phase | null;
  /** How an error with this code ends, when it decides it; null keeps the status's state. */
  readonly state: State | null;
  readonly note: string;
}

export const EDGEHOG_STATUS_CODE = {
  InvalidRequest: { phase: 'queued', state: null, note: 'the update request contains incorrect data' },
  RequestError: { phase: 'queued', state: null, note: 'the update request contains incorrect data (the device runtime’s name for InvalidRequest)' },
  UpdateAlreadyInProgress: { phase: 'queued', state: null, note: 'another update is already in progress' },
  NetworkError: { phase: 'download', state: null, note: 'a network error happened during the update' },
  IOError: { phase: null, state: null, note: 'a filesystem error happened during the update' },
  InternalError: { phase: null, state: null, note: 'an internal error happened during the update' },
  InvalidBaseImage: { phase: 'install', state: null, note: 'the update does not apply to this base image' },
  SystemRollback: { phase: 'reboot', state: 'failed', note: 'the system rolled back to the previous version after the reboot' },
  Canceled: { phase: 'download', state: 'canceled', note: 'the update was canceled' },
} as const satisfies Record<string, EdgehogStatusCode>;

function caseless<T>(table: Record<string, T>): Map<string, { name: string; entry: T }> {
  return new Map(Object.entries(table).map(([name, entry]) => [name.toLowerCase(), { name, entry }]));
}

const STATUS_BY_LOWER = caseless<EdgehogStatus>(EDGEHOG_STATUS);
const CODE_BY_LOWER = caseless<EdgehogStatusCode>(EDGEHOG_STATUS_CODE);

export function edgehogStatus(text: string): { name: string; entry: EdgehogStatus } | undefined {
  return STATUS_BY_LOWER.get(text.trim().toLowerCase());
}

export function edgehogStatusCode(text: string): { name: string; entry: EdgehogStatusCode } | undefined {
  return CODE_BY_LOWER.get(text.trim().toLowerCase());
}
