import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';

export const LOCK_FILE = '.thanos-ha.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let depth = 0;

/**
 * Runs `fn` holding the repository's write lock (a file created exclusively), so two `generate`
 * or `new-overlay` runs can never interleave their writes. A lock left by a process that no longer
 * exists is taken over; a live one makes the second run stop with a clear message (exit 2).
 * Re-entrant within one process: new-overlay may call generate while holding it.
 */
export async function withRepoLock<T>(root: string, command: string, fn: () => Promise<T> | T): Promise<T> {
  if (depth > 0) {
    depth++;
    try {
      return await fn();
    } finally {
      depth--;
    }
  }
  const path = join(root, LOCK_FILE);
  let fd: number | undefined;
  for (let attempt = 0; attempt < 2 && fd === undefined; attempt++) {
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [pidText, holder] = readFileSync(path, 'utf8').split('\n');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new UserError(
          `${command}: another run (${holder || 'unknown command'}, pid ${pid}) is writing this repository; wait for it to finish and run ${command} again. (If no such run exists, delete ${LOCK_FILE}.)`,
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  if (fd === undefined) throw new UserError(`${command}: could not take ${LOCK_FILE}; another run is starting. Try again.`);
  writeSync(fd, `${process.pid}\n${command}\n`);
  closeSync(fd);
  depth = 1;
  try {
    return await fn();
  } finally {
    depth = 0;
    rmSync(path, { force: true });
  }
}
