import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { knownLanguage, skipNote, subtitleInTheWay } from '../../../src/output/besideSkip.js';
import { publishReadyDuplicates } from '../../../src/output/duplicates.js';
import { silentLogger } from '../../../src/platform/log.js';
import type { Job } from '../../../src/store/jobs.js';
import { addJob, keptDocument, tempStore } from '../../helpers/store.js';
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
  const { lib, jobs, job } = libraryJob({ output, formats: ['srt'] });
  const inTheWay = (j: Job, language: string | null) =>
    subtitleInTheWay({ job: j, outbox: '/out', language, files: jobs.outputFiles });
  assert.equal(inTheWay(job, 'en'), undefined);
  writeFileSync(join(lib, 'Movie', 'Movie.eng.srt'), 'mine');
  assert.equal(inTheWay(job, null), undefined, 'the language is not known yet');
  assert.equal(inTheWay(job, 'en'), join(lib, 'Movie', 'Movie.eng.srt'));
  assert.equal(inTheWay({ ...job, overwrite: true }, 'en'), undefined);
  const toOutbox = { ...job, settings: { ...job.settings, output: { ...output, beside: false } } };
  assert.equal(inTheWay(toOutbox, 'en'), undefined, 'only a recording watched in place is skipped');
  // A subtitle dropscribe wrote for this recording, unchanged, is not in the way: it is written over.
  jobs.outputFiles.record({ input: job.input, jobId: job.id }, [
    { path: join(lib, 'Movie', 'Movie.eng.srt'), content: 'mine' },
  ]);
  assert.equal(inTheWay(job, 'en'), undefined);
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

/** Two copies of one video watched in place, Old/ with its own subtitle beside it; the first dropped is the original. */
function twoCopies(first: 'Old' | 'Movie') {
  const lib = tempDir();
  const jobs = tempStore();
  const settings = { ...DEFAULT_SETTINGS, output: { ...DEFAULT_SETTINGS.output, beside: true, languageSuffix: true } };
  for (const name of ['Old', 'Movie']) mkdirSync(join(lib, name));
  writeFileSync(join(lib, 'Old', 'Old.en.srt'), 'mine');
  const drop = (name: string) =>
    jobs.enqueue({
      input: join(lib, name, `${name}.mp4`),
      inbox: lib,
      relPath: `${name}/${name}.mp4`,
      outputStem: join('/out', name, name),
      sha256: 'same-video',
      size: 10,
      mtimeMs: 1,
      settings: { ...settings, formats: ['srt'] },
    }).job;
  const order = first === 'Old' ? ['Old', 'Movie'] : ['Movie', 'Old'];
  const [original, copy] = order.map(drop) as [Job, Job];
  return { lib, jobs, original, copy, drop };
}

test('a duplicate watched in place with its own subtitle beside it is skipped, never written over', () => {
  const { lib, jobs, original, copy } = twoCopies('Movie');
  jobs.claimNext('me', 60_000);
  jobs.complete(original.id, [join(lib, 'Movie', 'Movie.en.srt')], [], [], keptDocument('ask not'));
  assert.equal(publishReadyDuplicates({ stores: jobs, outbox: '/out', log: silentLogger }), 1);
  const done = jobs.get(copy.id)!;
  assert.deepEqual([done.state, done.outputs], ['done', []]);
  assert.match(done.notes[0]!, /^skipped: Old\.en\.srt is already beside/);
  assert.equal(readFileSync(join(lib, 'Old', 'Old.en.srt'), 'utf8'), 'mine');
});

test('a duplicate of a skipped original is transcribed itself; the original is not retried over its subtitle', () => {
  const { jobs, original, copy } = twoCopies('Old');
  jobs.claimNext('me', 60_000);
  jobs.complete(original.id, [], [], [skipNote(original, 'Old.en.srt')]); // skipped: no outputs, no document
  publishReadyDuplicates({ stores: jobs, outbox: '/out', log: silentLogger });
  assert.deepEqual([jobs.get(copy.id)!.state, jobs.get(copy.id)!.duplicateOf], ['queued', null]);
  assert.deepEqual([jobs.get(original.id)!.state, jobs.get(original.id)!.overwrite], ['done', false]);
  assert.equal(jobs.get(original.id)!.notes.length, 1, 'the skipped one keeps its note');
  assert.equal(jobs.claimNext('me', 60_000)?.id, copy.id, 'the copy is claimed like any job');
});

test('two copies of a skipped original: the first is transcribed itself, the second waits for it (one original)', () => {
  const { lib, jobs, original, copy, drop } = twoCopies('Old');
  mkdirSync(join(lib, 'Third'));
  const third = drop('Third');
  jobs.claimNext('me', 60_000);
  jobs.complete(original.id, [], [], [skipNote(original, 'Old.en.srt')]); // skipped: no outputs, no document
  publishReadyDuplicates({ stores: jobs, outbox: '/out', log: silentLogger });
  publishReadyDuplicates({ stores: jobs, outbox: '/out', log: silentLogger });
  assert.deepEqual([jobs.get(copy.id)!.state, jobs.get(copy.id)!.duplicateOf], ['queued', null]);
  assert.deepEqual([jobs.get(third.id)!.state, jobs.get(third.id)!.duplicateOf], ['queued', copy.id]);
  assert.equal(jobs.claimNext('me', 60_000)?.id, copy.id);
  assert.equal(jobs.claimNext('me', 60_000), undefined, 'the third waits for the copy');
});
