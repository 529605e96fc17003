// Exports leave the laptop (a customer gets them), so the secret part of a firmware URL does not go
// with them: the 32-hex file token in `/fw/<token>/<file>` is replaced wherever it appears in a record
// (an event's message or raw payload, an upgrade's reason), also with escaped (`\/`) or
// percent-encoded (`%2F`) slashes.
const FILE_TOKEN = /(\/|\\\/|%2F)fw(\/|\\\/|%2F)[0-9a-f]{32}(?![0-9a-f])/gi;
export const MASKED_TOKEN = '[token hidden]';

function maskText(text: string): string {
  return text.includes('fw') ? text.replace(FILE_TOKEN, `$1fw$2${MASKED_TOKEN}`) : text;
}

/** The value with every file token in its strings (keys included) masked; untouched values are returned as they are. */
export function maskFileTokens<T>(value: T): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = (value as unknown[]).map((item) => {
      const masked = maskFileTokens(item);
      if (masked !== item) changed = true;
      return masked;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const maskedKey = maskText(key);
      const masked = maskFileTokens(item);
      if (masked !== item || maskedKey !== key) changed = true;
      out[maskedKey] = masked;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
