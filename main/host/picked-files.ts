// Calls that name a file on this machine (firmware.addPath, ingest.importPath) read whatever path they
// are given, so a host lets them through only for files the technician chose: on the desktop, the
// paths of files dropped on or picked in the window this session; on the web host, none at all (the
// browser uploads the bytes instead, and the upload hands its stored file to the core itself).
import { resolve } from 'node:path';
import { ApiError } from './backend';
import type { Dispatch } from './contract';

export const PATH_CALLS: ReadonlySet<string> = new Set(['firmware.addPath', 'ingest.importPath']);

/** Plenty for a day at a site; past it the oldest grants go first. */
const MAX_GRANTS = 10_000;

export class PickedFiles {
  private readonly paths = new Set<string>();

  /** The technician dropped or picked this file (reported by the preload from a real File object). */
  grant(path: string): void {
    const key = resolve(path);
    this.paths.delete(key);
    this.paths.add(key);
    if (this.paths.size > MAX_GRANTS) this.paths.delete(this.paths.values().next().value!);
  }

  allows(path: string): boolean {
    return this.paths.has(resolve(path));
  }
}

export type PathPolicy = { allows: (path: string) => boolean; refusal: string };

/** The web host: the browser uploads; no page names a path on this machine. */
export const UPLOADS_ONLY: PathPolicy = {
  allows: () => false,
  refusal: 'the web host does not open files by path: upload the file instead (POST /api/firmware or /api/import)',
};

export function pickedOnly(picked: PickedFiles): PathPolicy {
  return { allows: (path) => picked.allows(path), refusal: 'only a file dropped on or picked in this window can be added' };
}

/** The dispatch with PATH_CALLS refused unless the policy allows their path. */
export function guardPathCalls(dispatch: Dispatch, policy: PathPolicy): Dispatch {
  return (call, req) => {
    if (!PATH_CALLS.has(call)) return dispatch(call, req);
    const path = req !== null && typeof req === 'object' ? (req as { path?: unknown }).path : undefined;
    if (typeof path === 'string' && policy.allows(path)) return dispatch(call, req);
    return Promise.reject(new ApiError('bad-request', `${call}: ${policy.refusal}`));
  };
}
