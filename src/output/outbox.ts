// Atomic writing into the outbox (or beside a recording): a hidden temp file in the same folder (O_EXCL|O_NOFOLLOW),
// fsync, then rename over the target. Readers (and iCloud/Dropbox) never see a half file; iCloud never uploads names
// ending in .tmp; no write goes through a link out of the folder. What may be written over is publisher.ts's rule.
// The outbox itself is created only at start, and only when the folder above it exists (createOutbox): while the
// daemon runs a missing outbox is waited for, so nothing is ever written into a stray copy of a volume's path.
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isInside } from '../config/config.js';
import { walkFiles } from '../platform/walkFiles.js';
import { OutboxError, OutputRefusedError, problemOf } from './outboxError.js';

export { OutboxError, OutputRefusedError, probeOutbox } from './outboxError.js';

export interface OutputFile {
  path: string;
  /** Text, or the bytes of a binary format (docx). */
  content: string | Uint8Array;
}

const TEMP_PATTERN = /^\..+\.[0-9a-f]{8}\.dropscribe\.tmp$/;

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.dropscribe.tmp`);
}

/** Make the renames in these folders durable (fsync each folder once). */
export function syncFolders(dirs: Iterable<string>): void {
  for (const dir of new Set(dirs)) fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems (and macOS for directories on some volumes) refuse: the rename is still atomic */
  }
}

/** Create the outbox at start, when the folder above it exists; 'parent-missing' when it does not (a volume that
 * is not mounted: jobs wait for it). */
export function createOutbox(outbox: string): 'exists' | 'created' | 'parent-missing' {
  if (existsSync(outbox)) return 'exists';
  if (!existsSync(dirname(outbox))) return 'parent-missing';
  mkdirSync(outbox);
  return 'created';
}

/** Create the folders of `dir` below the existing `root`, one level at a time, so that an outbox that went away
 * meanwhile fails (ENOENT) instead of being created again; each level must really be inside `realRoot` (a link
 * out of it is refused before anything is made through it). */
function makeFoldersBelow(root: string, realRoot: string, dir: string): void {
  let at = root;
  for (const part of relative(root, dir).split(sep).filter(Boolean)) {
    at = join(at, part);
    try {
      mkdirSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    checkInside(realRoot, at, root);
  }
}

/** Refuse `dir` unless its real path (links resolved) is inside the real root. */
function checkInside(realRoot: string, dir: string, root: string): void {
  const real = realpathSync.native(dir);
  if (!isInside(realRoot, real)) throw new OutputRefusedError(dir, root, `it is a link to ${real}`);
}

/** A new temp file, never an existing one and never through a link. */
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Write every file to a temp beside it (fsynced), then rename them all into place. Nothing half-written stays
 * behind, and nothing is written outside `root` (the outbox, or a recording's watched folder): its path, and the real
 * path of every folder written into (links resolved), must be inside it. `beforeRename` runs once every temp is
 * written (the publisher records what it writes). The folders are fsynced before it returns, or, given `unsynced`,
 * added to it: the caller publishing a batch then calls syncFolders once for all of it before it records any of them
 * as published. */
export function publish(
  root: string,
  files: OutputFile[],
  { unsynced, beforeRename }: { unsynced?: Set<string>; beforeRename?: () => void } = {},
): string[] {
  for (const f of files) {
    if (!isInside(root, f.path)) throw new OutputRefusedError(f.path, root, 'it is outside');
  }
  const temps: { temp: string; target: string }[] = [];
  try {
    const realRoot = realpathSync.native(root);
    for (const f of files) {
      const dir = dirname(f.path);
      makeFoldersBelow(root, realRoot, dir);
      checkInside(realRoot, dir, root);
      const temp = tempPathFor(f.path);
      const fd = openSync(temp, TEMP_FLAGS, 0o644);
      temps.push({ temp, target: f.path });
      try {
        if (typeof f.content === 'string') writeSync(fd, f.content);
        else writeSync(fd, f.content);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      checkInside(realRoot, dir, root); // not swapped for a link while the temp was written
    }
    beforeRename?.();
    for (const { temp, target } of temps) renameSync(temp, target);
  } catch (err) {
    for (const { temp } of temps) removeQuietly(temp);
    const e = err as NodeJS.ErrnoException;
    if (!e?.syscall) throw err; // not the file system's: a refusal, or the database recording what is written
    throw new OutboxError(problemOf(e.code), root, { detail: e.message, cause: err });
  }
  const dirs = temps.map((t) => dirname(t.target));
  if (unsynced) dirs.forEach((d) => unsynced.add(d));
  else syncFolders(dirs);
  return files.map((f) => f.path);
}

/** Remove a temp file that may not exist, or whose folder is not one. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    /* ENOTDIR: it was never written */
  }
}

/** Remove temp files a crash left behind in the outbox (walks sub-folders). Returns how many. */
export function sweepTemps(outbox: string): number {
  let removed = 0;
  for (const p of walkFiles(outbox)) {
    if (!TEMP_PATTERN.test(basename(p))) continue;
    rmSync(p, { force: true });
    removed++;
  }
  return removed;
}
