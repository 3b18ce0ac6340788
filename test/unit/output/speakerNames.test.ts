// `dropscribe speakers JOB S1=Alice`: names are speaker corrections, published like the web page's and kept with them.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FORMATS } from '../../../src/config/config.js';
import { CorrectionError } from '../../../src/output/corrections.js';
import { parseNames, RenameError } from '../../../src/output/renameSpeakers.js';
import { publishCorrection, publishCorrections } from '../../../src/output/republish.js';
import type { TranscriptDocument } from '../../../src/output/render/index.js';
import { testConfig } from '../../helpers/env.js';
import { dropper, keptDocument, tempStore } from '../../helpers/store.js';

const doc: TranscriptDocument = keptDocument('', {
  speakers: [
    { id: 'S1', name: null, speechSec: 1 },
    { id: 'S2', name: null, speechSec: 1 },
  ],
  segments: [
    { start: 0, end: 1, text: ' hello there', words: [], speaker: 'S1' },
    { start: 3, end: 4, text: ' hi', words: [], speaker: 'S2' },
  ],
} as Partial<TranscriptDocument>);

/** A done job with all four formats and its kept document, as the daemon leaves it. */
function doneJob() {
  const config = testConfig();
  mkdirSync(config.outbox, { recursive: true });
  const jobs = tempStore();
  const { job } = dropper(jobs, config.outbox)('a.wav', 'sha-a', { formats: [...FORMATS] });
  assert.equal(jobs.claimNext('me', 60_000)?.id, job.id);
  jobs.complete(job.id, [], [], [], doc);
  return { config, jobs, job: jobs.get(job.id)! };
}

test('pairs become speaker corrections; another shape is refused', () => {
  assert.deepEqual(parseNames(['S1=Alice', 'S2= Bob ']), [
    { kind: 'speaker', id: 'S1', name: 'Alice' },
    { kind: 'speaker', id: 'S2', name: 'Bob' },
  ]);
  assert.throws(() => parseNames(['Alice']), RenameError);
});

test('names replace Speaker N in every output and are kept with the corrections (the page sees them)', () => {
  const { config, jobs, job } = doneJob();
  const { written } = publishCorrections({
    config,
    stores: jobs,
    job,
    corrections: parseNames(['S1=Alice', 'S2=Bob']),
  });
  assert.deepEqual(written.sort(), FORMATS.map((f) => join(config.outbox, `a.${f}`)).sort());
  assert.equal(readFileSync(join(config.outbox, 'a.txt'), 'utf8'), 'Alice: hello there\n\nBob: hi\n');
  assert.match(readFileSync(join(config.outbox, 'a.vtt'), 'utf8'), /<v Bob>hi/);
  const json = JSON.parse(readFileSync(join(config.outbox, 'a.json'), 'utf8'));
  assert.deepEqual(
    json.speakers.map((s: { name: string }) => s.name),
    ['Alice', 'Bob'],
  );
  assert.deepEqual(
    jobs.corrections.current(job.id)?.speakers?.map((s) => s.name),
    ['Alice', 'Bob'],
  );
  // A later correction from the page starts from the named transcript: the names stay.
  publishCorrection({ config, stores: jobs, job, correction: { kind: 'segment', segment: 1, text: 'hi again' } });
  assert.equal(readFileSync(join(config.outbox, 'a.txt'), 'utf8'), 'Alice: hello there\n\nBob: hi again\n');
});

test('an unknown speaker changes nothing: no output rewritten, no correction kept', () => {
  const { config, jobs, job } = doneJob();
  publishCorrections({ config, stores: jobs, job, corrections: [] });
  const before = readFileSync(join(config.outbox, 'a.txt'), 'utf8');
  assert.throws(
    () => publishCorrections({ config, stores: jobs, job, corrections: parseNames(['S1=Alice', 'S3=Carol']) }),
    CorrectionError,
  );
  assert.equal(readFileSync(join(config.outbox, 'a.txt'), 'utf8'), before);
  assert.equal(jobs.corrections.current(job.id)?.speakers?.[0]?.name, null);
});
