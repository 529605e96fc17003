import { describe, expect, it } from 'vitest';
import { topicMatches } from './topic-filter';

describe('topicMatches', () => {
  const cases: [string, string, boolean][] = [
    ['carota/+/ota', 'carota/DKSA1B2C3D4E5F6G7/ota', true],
    ['carota/+/ota', 'carota/DKSA1B2C3D4E5F6G7/ota/extra', false],
    ['carota/+/ota', 'carota/ota', false],
    ['+/+/io.edgehog.devicemanager.OTAEvent/event', 'fleet/dev1/io.edgehog.devicemanager.OTAEvent/event', true],
    ['fleet/+/io.edgehog.devicemanager.OTAEvent/event', 'other/dev1/io.edgehog.devicemanager.OTAEvent/event', false],
    ['vehicles/#', 'vehicles', true],
    ['vehicles/#', 'vehicles/a/b', true],
    ['vehicles/#', 'trucks/a', false],
    ['exact/topic', 'exact/topic', true],
  ];
  it.each(cases)('%s against %s → %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
