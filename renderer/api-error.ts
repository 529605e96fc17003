// What a failed call looks like to the views, whichever host carried it.
import type { ApiErrorCode } from '../preload/transport';

/** The state of the link between this page and its host (not the MQTT broker). */
export type HostLink = 'connecting' | 'open' | 'lost';

/** A failed call: the host's error code ("bad-request", "unavailable", "timeout"…) and a message to show. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}
