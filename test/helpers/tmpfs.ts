// A small tmpfs for the full-disk and read-only tests, mounted as root (Linux); tests skip, saying why, where the
// kernel does not let us mount. Every mount is undone when the test process exits.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './env.js';

const mounted: string[] = [];
// Before the temp folders are removed (env.ts), which would fail on a mount point.
process.prependOnceListener('exit', () => {
  for (const dir of mounted.reverse()) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
});

/** Why a tmpfs cannot be mounted here (for `skip`), or false when it can. */
export function cannotMount(): string | false {
  if (process.platform !== 'linux') return 'mounts a tmpfs (Linux)';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return false;
  } catch {
    return 'the kernel refused to mount a tmpfs';
  }
}

/** Mount a tmpfs of `sizeMb` on a new folder `name` in a temp folder; returns its path. */
export function tmpfs(name: string, sizeMb: number, root = tempDir()): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

/** Remount `dir` read-only or read-write. */
export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

/** Fill the file system of `dir` with the file `name`, leaving about `leaveKb` free. Returns the file's path. */
export function fill(dir: string, name = 'filler', leaveKb = 0): string {
  const file = join(dir, name);
  const df = execFileSync('df', ['-k', '--output=avail', dir], { encoding: 'utf8' });
  const availKb = Number(df.trim().split('\n').pop());
  const count = leaveKb > 0 ? [`count=${Math.max(0, availKb - leaveKb)}`] : []; // without a count: until full
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=1k', ...count], { stdio: 'ignore' });
  } catch {
    /* ENOSPC: full, as asked */
  }
  return file;
}
