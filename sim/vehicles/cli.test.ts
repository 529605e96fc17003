import { describe, expect, it } from 'vitest';
import { UsageError } from '../../main/cli/command';
import { vehicleSimCommand } from './cli';

describe('dockside sim vehicle: usage', () => {
  it.each([
    [[], /--protocol is required/],
    [['--protocol', 'can'], /--protocol must be aktualizr, carota, edgehog or oem/],
    [['--protocol', 'oem'], /--target URL is required/],
    [['--protocol', 'aktualizr', '--target', 'mqtt://127.0.0.1:1883'], /--target: aktualizr vehicles report over HTTP/],
    [['--protocol', 'oem', '--target', 'nowhere'], /--target: target is not a URL/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--scenario', 'explode'], /--scenario must be ok or fail/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--vehicles', '0'], /--vehicles must be between 1 and 10000/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--interval', 'soon'], /--interval must be a whole number/],
    [['--protocol', 'carota', '--target', 'mqtt://127.0.0.1:1', '--carota-topic', 'carota/#'], /exactly one \+/],
    [['--protocol', 'edgehog', '--target', 'mqtt://127.0.0.1:1', '--realm', 'Bad Realm'], /--realm must be an Astarte realm/],
    [['--protocol', 'oem', '--target', 'http://127.0.0.1:1', '--colour', 'red'], /colour/],
  ])('%j → %s', async (argv, message) => {
    const run = vehicleSimCommand.run(argv);
    await expect(run).rejects.toThrow(UsageError);
    await expect(vehicleSimCommand.run(argv)).rejects.toThrow(message);
  });
});
