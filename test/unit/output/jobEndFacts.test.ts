// The facts a job's end is decided on, read from the disk and the store: the input same, changed, renamed inside the
// inbox (a duplicate in place) or gone; the user's corrections; a subtitle in the way beside the recording.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { decideJobEnd } from '../../../src/output/jobEnd.js';
import { duplicateFacts, inTheWayBeforeRun, jobEndFacts } from '../../../src/output/jobEndFacts.js';
import type { JobStore } from '../../../src/store/jobs.js';
import { tempDir } from '../../helpers/env.js';
import { keptDocument, tempStore } from '../../helpers/store.js';

const RUN = { document: keptDocument('ask not'), degraded: [], notes: [] };

function drop(jobs: JobStore, inbox: string, name: string, content = 'recording', settings = DEFAULT_SETTINGS) {
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
    settings,
  }).job;
}

test('the same file is published; a changed one is not', () => {
  const jobs = tempStore();
  const inbox = tempDir();
  const job = drop(jobs, inbox, 'a.wav');
  const sources = { stores: jobs, outbox: '/out' };
  assert.equal(jobEndFacts(sources, job, RUN).input, 'same');
  assert.equal(decideJobEnd(jobEndFacts(sources, job, RUN)).action, 'publish');
  writeFileSync(job.input, 'another recording, longer');
  const end = decideJobEnd(jobEndFacts(sources, job, RUN));
  assert.match(end.action === 'cancel' ? end.reason : '', /nothing was published/);
});

test('a file renamed inside the inbox goes under its new name; a deleted one is published with a note', () => {
  const jobs = tempStore();
  const inbox = tempDir();
  const sources = { stores: jobs, outbox: '/out' };
  const job = drop(jobs, inbox, 'old.wav');
  renameSync(job.input, join(inbox, 'new.wav'));
  const renamed = drop(jobs, inbox, 'new.wav'); // intake saw the new name: same content, a duplicate
  assert.equal(renamed.duplicateOf, job.id);
  const facts = jobEndFacts(sources, job, RUN);
  assert.deepEqual(
    facts.inPlaceDuplicates.map((d) => d.id),
    [renamed.id],
  );
  const end = decideJobEnd(facts);
  assert.equal(end.action === 'renamed' && end.to.id, renamed.id);
  rmSync(join(inbox, 'new.wav'));
  const gone = decideJobEnd(jobEndFacts(sources, job, RUN));
  assert.equal(gone.action, 'publish');
  assert.match(gone.action === 'publish' ? gone.notes.at(-1)! : '', /deleted or moved away/);
});

test("the user's corrections are read; a subtitle beside a watched recording is in the way, before and after", () => {
  const jobs = tempStore();
  const lib = tempDir();
  mkdirSync(join(lib, 'Movie'));
  const settings = { ...DEFAULT_SETTINGS, language: 'en', output: { ...DEFAULT_SETTINGS.output, beside: true } };
  const job = drop(jobs, lib, 'Movie/Movie.mp4', 'video', settings);
  const sources = { stores: jobs, outbox: '/out' };
  assert.equal(inTheWayBeforeRun(sources, job), undefined);
  writeFileSync(join(lib, 'Movie', 'Movie.srt'), 'mine');
  assert.equal(inTheWayBeforeRun(sources, job), join(lib, 'Movie', 'Movie.srt'));
  assert.equal(jobEndFacts(sources, job, RUN).inTheWay, join(lib, 'Movie', 'Movie.srt'));
  assert.equal(jobEndFacts(sources, job, RUN).corrected, undefined);
  jobs.corrections.save(job.id, keptDocument('corrected'));
  assert.equal(jobEndFacts(sources, job, RUN).corrected?.document.segments[0]?.text, ' corrected');
});

test("a duplicate's facts: both inputs, and the original's document read once through documentOf", () => {
  const jobs = tempStore();
  const inbox = tempDir();
  const original = drop(jobs, inbox, 'a.wav');
  const copy = drop(jobs, inbox, 'b.wav');
  const sources = { stores: jobs, outbox: '/out' };
  const asked: number[] = [];
  const documentOf = (id: number) => (asked.push(id), RUN.document);
  const waiting = duplicateFacts(sources, { duplicate: copy, original }, documentOf);
  assert.deepEqual([waiting.document, asked], [undefined, []], 'not done: no document looked for');
  rmSync(original.input);
  const done = duplicateFacts(sources, { duplicate: copy, original: { ...original, state: 'done' } }, documentOf);
  assert.deepEqual(
    [done.originalInput, done.duplicateInput, done.document, asked],
    ['gone', 'same', RUN.document, [original.id]],
  );
});
