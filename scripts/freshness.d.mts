// Types of freshness.mjs (plain JavaScript: bin/dockside.mjs loads it before any TypeScript loader).
export interface InputRecord {
  files: Record<string, [size: number, mtimeMs: number]>;
  dirs: Record<string, number>;
}
export function recordInputs(root: string, inputs: { modules: string[]; files?: string[] }, startedAtMs: number): InputRecord | undefined;
export function staleInput(root: string, record: InputRecord | undefined): string | undefined;
export function metafileInputs(metafile: { inputs: Record<string, unknown> }): string[];
