// Child process for the lock race test: `node --import tsx lock-contender.ts DIR TRIES`.
// Waits for "go" on stdin, then tries TRIES times to take the data folder's lock. Each grant is checked
// while held: a `holder` file created exclusively (a second holder finds it there) and the lock file
// naming this pid. Prints one JSON line: {grants, refusals, doubles}.
import { openSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from '../lock';

const [dir, triesText] = process.argv.slice(2);
const tries = Number(triesText);
if (!dir || !Number.isInteger(tries)) {
  process.stderr.write('usage: lock-contender.ts DIR TRIES\n');
  process.exit(2);
}

function holdOnce(): 'granted' | 'refused' | 'double' {
  let lock;
  try {
    lock = lockDataDir(dir!);
  } catch (e) {
    if (e instanceof DataDirLockedError) return 'refused';
    throw e;
  }
  let outcome: 'granted' | 'double' = 'granted';
  const holder = join(dir!, 'holder');
  let fd: number | undefined;
  try {
    fd = openSync(holder, 'wx');
  } catch {
    outcome = 'double';
  }
  try {
    if ((JSON.parse(readFileSync(lock.path, 'utf8')) as { pid: number }).pid !== process.pid) outcome = 'double';
  } catch {
    outcome = 'double';
  }
  if (fd !== undefined) {
    closeSync(fd);
    unlinkSync(holder);
  }
  lock.release();
  return outcome;
}

process.stdin.once('data', () => {
  const counts = { grants: 0, refusals: 0, doubles: 0 };
  for (let i = 0; i < tries; i++) {
    const outcome = holdOnce();
    if (outcome === 'refused') counts.refusals += 1;
    else counts.grants += 1;
    if (outcome === 'double') counts.doubles += 1;
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  process.exit(0);
});
process.stdout.write('ready\n');
