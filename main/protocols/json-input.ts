// The body of a JSON protocol as the transports hand it over: bytes, text, or an already parsed value.
import { malformed } from './malformed';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bytesToText(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return malformed(`${what} is not UTF-8 text`);
  }
}

export function parseJsonText(text: string, what: string): unknown {
  if (text.trim() === '') malformed(`${what} is empty`);
  try {
    return JSON.parse(text);
  } catch (e) {
    return malformed(`${what} is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Bytes and text are parsed as JSON; anything else is taken as the parsed value (capture files). */
export function readJsonInput(input: unknown, what = 'the body'): unknown {
  if (input instanceof Uint8Array) return parseJsonText(bytesToText(input, what), what);
  if (typeof input === 'string') return parseJsonText(input, what);
  if (input === undefined) malformed(`${what} is empty`);
  return input;
}
