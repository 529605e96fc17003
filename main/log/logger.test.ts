import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, LOG_FILE } from './logger';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('createLogger', () => {
  it('writes JSON lines at levels, with the device and task each line is about, into logs/ in the data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockside-log-'));
    dirs.push(dir);
    const log = createLogger({ dataDir: dir, level: 'info' });
    log.debug('not at this level');
    log.child({ device: 'DOCK1', task: 'bid-1' }).info('DOCK1 sent → in_progress');
    log.warn({ device: 'DOCK2' }, 'file server: cut off');
    await log.flushAndClose();
    const lines = readFileSync(join(dir, 'logs', LOG_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.device, l.task ?? null, l.msg])).toEqual([
      [30, 'DOCK1', 'bid-1', 'DOCK1 sent → in_progress'],
      [40, 'DOCK2', null, 'file server: cut off'],
    ]);
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('writes nothing without a data folder', async () => {
    const log = createLogger();
    log.error('goes nowhere');
    await expect(log.flushAndClose()).resolves.toBeUndefined();
  });
});
