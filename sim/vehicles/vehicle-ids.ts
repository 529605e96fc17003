// Identifiers that look like the real ones and belong to nobody: VINs with a made-up manufacturer code
// (and a correct ISO 3779 check digit), Astarte device ids, ECU serials, event ids.
import { randomBytes, randomUUID } from 'node:crypto';

/** "DKS" is not an assigned manufacturer code: our simulated fleet cannot collide with real cars. */
const WMI = 'DKS';
const VDS = 'VS4E2';
/** Model year 2025 ("S") and our plant "D". */
const YEAR_AND_PLANT = 'SD';

const TRANSLITERATION: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    const value = /\d/.test(c) ? Number(c) : (TRANSLITERATION[c] ?? 0);
    sum += value * WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** A 17-character VIN; `serial` (0–999999) fills the last six positions. */
export function simulatedVin(serial: number): string {
  const draft = `${WMI}${VDS}0${YEAR_AND_PLANT}${String(serial % 1_000_000).padStart(6, '0')}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

/** `count` VINs with consecutive serials from a random start, as one production batch would have. */
export function simulatedFleet(count: number): string[] {
  const start = randomBytes(3).readUIntBE(0, 3) % (1_000_000 - count);
  return Array.from({ length: count }, (_, i) => simulatedVin(start + i));
}

/** Astarte device ids are 128-bit values written as 22 characters of unpadded base64url. */
export function astarteDeviceId(): string {
  return randomBytes(16).toString('base64url');
}

export function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export { randomUUID };
