import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config.js';
import { knownLanguage, skipNote, subtitleInTheWay } from '../../../src/output/besideSkip.js';
import { addJob, tempStore } from '../../helpers/store.js';
import { tempDir } from '../../helpers/env.js';

function libraryJob(settings: Partial<typeof DEFAULT_SETTINGS>) {
  const lib = tempDir();
  mkdirSync(join(lib, 'Movie'));
  const jobs = tempStore();
  const { job } = addJob(jobs, join(lib, 'Movie', 'Movie.mp4'), settings);
  return { lib, jobs, job: { ...job, inbox: lib } };
}

test('a watched-in-place recording with its subtitle beside it is in the way; retry (overwrite) writes over it', () => {
  const output = { beside: true, languageSuffix: true };
  const { lib, job } = libraryJob({ output, formats: ['srt'] });
  assert.equal(subtitleInTheWay(job, '/out', 'en'), undefined);
  writeFileSync(join(lib, 'Movie', 'Movie.eng.srt'), 'mine');
  assert.equal(subtitleInTheWay(job, '/out', null), undefined, 'the language is not known yet');
  assert.equal(subtitleInTheWay(job, '/out', 'en'), join(lib, 'Movie', 'Movie.eng.srt'));
  assert.equal(subtitleInTheWay({ ...job, overwrite: true }, '/out', 'en'), undefined);
  const toOutbox = { ...job, settings: { ...job.settings, output: { ...output, beside: false } } };
  assert.equal(subtitleInTheWay(toOutbox, '/out', 'en'), undefined, 'only a recording watched in place is skipped');
  assert.match(skipNote(job, join(lib, 'Movie', 'Movie.eng.srt')), /^skipped: Movie\.eng\.srt .*dropscribe retry \d+/);
});

test('the language is known before recognition when it is forced or the task is translate', () => {
  assert.equal(knownLanguage(DEFAULT_SETTINGS), null);
  assert.equal(knownLanguage({ ...DEFAULT_SETTINGS, language: 'de' }), 'de');
  assert.equal(knownLanguage({ ...DEFAULT_SETTINGS, language: 'de', task: 'translate' }), 'en');
  assert.equal(knownLanguage({ ...DEFAULT_SETTINGS, language: 'de', task: ['transcribe', 'translate'] }), 'de');
});

test('retry marks a job to write over what is in the way', () => {
  const { jobs, job } = libraryJob({});
  assert.equal(job.overwrite, false);
  jobs.complete(jobs.claimNext('me', 60_000)!.id, [], [], ['skipped']);
  assert.equal(jobs.retry(job.id)?.overwrite, true);
  // The forced run is one run: once it ends, the same recording queued again is skipped again if its subtitle is there.
  jobs.complete(jobs.claimNext('me', 60_000)!.id, [], [], []);
  assert.equal(jobs.get(job.id)?.overwrite, false);
  assert.equal(jobs.retry(job.id)?.overwrite, true);
  jobs.fail(jobs.claimNext('me', 60_000)!.id, 'no', 'bad-input');
  assert.equal(jobs.get(job.id)?.overwrite, false);
});
