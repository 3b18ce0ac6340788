// The data folder holds the job database, its backups, the work audio and secrets: only its owner may read it.
// Its folders are 0700 and its files 0600, made so when they are created and tightened at start (a data folder an
// older version left 0755/0644). Modes are only ever narrowed, never widened, and links are not followed.
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** Create `dir` (and missing parents) as 0700 folders, and narrow `dir` itself to 0700 when it exists. */
export function makePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  narrow(dir, lstatSync(dir));
}

/** Create `file` empty with mode 0600 when it is missing; narrow it to 0600 when it exists. An existing file is only
 * changed by its path, never opened: closing any descriptor of a file drops this process's fcntl locks on it (SQLite's
 * on a database, the daemon's lock). */
export function makePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    narrow(file, lstatSync(file));
  }
}

/** Narrow `dir` and everything below it (folders to 0700, files to at most 0600, keeping the owner's bits); returns
 * how many modes changed. Links are left alone; entries of another owner or that vanish meanwhile are skipped. */
export function makePrivateTree(dir: string): number {
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch {
    return 0;
  }
  let changed = narrow(dir, st) ? 1 : 0;
  if (!st.isDirectory()) return changed;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return changed;
  }
  for (const name of names) changed += makePrivateTree(join(dir, name));
  return changed;
}

/** Take the group and other bits off one entry of ours (0700 for a folder); true when its mode changed. */
function narrow(path: string, st: Stats): boolean {
  if (st.isSymbolicLink() || (process.getuid && st.uid !== process.getuid())) return false;
  const mode = st.mode & 0o7777;
  const wanted = st.isDirectory() ? 0o700 : mode & 0o700;
  if (mode === wanted) return false;
  try {
    chmodSync(path, wanted);
    return true;
  } catch {
    return false;
  }
}
