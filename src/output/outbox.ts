// Atomic publishing into the outbox: a hidden temp file in the same folder, fsync, then rename over the
// target. Readers (and iCloud/Dropbox) never see a half file; iCloud never uploads names ending in .tmp.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isInside } from '../config.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';
import { walkFiles } from '../platform/walkFiles.js';

export class OutboxError extends Error {
  override name = 'OutboxError';
}

export interface OutputFile {
  path: string;
  content: string;
}

const TEMP_PATTERN = /^\..+\.[0-9a-f]{8}\.dropscribe\.tmp$/;

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.dropscribe.tmp`);
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

/** Write every file to a temp beside it, then rename them all into place. Nothing half-written stays behind. */
export function publish(outbox: string, files: OutputFile[]): string[] {
  for (const f of files) {
    if (!isInside(outbox, f.path)) throw new OutboxError(`refusing to write outside the outbox: ${f.path}`);
  }
  const temps: { temp: string; target: string }[] = [];
  try {
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true });
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
    for (const { temp } of temps) rmSync(temp, { force: true });
    const e = err as NodeJS.ErrnoException;
    const hint =
      e.code === 'ENOSPC'
        ? 'the disk is full'
        : e.code === 'EPERM' && process.platform === 'darwin'
          ? `macOS denied access. ${fullDiskAccessHint()}`
          : e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS'
            ? 'the outbox is not writable'
            : e.code === 'ENOENT'
              ? 'the outbox folder disappeared'
              : (e.code ?? 'unknown error');
    throw new OutboxError(`could not publish to the outbox ${outbox} (${hint}): ${e.message}`, { cause: err });
  }
  for (const dir of new Set(temps.map((t) => dirname(t.target)))) fsyncDir(dir);
  return files.map((f) => f.path);
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
