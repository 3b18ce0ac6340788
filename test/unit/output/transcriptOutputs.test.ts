// The outputs of a transcript: every format of the job's settings (and a translation as name.en.*) published together
// under the job's name, and a stale error report of ours removed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishErrorReport } from '../../../src/output/errorReports.js';
import { publishOutputs } from '../../../src/output/transcriptOutputs.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, keptDocument, tempStore } from '../../helpers/store.js';

test('each format of the settings is published under the job name; our stale error report goes', () => {
  const outbox = tempDir();
  const jobs = tempStore();
  const added = addJob(jobs, '/in/talk.wav', { formats: ['txt', 'srt'] }).job;
  const job = { ...added, outputStem: join(outbox, 'talk') };
  const [report] = publishErrorReport({ stores: jobs, job, outbox, message: 'an earlier failure' });
  assert.ok(existsSync(report!));
  const published = publishOutputs({ stores: jobs, job, outbox, doc: keptDocument('ask not', { source: 'talk.wav' }) });
  assert.deepEqual(published.outputs.sort(), [join(outbox, 'talk.srt'), join(outbox, 'talk.txt')]);
  assert.equal(published.note, undefined);
  assert.match(readFileSync(join(outbox, 'talk.txt'), 'utf8'), /ask not/);
  assert.deepEqual(readdirSync(outbox).sort(), ['talk.srt', 'talk.txt'], 'the error report of ours is gone');
});

test('a translation beside the transcript is published as name.en.*', () => {
  const outbox = tempDir();
  const jobs = tempStore();
  const added = addJob(jobs, '/in/talk.wav', { formats: ['txt'] }).job;
  const job = { ...added, outputStem: join(outbox, 'talk') };
  const translation = keptDocument('ask not', { task: 'translate', language: 'de' });
  const doc = keptDocument('frag nicht', { language: 'de', translation });
  const published = publishOutputs({ stores: jobs, job, outbox, doc });
  assert.deepEqual(published.outputs.sort(), [join(outbox, 'talk.en.txt'), join(outbox, 'talk.txt')]);
});
