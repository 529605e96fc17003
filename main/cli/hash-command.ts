import { parse, type Command } from './command';
import { UsageError } from '../app/user-errors';
import { SUMMARIES } from './summaries';
import { FirmwareError } from '../firmware/firmware-error';
import { hashFile } from '../firmware/md5-hasher';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** A progress line on an interactive stderr only: pipes and --json get clean output. */
function progressLine(file: string): ((bytes: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (bytes, total) => {
    const pct = total > 0 ? Math.floor((bytes / total) * 100) : 100;
    process.stderr.write(`\r${pct}%  ${file}\x1b[K`);
  };
}

export const hashCommand: Command = {
  name: 'hash',
  summary: SUMMARIES.hash,
  usage: `Usage: dockside hash [--json] FILE…

Hashes each file with the same streamed MD5 worker the app uses, and prints one line per file:
  <md5>  <size in bytes>  <seconds>  <file>
The md5 and size are what ota_create sends as "md5" and "file_size".

  --json   one JSON object per line instead: {"file","md5","size","ms"}

A file that cannot be read is reported on stderr and the others are still hashed; the exit code is
then 1. No FILE at all is a usage error (exit 2).`,
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, true);
    if (positionals.length === 0) throw new UsageError('give at least one FILE to hash');
    let failed = false;
    for (const file of positionals) {
      const onProgress = values.json ? undefined : progressLine(file);
      try {
        const r = await hashFile(file, { onProgress });
        if (onProgress) process.stderr.write('\r\x1b[K');
        process.stdout.write(values.json ? `${JSON.stringify({ file, md5: r.md5, size: r.size, ms: r.ms })}\n` : `${r.md5}  ${r.size}  ${seconds(r.ms)}  ${file}\n`);
      } catch (e) {
        if (onProgress) process.stderr.write('\r\x1b[K');
        const message = e instanceof FirmwareError ? e.message : `${file}: ${(e as Error).message}`;
        process.stderr.write(`dockside hash: ${message}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};
