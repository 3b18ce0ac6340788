// Reading a transcript file: a broken one fails as garbage, naming the file and stage and no made-up job.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTranscript } from '../../../src/pipeline/stepContext.js';
import { StageError } from '../../../src/stages/stageError.js';
import { tempDir } from '../../helpers/env.js';

test('a transcript file that breaks the contract fails as garbage with its file and stage, and no job', () => {
  const path = join(tempDir(), 'transcript.json');
  writeFileSync(path, JSON.stringify({ segments: [{ text: 1 }] }));
  assert.throws(
    () => readTranscript(path),
    (err: unknown) =>
      err instanceof StageError &&
      err.kind === 'garbage' &&
      err.context.file === path &&
      err.context.stage === 'transcribe' &&
      err.context.jobId === undefined,
  );
});
