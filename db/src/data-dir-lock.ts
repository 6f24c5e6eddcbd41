/**
 * One process per embedded data directory: PGlite has no locking of its own, and two writers would
 * corrupt it. The lock file holds the owner's pid; a lock left by a killed process is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { SW_DB_DATA_DIR_IN_USE } from './errors.js';

const heldInThisProcess = new Set<string>();

/** A live Node process under that pid (after a reboot or in a container, the pid may be another program's). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /node/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
}

/** Take the lock for `dir` (created if missing); returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/pgdata.lock`;
  if (heldInThisProcess.has(file)) throw SW_DB_DATA_DIR_IN_USE([dir, `${process.pid} (this process)`]);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldInThisProcess.add(file);
      return () => {
        heldInThisProcess.delete(file);
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw SW_DB_DATA_DIR_IN_USE([dir, owner]);
      rmSync(file, { force: true });
    }
  }
  throw SW_DB_DATA_DIR_IN_USE([dir, 'unknown']);
}
