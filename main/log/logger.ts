// Structured logs, as a maintainer reads them after a bad day on site: JSON lines with a level, the time,
// and the device and task each line is about, in a rotating file in the data folder (logs/dockside.log,
// 5 MiB a file, 5 files). Messages carry no secrets: callers log what happened, never credentials.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

export type { Logger } from 'pino';

export const LOG_FILE = 'dockside.log';

export interface LoggerOptions {
  /** The data folder; absent: nowhere (tests, and commands that write no data folder). */
  dataDir?: string;
  level?: pino.Level;
}

export function createLogger(opts: LoggerOptions = {}): Logger & { flushAndClose: () => Promise<void> } {
  const level = opts.level ?? (process.env.DOCKSIDE_LOG_LEVEL as pino.Level | undefined) ?? 'info';
  if (!opts.dataDir) {
    return Object.assign(pino({ level, enabled: false }), { flushAndClose: () => Promise.resolve() });
  }
  const dir = join(opts.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const stream = createStream(LOG_FILE, { path: dir, size: '5M', maxFiles: 5 });
  // A log file that cannot be written must not stop an upgrade: the error is dropped, the app goes on.
  stream.on('error', () => undefined);
  const logger = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  return Object.assign(logger, {
    flushAndClose: () =>
      new Promise<void>((resolve) => {
        stream.end(() => resolve());
      }),
  });
}
