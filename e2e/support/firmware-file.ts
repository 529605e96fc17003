// Firmware files made for a test: random bytes under the test's own output folder, named the DJI way
// ("Dock2-V10.01.1700-e2e.bin") when the version should be read from the name.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from '@playwright/test';

export function firmwareFile(name: string, bytes = 256 * 1024): string {
  const path = test.info().outputPath(name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, randomBytes(bytes));
  return path;
}
