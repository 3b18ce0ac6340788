#!/usr/bin/env node
// Server tests' setup: python/.venv-fws with PyPI's faster-whisper-server, the OpenAI-compatible server the openai
// backend is tested against. Its own environment, so its pins never touch python/.venv; the models come from there.
// An install that fails leaves a note the server tests read, and they skip saying why. Runs after `npm run build`
// and takes the environment steps from the compiled program (src/platform/python/), as setup-heavy.mjs does.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON_DIR as pyDir } from '../dist/src/platform/paths.js';
import { isUpToDate, STAMP_FILE } from '../dist/src/platform/python/location.js';
import { ensureVenv, run } from '../dist/src/platform/python/setup.js';

const FWS_VERSION = '0.0.3';
const venv = join(pyDir, '.venv-fws');
const venvPython = join(venv, 'bin', 'python');
const stampFile = join(venv, STAMP_FILE);
const failedNote = join(pyDir, '.venv-fws.failed');
const stamp = `faster-whisper-server==${FWS_VERSION}`;

if (isUpToDate({ python: venvPython, stampFile, stamp })) {
  console.log('dropscribe: the faster-whisper-server environment is up to date');
  process.exit(0);
}
try {
  ensureVenv(venv, (line) => console.log(`dropscribe: ${line}`));
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', stamp]);
  writeFileSync(stampFile, stamp);
  rmSync(failedNote, { force: true });
} catch (err) {
  writeFileSync(failedNote, `pip install ${stamp} failed: ${err.message}\n`);
  console.error(`dropscribe: could not install ${stamp}; the server tests will skip (${failedNote})`);
}
