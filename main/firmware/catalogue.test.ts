import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirmwareInfoSchema, type FirmwareInfo } from '../../preload/api';
import { FirmwareCatalogue, isReady, toInfo, type FirmwareEntry } from './catalogue';
import { FirmwareError } from './firmware-error';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-catalogue-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');

async function rejection(p: Promise<unknown>): Promise<FirmwareError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FirmwareError);
  return e as FirmwareError;
}

describe('FirmwareCatalogue.add', () => {
  it('stats, hashes and names a file, reporting progress as it goes', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    const path = file('dock_pro_10.01.1612.zip', content);
    const cat = new FirmwareCatalogue();
    const events: FirmwareInfo[] = [];
    cat.on('changed', (info) => events.push(info));
    const entry = await cat.add(path);
    expect(entry).toMatchObject({ path, fileName: 'dock_pro_10.01.1612.zip', size: content.length, md5: md5(content), version: '10.01.1612' });
    expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(isReady(entry)).toBe(true);
    expect(events[0]).toMatchObject({ id: entry.id, hashing: { bytes: 0, total: content.length } });
    expect(events[0]!.md5).toBeUndefined();
    expect(events.at(-1)).toEqual(toInfo(entry));
    expect(cat.get(entry.id)).toEqual(entry);
    expect(cat.list()).toEqual([entry]);
  });

  it('gives each entry its own id and keeps a version the technician gave', async () => {
    const cat = new FirmwareCatalogue();
    const a = await cat.add(file('a.bin', 'a'), { version: '1.00.223' });
    const b = await cat.add(file('b.bin', 'b'));
    expect(a.version).toBe('1.00.223');
    expect(b.version).toBeUndefined();
    expect(a.id).not.toBe(b.id);
  });

  it('returns the existing entry when the same unchanged file is added again', async () => {
    const cat = new FirmwareCatalogue();
    const path = file('same.bin', 'same');
    const first = await cat.add(path);
    const again = await cat.add(path, { version: '2.0.0' });
    expect(again.id).toBe(first.id);
    expect(again.version).toBe('2.0.0');
    expect(cat.list()).toHaveLength(1);
  });

  it('stores the real path of a symlink but keeps the name it was added under', async () => {
    const real = file('dock_10.01.1612.zip', 'payload');
    const link = join(dir, 'latest.zip');
    symlinkSync(real, link);
    const entry = await new FirmwareCatalogue().add(link);
    expect(entry.path).toBe(real);
    expect(entry.fileName).toBe('latest.zip');
    expect(entry.version).toBe('10.01.1612');
  });

  it('refuses a missing file or a folder without listing anything', async () => {
    const cat = new FirmwareCatalogue();
    expect((await rejection(cat.add(join(dir, 'gone.bin')))).code).toBe('not-found');
    expect((await rejection(cat.add(dir))).code).toBe('not-a-file');
    expect(cat.list()).toEqual([]);
  });

  it('stops hashing and drops the entry when it is removed meanwhile', async () => {
    const cat = new FirmwareCatalogue();
    const removed: string[] = [];
    cat.on('removed', (id) => removed.push(id));
    const off = cat.on('changed', (info) => {
      off();
      cat.remove(info.id);
    });
    const err = await rejection(cat.add(file('big.bin', Buffer.alloc(1024 * 1024))));
    expect(err.code).toBe('aborted');
    expect(cat.list()).toEqual([]);
    expect(removed).toHaveLength(1);
  });
});

describe('FirmwareCatalogue edits', () => {
  it('sets a version and removes an entry', async () => {
    const cat = new FirmwareCatalogue();
    const entry = await cat.add(file('x.bin', 'x'));
    const seen: FirmwareInfo[] = [];
    const removed: string[] = [];
    cat.on('changed', (i) => seen.push(i));
    cat.on('removed', (id) => removed.push(id));
    expect(cat.setVersion(entry.id, '3.1.4')?.version).toBe('3.1.4');
    expect(seen.at(-1)?.version).toBe('3.1.4');
    expect(cat.setVersion('nope', '1')).toBeUndefined();
    expect(cat.remove(entry.id)).toBe(true);
    expect(cat.remove(entry.id)).toBe(false);
    expect(removed).toEqual([entry.id]);
    expect(cat.get(entry.id)).toBeUndefined();
  });

  it('toInfo is the preload contract, without the path', async () => {
    const entry = await new FirmwareCatalogue().add(file('EvoNest-V1.2.0.69-20231215094829.Encrypt.uav', 'fw'));
    const info = toInfo(entry);
    expect(FirmwareInfoSchema.parse(info)).toEqual(info);
    expect(JSON.stringify(info)).not.toContain(dir);
    expect(info.version).toBe('1.2.0.69');
  });
});

describe('FirmwareCatalogue.restore', () => {
  async function saved() {
    const paths = { kept: file('kept.bin', 'kept'), gone: file('gone.bin', 'gone'), edited: file('edited.bin', 'edited'), touched: file('touched.bin', 'touched') };
    const cat = new FirmwareCatalogue();
    for (const p of Object.values(paths)) await cat.add(p);
    return { entries: JSON.parse(JSON.stringify(cat.list())) as FirmwareEntry[], paths };
  }

  it('trusts unchanged files without hashing and marks gone or changed ones stale', async () => {
    const { entries, paths } = await saved();
    unlinkSync(paths.gone);
    writeFileSync(paths.edited, 'edited, and longer');
    utimesSync(paths.touched, new Date(), new Date(Date.now() + 60_000));

    const cat = new FirmwareCatalogue();
    const seen: FirmwareInfo[] = [];
    cat.on('changed', (i) => seen.push(i));
    const restored = await cat.restore(entries);
    expect(restored).toHaveLength(4);
    expect(seen.every((i) => i.hashing === undefined)).toBe(true);

    const byName = (n: string) => cat.list().find((e) => e.fileName === n)!;
    const kept = byName('kept.bin');
    const before = entries.find((e) => e.fileName === 'kept.bin')!;
    expect(kept).toEqual(before);
    expect(isReady(kept)).toBe(true);

    expect(byName('gone.bin')).toMatchObject({ stale: 'missing' });
    expect(byName('gone.bin').error).toContain('file not found');
    expect(byName('edited.bin')).toMatchObject({ stale: 'changed' });
    expect(byName('edited.bin').md5).toBeUndefined();
    expect(byName('touched.bin').stale).toBe('changed');
    for (const n of ['gone.bin', 'edited.bin', 'touched.bin']) expect(isReady(byName(n))).toBe(false);

    const rehashed = await cat.rehash(byName('edited.bin').id);
    expect(rehashed.md5).toBe(md5('edited, and longer'));
    expect(rehashed.stale).toBeUndefined();
    expect(rehashed.error).toBeUndefined();
    expect(rehashed.id).toBe(entries.find((e) => e.fileName === 'edited.bin')!.id);
  });

  it('hashes again an entry whose hashing was interrupted, and skips damaged records', async () => {
    const { entries } = await saved();
    const interrupted = { ...entries[0]!, md5: undefined, hashing: { bytes: 1, total: 4 } } as FirmwareEntry;
    const damaged = { id: 'x', path: 42 } as unknown as FirmwareEntry;
    const cat = new FirmwareCatalogue();
    const hashed = new Promise<FirmwareInfo>((resolve) => cat.on('changed', (i) => i.md5 && resolve(i)));
    const restored = await cat.restore([interrupted, damaged]);
    expect(restored.map((e) => e.id)).toEqual([interrupted.id]);
    expect((await hashed).md5).toBe(entries[0]!.md5);
    expect(await cat.restore([interrupted])).toEqual([]);
  });
});
