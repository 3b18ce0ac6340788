#!/usr/bin/env node
// Server tests' setup: python/.venv-fws with PyPI's faster-whisper-server, the OpenAI-compatible server the openai
// backend is tested against. Its own environment, so its pins never touch python/.venv; the models come from there.
// An install that fails leaves a note the server tests read, and they skip saying why.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv, isUpToDate, pyDir, run, venvPaths } from './pythonEnv.mjs';

const FWS_VERSION = '0.0.3';
const venv = join(pyDir, '.venv-fws');
const { venvPython, stampFile } = venvPaths(venv);
const failedNote = join(pyDir, '.venv-fws.failed');
const stamp = `faster-whisper-server==${FWS_VERSION}`;

if (isUpToDate(venv, stamp)) {
  console.log('dropscribe: the faster-whisper-server environment is up to date');
  process.exit(0);
}
try {
  ensureVenv(venv, 'faster-whisper-server environment', 'dropscribe: Python 3.10 or newer is needed for the server tests');
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', stamp]);
  writeFileSync(stampFile, stamp);
  rmSync(failedNote, { force: true });
} catch (err) {
  writeFileSync(failedNote, `pip install ${stamp} failed: ${err.message}\n`);
  console.error(`dropscribe: could not install ${stamp}; the server tests will skip (${failedNote})`);
}
