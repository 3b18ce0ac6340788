// One daemon per data folder: a pid file created exclusively; a stale one (dead pid) is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export class LockError extends Error {
  override name = 'LockError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock for `dataDir`; returns a release function. */
export function acquireLock(dataDir: string): () => void {
  const file = join(dataDir, 'daemon.pid');
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new LockError(`another dropscribe daemon (pid ${pid}) already uses ${dataDir}`);
      }
      rmSync(file, { force: true }); // stale: its daemon is gone
    }
  }
  throw new LockError(`could not take the lock ${file}`);
}

/** The pid of the daemon holding `dataDir`, if one is running. */
export function lockHolder(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'daemon.pid'), 'utf8').trim());
    return pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
