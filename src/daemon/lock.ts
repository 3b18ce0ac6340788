// One daemon per data folder: an exclusive SQLite transaction on `daemon.lock`, an fcntl lock the kernel drops
// when its holder dies. `daemon.pid` beside it names the holder for messages only and never decides anything.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { makePrivateTree } from '../platform/privateFiles.js';

// POSIX fcntl locks belong to the process and vanish when it closes ANY descriptor of the file: in the daemon,
// open `daemon.lock` only through SQLite (which shares one descriptor set per file), never with node:fs.
const LOCK_FILE = 'daemon.lock';
const HOLDER_FILE = 'daemon.pid';
/** Lock connections held by this process: referenced here so garbage collection can never close one (and so drop
 * the lock) while its holder has thrown the release function away. */
const held = new Set<Database.Database>();
/** How long a start waits for the lock: a holder that was just SIGKILLed may still be exiting. */
const WAIT_MS = 1500;

export class LockError extends Error {
  override name = 'LockError';
}

/** Who holds the lock, as the holder wrote it; fields are null when its note is missing or unreadable. */
export interface LockHolder {
  pid: number | null;
  host: string | null;
  startedAt: string | null;
}

const sqliteCode = (err: unknown) => (err as { code?: string }).code ?? '';
const isBusy = (err: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(err));
const isNotDatabase = (err: unknown) => /^SQLITE_(NOTADB|CORRUPT)/.test(sqliteCode(err));

/** Open the lock database and begin an exclusive transaction that is held, never committed.
 * Normal locking mode on purpose: in `locking_mode = EXCLUSIVE` a taker that loses a race keeps the shared lock it
 * got on the way, so two daemons starting at once can block each other until both give up. */
function holdExclusive(file: string, waitMs: number): Database.Database {
  const db = new Database(file, { timeout: waitMs });
  try {
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Take the lock for `dataDir` (creating the folder); returns a release function. Throws LockError naming the holder. */
export function acquireLock(dataDir: string, waitMs = WAIT_MS): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, LOCK_FILE);
  let db: Database.Database;
  try {
    db = holdExclusive(lockFile, waitMs);
  } catch (err) {
    if (isBusy(err)) throw new LockError(refusal(dataDir, readHolder(dataDir)));
    if (!isNotDatabase(err)) throw err;
    // Something else was written into the lock file. It holds no data (a holder never writes), so emptying it in
    // place (same inode, nobody's lock is lost) is safe.
    truncateSync(lockFile, 0);
    db = holdExclusive(lockFile, waitMs);
  }
  makePrivateTree(lockFile); // 0600, by its path: never opened with node:fs (above)
  const holderFile = join(dataDir, HOLDER_FILE);
  writeFileAtomic(
    holderFile,
    JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }) + '\n',
  );
  held.add(db);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(db);
    rmSync(holderFile, { force: true });
    db.exec('ROLLBACK');
    db.close();
  };
}

/** The holder of `dataDir`'s lock when some process holds it; never creates anything. */
export function lockHolder(dataDir: string): LockHolder | undefined {
  const file = join(dataDir, LOCK_FILE);
  if (!existsSync(file)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // needs a shared lock: fails while a holder has it
    return undefined;
  } catch (err) {
    return isBusy(err) ? readHolder(dataDir) : undefined;
  } finally {
    db?.close();
  }
}

/** "pid 123, host mac.local, started 2026-05-01T10:00:00.000Z", or what is unknown about it. */
export function describeHolder(h: LockHolder): string {
  if (h.pid === null) return `holder unknown: ${HOLDER_FILE} is missing or unreadable`;
  return [`pid ${h.pid}`, h.host && `host ${h.host}`, h.startedAt && `started ${h.startedAt}`]
    .filter(Boolean)
    .join(', ');
}

function refusal(dataDir: string, h: LockHolder): string {
  const details = [h.host && `on ${h.host}`, h.startedAt && `since ${h.startedAt}`].filter(Boolean).join(' ');
  return h.pid === null
    ? `another dropscribe daemon already uses ${dataDir} (${describeHolder(h)})`
    : `another dropscribe daemon (pid ${h.pid}) already uses ${dataDir}${details ? ` (${details})` : ''}`;
}

function readHolder(dataDir: string): LockHolder {
  try {
    const note = JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as Partial<
      Record<keyof LockHolder, unknown>
    >;
    return {
      pid: Number.isInteger(note.pid) ? (note.pid as number) : null,
      host: typeof note.host === 'string' ? note.host : null,
      startedAt: typeof note.startedAt === 'string' ? note.startedAt : null,
    };
  } catch {
    return { pid: null, host: null, startedAt: null };
  }
}
