// The ingest's bearer token (`--ingest-token`, DOCKSIDE_INGEST_TOKEN): required of every vehicle report
// when the host listens beyond loopback, compared in constant time.
import { timingSafeEqual } from 'node:crypto';

export const INGEST_TOKEN_ENV = 'DOCKSIDE_INGEST_TOKEN';
export const MIN_INGEST_TOKEN_LENGTH = 16;

/** Whether an Authorization header carries exactly `Bearer <token>` (the scheme in any case, RFC 7235). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^bearer +(\S+)\s*$/i.exec(header ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A token worth the name, or the reason it is not. */
export function ingestTokenProblem(token: string): string | undefined {
  if (token.length < MIN_INGEST_TOKEN_LENGTH) return `must be at least ${MIN_INGEST_TOKEN_LENGTH} characters`;
  if (!/^[\x21-\x7e]+$/.test(token)) return 'must be printable ASCII without spaces';
  return undefined;
}
