// Steps shared by the Python environment setups: paths, the settings stamp, running a command, finding a Python, making the venv.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const pyDir = join(root, 'python');

/** The environment's interpreter and the file that records what it was installed for. */
export function venvPaths(venv) {
  return { venvPython: join(venv, 'bin', 'python'), stampFile: join(venv, '.dropscribe-stamp') };
}

/** What an install depends on: the package's pyproject.toml and the extras. */
export function settingsStamp(extras) {
  return createHash('sha256')
    .update(readFileSync(join(pyDir, 'pyproject.toml')))
    .update(extras.join(','))
    .digest('hex');
}

/** True when the environment exists and was installed for `stamp`. */
export function isUpToDate(venv, stamp) {
  const { venvPython, stampFile } = venvPaths(venv);
  return existsSync(venvPython) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
}

export function run(cmd, args) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
}

/** The first Python on PATH (DROPSCRIBE_PYTHON first) of version 3.10 up to, not including, `below`; else exit with `advice`. */
export function findPython(advice, below = Infinity) {
  for (const candidate of [process.env.DROPSCRIBE_PYTHON, 'python3.12', 'python3.11', 'python3.10', 'python3'].filter(
    Boolean,
  )) {
    try {
      const v = execFileSync(candidate, ['-c', 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])'], {
        encoding: 'utf8',
      });
      const n = Number(v.trim());
      if (n >= 310 && n < below) return candidate;
    } catch {
      /* try the next */
    }
  }
  console.error(advice);
  process.exit(1);
}

/** Create the venv unless it exists, with the Python `findPython` gives. */
export function ensureVenv(venv, what, advice, below) {
  if (existsSync(venvPaths(venv).venvPython)) return;
  const python = findPython(advice, below);
  console.log(`dropscribe: creating the ${what} in ${venv} with ${python}`);
  run(python, ['-m', 'venv', venv]);
}
