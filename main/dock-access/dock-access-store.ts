// The dock-access secrets and settings of one data folder: the dock and vehicle logins, the DJI licence,
// the site's organisation and its bound devices. One JSON file only the user can read (0600), written
// whole and renamed into place; never the journal, never an export, never a log line.
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BrokerBindSchema, BrokerLoginSchema, DjiLicenceSchema } from '../../preload/api';
import { newBindingCode, newLogin, newOrganisationId, newPageToken } from './credentials';

export const DOCK_ACCESS_FILE = 'dock-access.json';

const StoredSchema = z.object({
  dockLogin: BrokerLoginSchema,
  ingestLogin: BrokerLoginSchema,
  licence: DjiLicenceSchema.optional(),
  organisation: z.object({ id: z.string().min(1), name: z.string().min(1), bindingCode: z.string().min(1) }),
  bound: z.record(z.string(), z.object({ callsign: z.string(), boundAt: z.string(), modelKey: z.string().optional() })),
  ntpHost: z.string().default(''),
  bind: BrokerBindSchema.default('lan'),
  tls: z.object({ enabled: z.boolean(), certPath: z.string().optional(), keyPath: z.string().optional(), port: z.number().int().optional() }).default({ enabled: false }),
  pilotPage: z.object({ token: z.string().min(16), port: z.number().int().optional() }),
});
export type DockAccessState = z.infer<typeof StoredSchema>;

export function freshState(): DockAccessState {
  return {
    dockLogin: newLogin('dock'),
    ingestLogin: newLogin('vehicles'),
    organisation: { id: newOrganisationId(), name: 'This site', bindingCode: newBindingCode() },
    bound: {},
    ntpHost: '',
    bind: 'lan',
    tls: { enabled: false },
    pilotPage: { token: newPageToken() },
  };
}

export function dockAccessPath(dataDir: string): string {
  return join(dataDir, DOCK_ACCESS_FILE);
}

/** The stored state; a missing file is a first start. An unreadable one is set aside, named in `problem`. */
export function loadDockAccess(dataDir: string): { state: DockAccessState; problem?: string } {
  const path = dockAccessPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: freshState() };
    throw e;
  }
  try {
    return { state: StoredSchema.parse(JSON.parse(text)) };
  } catch (e) {
    const aside = `${path}.unreadable-${Date.now()}`;
    renameSync(path, aside);
    const reason = e instanceof z.ZodError ? (e.issues[0]?.message ?? 'invalid') : (e as Error).message;
    return { state: freshState(), problem: `${DOCK_ACCESS_FILE} could not be read (${reason}); it was set aside as ${aside} and new dock logins were made` };
  }
}

export function saveDockAccess(dataDir: string, state: DockAccessState): void {
  const path = dockAccessPath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}
