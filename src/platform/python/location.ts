// Where the Python stage environment lives: python/.venv in a git clone, else the user's data folder, keyed by what it was built for.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { arch, homedir, platform } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PYTHON_DIR, standardDirs } from '../paths.js';

export interface PythonEnvLocation {
  /** 'clone': python/.venv of a git checkout (editable stage package, test tools); 'user': an installed package's env. */
  kind: 'clone' | 'user';
  dir: string;
  python: string;
  /** The pip extras it is built with. */
  extras: string[];
  /** What it was built for (pyproject.toml and extras); a different stamp needs another build. */
  stamp: string;
  stampFile: string;
}

export const STAMP_FILE = '.dropscribe-stamp';

/** True in a git checkout (a worktree's .git is a file): contributors keep python/.venv beside the code. */
export function isClone(root = PACKAGE_ROOT): boolean {
  return existsSync(join(root, '.git'));
}

/**
 * The extras: test tools in a clone, mlx on Apple Silicon (Metal) and in a Linux x86_64 clone (MLX's CPU backend, so
 * the tests run the real mlx-whisper), and any in DROPSCRIBE_PY_EXTRAS (align, separate).
 */
export function envExtras(kind: 'clone' | 'user', env = process.env, os = platform(), cpu = arch()): string[] {
  const extras = kind === 'clone' ? ['test'] : [];
  if ((os === 'darwin' && cpu === 'arm64') || (kind === 'clone' && os === 'linux' && cpu === 'x64')) extras.push('mlx');
  for (const extra of (env.DROPSCRIBE_PY_EXTRAS ?? '').split(',').filter(Boolean)) extras.push(extra);
  return extras;
}

/** What an environment depends on: the stage package's pyproject.toml (its version and dependencies) and the extras. */
export function settingsStamp(extras: string[], pyproject = join(PYTHON_DIR, 'pyproject.toml')): string {
  return createHash('sha256').update(readFileSync(pyproject)).update(extras.join(',')).digest('hex');
}

/** The folder that holds the user environments: <data>/python (Application Support on macOS, XDG data elsewhere). */
export function userEnvRoot(home = homedir(), env = process.env): string {
  return join(standardDirs(platform(), home, env).data, 'python');
}

/** The environment this package runs its stages with. */
export function pythonEnvLocation(
  opts: { root?: string; home?: string; env?: NodeJS.ProcessEnv } = {},
): PythonEnvLocation {
  const env = opts.env ?? process.env;
  const root = opts.root ?? PACKAGE_ROOT;
  const kind = isClone(root) ? 'clone' : 'user';
  const extras = envExtras(kind, env);
  const stamp = settingsStamp(extras, join(root, 'python', 'pyproject.toml'));
  const dir =
    kind === 'clone'
      ? join(root, 'python', '.venv')
      : join(userEnvRoot(opts.home ?? homedir(), env), `env-${stamp.slice(0, 16)}`);
  return { kind, dir, python: join(dir, 'bin', 'python'), extras, stamp, stampFile: join(dir, STAMP_FILE) };
}

/** True when the environment exists and was built for its stamp. */
export function isUpToDate(loc: Pick<PythonEnvLocation, 'python' | 'stampFile' | 'stamp'>): boolean {
  return existsSync(loc.python) && existsSync(loc.stampFile) && readFileSync(loc.stampFile, 'utf8') === loc.stamp;
}

/** The interpreter a config without `python` runs its stages with. */
export const DEFAULT_PYTHON = pythonEnvLocation().python;
