#!/usr/bin/env node
// Create or reuse python/.venv-heavy: the stage package with the real align and separate extras (whisperx, demucs, torch) for npm run test:heavy.
// Kept apart from python/.venv so the everyday environment stays small. The wheels (about 4 GB, mostly torch and its
// CUDA libraries) are kept in a wheelhouse (~/.cache/dropscribe/wheels, or DROPSCRIBE_WHEELHOUSE) and installed from
// there, so a rebuild (a fresh clone in CI) downloads nothing again: pip's own HTTP cache does not keep them here.
// It runs after `npm run build` and takes the environment steps from the compiled program (src/platform/python/).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PYTHON_DIR as pyDir } from '../dist/src/platform/paths.js';
import { envExtras, isUpToDate, settingsStamp, STAMP_FILE } from '../dist/src/platform/python/location.js';
import { ensureVenv, MLX_WHISPER, run } from '../dist/src/platform/python/setup.js';

const venv = process.env.DROPSCRIBE_HEAVY_VENV ?? join(pyDir, '.venv-heavy');
const venvPython = join(venv, 'bin', 'python');
const stampFile = join(venv, STAMP_FILE);
// mlx where a clone gets it (Apple Silicon, Linux x86_64): the hybrid test runs real MLX, then real WhisperX.
const mlx = envExtras('clone', {}).includes('mlx');
const extras = ['align', 'separate', 'test', ...(mlx ? ['mlx'] : [])];
const wheelhouse = process.env.DROPSCRIBE_WHEELHOUSE ?? join(homedir(), '.cache', 'dropscribe', 'wheels');

const stamp = settingsStamp(extras);

function sizeOf(dir) {
  try {
    return execFileSync('du', ['-sh', dir], { encoding: 'utf8' }).split('\t')[0];
  } catch {
    return '?';
  }
}

if (isUpToDate({ python: venvPython, stampFile, stamp })) {
  console.log(`dropscribe: heavy environment ${venv} is up to date (${sizeOf(venv)})`);
  process.exit(0);
}
const started = Date.now();
// whisperx supports Python 3.10 to 3.13.
ensureVenv(venv, (line) => console.log(`dropscribe: ${line}`), 314);
console.log(
  `dropscribe: installing the stage package with extras ${extras.join(', ')} (torch and its libraries: several GB the first time)`,
);
const target = `${pyDir}[${extras.join(',')}]`;
const pip = [venvPython, '-m', 'pip'];
const installOffline = [
  'install',
  '--disable-pip-version-check',
  '-q',
  '--no-index',
  '--find-links',
  wheelhouse,
  '-e',
  target,
];
try {
  run(pip[0], [...pip.slice(1), ...installOffline]);
} catch {
  // Something is not in the wheelhouse yet: fetch it (pip download skips the files already there), then install again.
  console.log(`dropscribe: fetching the missing wheels into ${wheelhouse}`);
  run(pip[0], [...pip.slice(1), 'download', '--disable-pip-version-check', '-q', '-d', wheelhouse, target]);
  run(pip[0], [...pip.slice(1), ...installOffline]);
}
run(venvPython, ['-m', 'dropscribe_stages.weights.models'], { cwd: pyDir, env: { ...process.env, PYTHONPATH: pyDir } });
// The speaker model's wheel, without its dependencies, so the heavy tests can compare the numpy port with torch.
run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--no-deps', 'resemblyzer==0.1.4']);
run(venvPython, ['-m', 'dropscribe_stages.speakers.model'], { cwd: pyDir, env: { ...process.env, PYTHONPATH: pyDir } });
if (mlx) {
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--no-deps', MLX_WHISPER]);
  run(venvPython, ['-m', 'dropscribe_stages.weights.mlx_weights'], { cwd: pyDir, env: { ...process.env, PYTHONPATH: pyDir } });
}
writeFileSync(stampFile, stamp);
console.log(`dropscribe: heavy environment ready in ${((Date.now() - started) / 1000).toFixed(0)} s, ${sizeOf(venv)}`);
