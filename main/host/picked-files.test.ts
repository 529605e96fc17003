import { describe, expect, it } from 'vitest';
import { ApiError } from './backend';
import { guardPathCalls, PickedFiles, pickedOnly, UPLOADS_ONLY } from './picked-files';

const calls: { call: string; req: unknown }[] = [];
const dispatch = async (call: string, req: unknown) => {
  calls.push({ call, req });
  return { ok: true };
};

describe('PickedFiles', () => {
  it('allows exactly the paths granted, compared after resolving', () => {
    const picked = new PickedFiles();
    picked.grant('/home/tech/Downloads/dock.bin');
    expect(picked.allows('/home/tech/Downloads/dock.bin')).toBe(true);
    expect(picked.allows('/home/tech/Downloads/../Downloads/dock.bin')).toBe(true);
    expect(picked.allows('/home/tech/Downloads/other.bin')).toBe(false);
    expect(picked.allows('/etc/passwd')).toBe(false);
  });
});

describe('guardPathCalls', () => {
  it('on the desktop: firmware.addPath and ingest.importPath only for picked files', async () => {
    const picked = new PickedFiles();
    picked.grant('/site/dock.bin');
    const guarded = guardPathCalls(dispatch, pickedOnly(picked));
    calls.length = 0;
    await expect(guarded('firmware.addPath', { path: '/etc/passwd' })).rejects.toThrow('firmware.addPath: only a file dropped on or picked in this window can be added');
    await expect(guarded('ingest.importPath', { path: '/home/tech/.ssh/id_rsa' })).rejects.toBeInstanceOf(ApiError);
    await expect(guarded('firmware.addPath', {})).rejects.toMatchObject({ code: 'bad-request' });
    expect(calls).toEqual([]);
    await guarded('firmware.addPath', { path: '/site/dock.bin' });
    await guarded('devices.list', {});
    expect(calls.map((c) => c.call)).toEqual(['firmware.addPath', 'devices.list']);
  });

  it('on the web host: every path call refused, everything else passed through', async () => {
    const guarded = guardPathCalls(dispatch, UPLOADS_ONLY);
    calls.length = 0;
    await expect(guarded('firmware.addPath', { path: '/etc/passwd' })).rejects.toThrow(/upload the file instead/);
    await expect(guarded('ingest.importPath', { path: '/tmp/capture.json' })).rejects.toThrow(/upload the file instead/);
    await guarded('upgrade.list', {});
    expect(calls.map((c) => c.call)).toEqual(['upgrade.list']);
  });
});
