import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FORMATS } from '../../../src/config.js';
import { parseNames, RenameError, renameSpeakers } from '../../../src/output/renameSpeakers.js';
import { publishOutputs } from '../../../src/output/report.js';
import type { TranscriptDocument } from '../../../src/output/render/index.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, tempStore } from '../../helpers/store.js';

const doc: TranscriptDocument = {
  source: 'a.wav',
  language: 'en',
  languageProbability: 1,
  task: 'transcribe',
  backend: 'faster-whisper',
  model: 'base',
  alignment: 'native',
  durationSec: 6,
  processingSec: 1,
  degraded: [],
  notes: [],
  speechFound: true,
  createdAt: 'now',
  suppressed: [],
  speakers: [
    { id: 'S1', name: null, speechSec: 1 },
    { id: 'S2', name: null, speechSec: 1 },
  ],
  segments: [
    { start: 0, end: 1, text: ' hello there', words: [], speaker: 'S1' },
    { start: 3, end: 4, text: ' hi', words: [], speaker: 'S2' },
  ],
};

function published() {
  const outbox = tempDir();
  const job = { ...addJob(tempStore()).job, outputStem: join(outbox, 'a') };
  publishOutputs(job, outbox, doc, [...FORMATS]);
  return { outbox, job };
}

test('names replace Speaker N in every output, and the JSON keeps them', () => {
  const { outbox, job } = published();
  assert.match(readFileSync(`${job.outputStem}.txt`, 'utf8'), /^Speaker 1: hello there/);
  renameSpeakers(job, outbox, [...FORMATS], parseNames(['S1=Alice', 'S2=Bob']));
  assert.equal(readFileSync(`${job.outputStem}.txt`, 'utf8'), 'Alice: hello there\n\nBob: hi\n');
  assert.match(readFileSync(`${job.outputStem}.vtt`, 'utf8'), /<v Bob>hi/);
  const json = JSON.parse(readFileSync(`${job.outputStem}.json`, 'utf8'));
  assert.deepEqual(
    json.speakers.map((s: { name: string }) => s.name),
    ['Alice', 'Bob'],
  );
  assert.deepEqual(
    json.segments.map((s: { id: number }) => s.id),
    [0, 1],
  );
});

test('an unknown speaker or a malformed pair is refused and nothing is rewritten', () => {
  const { outbox, job } = published();
  const before = readFileSync(`${job.outputStem}.txt`, 'utf8');
  assert.throws(() => renameSpeakers(job, outbox, [...FORMATS], parseNames(['S3=Carol'])), RenameError);
  assert.throws(() => parseNames(['Alice']), RenameError);
  assert.equal(readFileSync(`${job.outputStem}.txt`, 'utf8'), before);
});
