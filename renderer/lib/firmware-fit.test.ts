import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../preload/api';
import { firmwareFit } from './firmware-fit';

const device = (sn: string, model: string, kind: DeviceInfo['kind']): DeviceInfo => ({ sn, gateway: sn, kind, model, online: true, lastSeen: '' });
const fleet = [device('DK01', 'Dock 2', 'dock'), device('DK02', 'Dock 2', 'dock'), device('DR01', 'M3D', 'drone'), device('DK03', 'Dock', 'dock')];

describe('firmwareFit', () => {
  it('matches models named in the file name, spaces and case aside', () => {
    const fit = firmwareFit({ fileName: 'DOCK2_V10.01.0300_release.bin' }, fleet);
    expect([...fit.byModel.keys()]).toEqual(['Dock 2']);
    expect(fit.byModel.get('Dock 2')!.map((d) => d.sn)).toEqual(['DK01', 'DK02']);
  });

  it('falls back to every dock when the name only says dock', () => {
    const fit = firmwareFit({ fileName: 'dock-firmware-2024.bin' }, [fleet[2]!, device('DK05', 'Unknown(3-1-0)', 'dock')]);
    expect(fit.byKindOnly).toBe(true);
    expect([...fit.byModel.values()].flat().map((d) => d.sn)).toEqual(['DK05']);
  });

  it('names nothing when the file names nothing', () => {
    expect(firmwareFit({ fileName: 'package.bin' }, fleet).byModel.size).toBe(0);
  });
});
