// A full disk, whoever met it (a stage, SQLite, a cache write): the job waits for space instead of failing, and
// intake pauses. Space is back when the data folder's volume has SPACE_BACK_MB free (or the configured minimum).
import { freeBytes } from './diskSpace.js';

/** Free space on the data folder's volume at which waiting jobs and intake go on again (unless the config's
 * housekeeping.minFreeDiskMb asks for more). */
export const SPACE_BACK_MB = 16;

const DISK_FULL_TEXT =
  /No space left on device|ENOSPC|Disk quota exceeded|EDQUOT|database or disk is full|SQLITE_FULL/i;

/** True when what a stage or a library said means the disk is full. */
export function saysDiskFull(text: string | undefined): boolean {
  return text !== undefined && DISK_FULL_TEXT.test(text);
}

/** True for any error that means the disk is full: a stage's `disk-full` StageError, ENOSPC/EDQUOT from a file
 * operation, SQLITE_FULL from the database. */
export function isDiskFull(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { kind?: unknown; code?: unknown; message?: unknown };
  if (e.kind === 'disk-full') return true;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'SQLITE_FULL') return true;
  return typeof e.message === 'string' && saysDiskFull(e.message);
}

/** True when the volume of `dataDir` has room again (at least SPACE_BACK_MB, or `minFreeMb` if that is more). */
export function spaceIsBack(dataDir: string, minFreeMb: number): boolean {
  const free = freeBytes(dataDir);
  return free === undefined || free >= Math.max(SPACE_BACK_MB, minFreeMb) * 1024 ** 2;
}

/** The plain-words reason and fix a job waiting for space shows in `status`. */
export function diskFullReason(dataDir: string, err: unknown): string {
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return (
    `waiting for disk space: the disk of the data folder ${dataDir} is full (${detail}). ` +
    `Free some space on that volume; the job goes on by itself once ${SPACE_BACK_MB} MB are free`
  );
}
