// The same file added twice (same MD5) is one file: each copy names the others, so the technician sees
// it before choosing, instead of a list that looks longer than it is.
import type { FirmwareInfo } from '../../preload/api';

/** Firmware id → the other ids with the same MD5 (only files with a duplicate are listed). */
export function duplicatesOf(files: readonly FirmwareInfo[]): Map<string, string[]> {
  const byMd5 = new Map<string, string[]>();
  for (const f of files) if (f.md5) byMd5.set(f.md5, [...(byMd5.get(f.md5) ?? []), f.id]);
  const out = new Map<string, string[]>();
  for (const ids of byMd5.values())
    if (ids.length > 1)
      for (const id of ids)
        out.set(
          id,
          ids.filter((x) => x !== id),
        );
  return out;
}
