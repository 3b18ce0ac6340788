// Atomic publishing into the outbox: a hidden temp file in the same folder, fsync, then rename over the
// target. Readers (and iCloud/Dropbox) never see a half file; iCloud never uploads names ending in .tmp.
// The outbox itself is created only at start, and only when the folder above it exists (createOutbox): while the
// daemon runs a missing outbox is waited for, so nothing is ever written into a stray copy of a volume's path.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isInside } from '../config.js';
import { walkFiles } from '../platform/walkFiles.js';
import { OutboxError, problemOf } from './outboxError.js';

export { OutboxError, probeOutbox } from './outboxError.js';

export interface OutputFile {
  path: string;
  content: string;
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

/** Create the folders of `dir` below the existing `outbox`, one level at a time, so that an outbox that went away
 * meanwhile fails (ENOENT) instead of being created again. */
function makeFoldersBelow(outbox: string, dir: string): void {
  let at = outbox;
  for (const part of relative(outbox, dir).split(sep).filter(Boolean)) {
    at = join(at, part);
    try {
      mkdirSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Write every file to a temp beside it (fsynced), then rename them all into place. Nothing half-written stays
 * behind. The folders are fsynced before it returns, or, given `unsynced`, added to it: the caller publishing a batch
 * then calls syncFolders once for all of it before it records any of them as published. */
export function publish(outbox: string, files: OutputFile[], unsynced?: Set<string>): string[] {
  for (const f of files) {
    if (!isInside(outbox, f.path)) throw new OutboxError('refused', outbox, `refusing to write ${f.path}`);
  }
  const temps: { temp: string; target: string }[] = [];
  try {
    for (const f of files) {
      makeFoldersBelow(outbox, dirname(f.path));
      const temp = tempPathFor(f.path);
      temps.push({ temp, target: f.path });
      const fd = openSync(temp, 'wx', 0o644);
      try {
        writeSync(fd, f.content);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    for (const { temp, target } of temps) renameSync(temp, target);
  } catch (err) {
    for (const { temp } of temps) removeQuietly(temp);
    const e = err as NodeJS.ErrnoException;
    throw new OutboxError(problemOf(e.code), outbox, e.message, { cause: err });
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
