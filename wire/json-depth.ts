// How deep a parsed JSON value nests, found without recursion: a payload nested thousands of levels
// deep must be refused before code that recurses (hashing, JSON.stringify for the journal) meets it.
/** No message of any protocol we speak nests anywhere near this deep. */
export const MAX_JSON_DEPTH = 64;

/** Whether more than `limit` objects and arrays sit inside one another anywhere in `value`. */
export function nestsDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
