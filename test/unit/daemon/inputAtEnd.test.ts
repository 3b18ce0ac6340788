// What a finished transcription does about its file: the same, changed, renamed inside the inbox, or gone.
import assert from 'node:assert/strict';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { inputAtEnd } from '../../../src/daemon/inputAtEnd.js';
import type { JobStore } from '../../../src/store/jobs.js';
import { tempDir } from '../../helpers/env.js';
import { tempStore } from '../../helpers/store.js';

function drop(jobs: JobStore, inbox: string, name: string, content = 'recording') {
  const input = join(inbox, name);
  writeFileSync(input, content);
  const st = statSync(input);
  return jobs.enqueue({
    input,
    inbox,
    relPath: name,
    outputStem: join('/out', name),
    sha256: `sha-${content}`,
    size: st.size,
    mtimeMs: Math.round(st.mtimeMs),
    settings: DEFAULT_SETTINGS,
  }).job;
}

test('the same file is published; a changed one is not', () => {
  const jobs = tempStore();
  const inbox = tempDir();
  const job = drop(jobs, inbox, 'a.wav');
  assert.deepEqual(inputAtEnd(job, jobs), { action: 'publish' });
  writeFileSync(job.input, 'another recording, longer');
  const end = inputAtEnd(job, jobs);
  assert.equal(end.action, 'cancel');
  assert.match(end.action === 'cancel' ? end.reason : '', /nothing was published/);
});

test('a file renamed inside the inbox goes under its new name; a deleted one is published with a note', () => {
  const jobs = tempStore();
  const inbox = tempDir();
  const job = drop(jobs, inbox, 'old.wav');
  renameSync(job.input, join(inbox, 'new.wav'));
  const renamed = drop(jobs, inbox, 'new.wav'); // intake saw the new name: same content, a duplicate
  assert.equal(renamed.duplicateOf, job.id);
  const end = inputAtEnd(job, jobs);
  assert.equal(end.action === 'renamed' && end.to.id, renamed.id);
  assert.match(end.action === 'renamed' ? end.note : '', /renamed to new\.wav/);
  rmSync(join(inbox, 'new.wav'));
  const gone = inputAtEnd(job, jobs);
  assert.equal(gone.action, 'publish');
  assert.match(gone.action === 'publish' ? gone.note! : '', /deleted or moved away/);
});
