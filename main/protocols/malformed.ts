// Inside a decoder, the first bad field stops decoding with a reason a technician can act on.
// Only `decodeSafely` (decode-result.ts) catches it: nothing leaves a decoder as an exception.
export class Malformed extends Error {
  override name = 'Malformed';
}

export function malformed(reason: string): never {
  throw new Malformed(reason);
}
