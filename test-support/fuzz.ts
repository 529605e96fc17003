// Shared pieces of the property tests: how many runs (bounded in `npm test`, ≥ 100,000 under
// `npm run fuzz`, which sets DOCKSIDE_FUZZ_RUNS), and inputs worth throwing at a decoder: valid
// payloads with one or two fields replaced by anything JSON can hold, hostile shapes (deep nesting,
// huge numbers, odd text), and plain noise.
import fc from 'fast-check';

export function fuzzRuns(inTestSuite: number): number {
  const fromEnv = Number(process.env.DOCKSIDE_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : inTestSuite;
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

const REMOVE = Symbol('remove');

function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? null : replacement;
  const [head, ...rest] = path;
  // An earlier change may have put a non-object here: the path then walks into a fresh object.
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    if (rest.length === 0 && replacement === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string | number, unknown> = value !== null && typeof value === 'object' ? { ...value } : {};
  if (rest.length === 0 && replacement === REMOVE) delete copy[head!];
  else copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

/** Text a decoder may meet in a field: odd Unicode, control characters, number-like and date-like strings. */
export const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\u202e', 'NaN', '-0', '1e400', '0x10', '2025-02-30T25:61:00Z', '9999-12-31T23:59:59Z', '__proto__', 'constructor'),
);

/** Numbers at the edges: huge, tiny, negative, fractional, out of Date's range. */
export const oddNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -1, 1e300, -1e300, 8.64e15 + 1, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 0.1));

/** Any JSON value, biased to the odd ones. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
);

/** Nesting far deeper than any protocol has: recursion in a decoder or its hashing must not escape. */
export const deepNesting = fc.integer({ min: 1_000, max: 20_000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { n: value };
  return value;
});

/** A valid payload with one or two of its fields (or the whole) replaced by anything, or removed. */
export function mutationsOf(base: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  const one = fc.tuple(fc.constantFrom(...paths), fc.oneof({ weight: 6, arbitrary: anyJson }, { weight: 2, arbitrary: fc.constant(REMOVE) }, { weight: 1, arbitrary: deepNesting }));
  return fc.array(one, { minLength: 1, maxLength: 2 }).map((changes) => changes.reduce((value, [path, replacement]) => replaceAt(value, path, replacement), base));
}

/** The forms a payload reaches a decoder in: parsed, JSON text, cut-off JSON text, bytes. */
export function wireForms(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return value.chain((v) => {
    let text: string | undefined;
    try {
      text = JSON.stringify(v);
    } catch {
      text = undefined;
    }
    if (text === undefined) return fc.constant(v);
    const t = text;
    return fc.oneof(
      fc.constant(v),
      fc.constant(t),
      fc.nat({ max: t.length }).map((n) => t.slice(0, n)),
      fc.constant(new TextEncoder().encode(t)),
    );
  });
}

/** Noise: random text and bytes. */
export const noise: fc.Arbitrary<unknown> = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), anyJson);

/** The forms that arrive on an MQTT topic or an HTTP body: text or bytes (a value JSON cannot write goes as deep text). */
export function asTextOrBytes(value: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> {
  return wireForms(value).map((v) => {
    if (v instanceof Uint8Array || typeof v === 'string') return v;
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    }
  });
}
