// The firmware version as DJI-style file names carry it, and a version order for downgrade warnings.
// When no rule fits we return undefined and the technician types the version in: a wrong guess in
// ota_create's product_version is worse than asking.

// A version is delimited: not glued to more digits or dotted digits on either side, so dates, build
// timestamps and IP-like runs are not mistaken for it.
const END = String.raw`(?![0-9]|\.[0-9])`;

/** Tried in order; the first rule that matches anywhere in the name wins. */
const VERSION_RULES: { name: string; pattern: RegExp }[] = [
  // "EvoNest-V1.2.0.69-20231215094829.Encrypt.uav", "dock_v10.01.1612.zip", "Dock3_V1.2.bin"
  { name: 'v-prefixed', pattern: new RegExp(String.raw`(?<![0-9A-Za-z])[vV]([0-9]+(?:\.[0-9]+){1,3})${END}`) },
  // DJI's own NN.NN.NNNN: "dock_pro_10.01.1612.zip"
  { name: 'dji', pattern: new RegExp(String.raw`(?<![0-9A-Za-z.])([0-9]{2}\.[0-9]{2}\.[0-9]{4})${END}`) },
  // Other dotted forms DJI also ships, like "1.00.223"; a leading 4-digit segment is a date, not a version.
  { name: 'dotted', pattern: new RegExp(String.raw`(?<![0-9A-Za-z.])([0-9]{1,3}(?:\.[0-9]+){2,3})${END}`) },
];

export function versionFromFileName(fileNameOrPath: string): string | undefined {
  const name = fileNameOrPath.split(/[\\/]/).pop() ?? '';
  for (const rule of VERSION_RULES) {
    const m = rule.pattern.exec(name);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Orders two firmware versions by their numeric segments ("1.00.223" equals "1.0.223", "10.01.1612" is
 * below "10.01.1700"); missing segments count as 0. Versions without any digits compare as text.
 * Returns -1, 0 or 1.
 */
export function compareVersions(a: string, b: string): number {
  const sa = a.match(/[0-9]+/g) ?? [];
  const sb = b.match(/[0-9]+/g) ?? [];
  if (sa.length === 0 && sb.length === 0) return Math.sign(a.localeCompare(b));
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const c = compareDigits(sa[i] ?? '0', sb[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}
