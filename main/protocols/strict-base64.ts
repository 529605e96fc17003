// Base64 that is really base64: Node's Buffer.from(s, 'base64') silently skips characters outside the
// alphabet, which would turn a corrupted CarOTA body into a different, plausible one.
import { malformed } from './malformed';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeStrictBase64(text: string, what: string): Buffer {
  if (text.length === 0) malformed(`${what} is empty`);
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) malformed(`${what} is not base64: character ${JSON.stringify(text[bad])} at position ${bad}`);
  if (!BASE64.test(text)) malformed(`${what} is not base64: "=" padding only at the end`);
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1 || (text.length !== unpadded.length && text.length % 4 !== 0)) {
    malformed(`${what} is not base64: ${text.length} characters is not a whole number of bytes`);
  }
  return Buffer.from(text, 'base64');
}
