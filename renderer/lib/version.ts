// Firmware versions come as "01.02.0300", "1.2.0.69", "v10.1.3": compare their numbers, segment by
// segment, missing segments as 0. Leading zeros mean nothing ("01.02" equals "1.2").

function segments(version: string): number[] | undefined {
  const parts = version.match(/\d+/g);
  return parts ? parts.map(Number) : undefined;
}

/** -1 when a is older, 1 when newer, 0 when the same; undefined when either has no number in it. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = segments(a);
  const y = segments(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** True only when both versions are known and the target is older than what the device runs. */
export function isDowngrade(from: string | undefined, to: string | undefined): boolean {
  return from !== undefined && to !== undefined && compareVersions(to, from) === -1;
}
