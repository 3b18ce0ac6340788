// enqueue's exit codes for Hazel: a file the intake refuses is 4, an error while queueing is temporary (75).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ENQUEUE_EXIT, enqueueFile } from '../../../src/cli/commands/jobs.js';

const file = join(mkdtempSync(join(tmpdir(), 'dropscribe-enqueue-')), 'a.wav');
writeFileSync(file, 'RIFF');

/** enqueue prints one status line per file (and the reason on stderr): keep them out of the test report. */
function quiet(t: TestContext): void {
  t.mock.method(console, 'log', () => {});
  t.mock.method(console, 'error', () => {});
}

test('a queued file exits 0, a duplicate 3, a refused one 4', async (t) => {
  quiet(t);
  assert.equal(await enqueueFile({ admit: async () => 'queued' }, file), ENQUEUE_EXIT.queued);
  assert.equal(await enqueueFile({ admit: async () => 'known' }, file), ENQUEUE_EXIT.duplicate);
  assert.equal(await enqueueFile({ admit: async () => 'refused' }, file), ENQUEUE_EXIT.refused);
  assert.equal(await enqueueFile({ admit: async () => 'queued' }, `${file}.missing`), ENQUEUE_EXIT.refused);
});

test('an error while queueing (the team database went away) is "try again later", not a refusal', async (t) => {
  quiet(t);
  const failing = {
    admit: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
  };
  assert.equal(await enqueueFile(failing, file), ENQUEUE_EXIT.later);
  assert.equal(ENQUEUE_EXIT.later, 75);
});
