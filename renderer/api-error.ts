// What a failed call looks like to the views, whichever host carried it.
import { ApiErrorBodySchema, type ApiErrorCode } from '../preload/transport';

/** The state of the link between this page and its host (not the MQTT broker). */
export type HostLink = 'connecting' | 'open' | 'lost';

/** A failed call: the host's error code ("bad-request", "unavailable", "timeout"…) and a message to show. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The host's `{ code, message }` as an ApiCallError, `prefix` before its message; anything else the host
 * sent in its place is an internal error worded `otherwise`.
 */
export function callErrorFromBody(body: unknown, otherwise: string, prefix = ''): ApiCallError {
  const error = ApiErrorBodySchema.safeParse(body);
  return error.success ? new ApiCallError(error.data.code, `${prefix}${error.data.message}`) : new ApiCallError('internal', `${prefix}${otherwise}`);
}
