// Stage runs: each attempt started with one options object and finished with its outcome; peaks learned from them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageRunStart } from '../../../src/store/stageRuns.js';
import { addJob, tempStore } from '../../helpers/store.js';

/** A first attempt, as the stage executor starts it. */
const attempt = (jobId: number, stage: string, backend: string | null, model: string | null): StageRunStart => ({
  jobId,
  stage,
  backend,
  model,
  attempt: 1,
});

test('learned peaks come from successful stage runs of the same stage, backend and model', () => {
  const s = tempStore();
  const j = addJob(s).job;
  for (const peak of [100, 200, 300]) {
    s.runs.finish(s.runs.start(attempt(j.id, 'transcribe', 'faster-whisper', 'tiny.en')), {
      outcome: 'ok',
      peakRss: peak,
    });
  }
  s.runs.finish(s.runs.start(attempt(j.id, 'transcribe', 'faster-whisper', 'tiny.en')), {
    outcome: 'failed',
    peakRss: 9999,
  });
  s.runs.finish(s.runs.start(attempt(j.id, 'transcribe', 'mlx', 'tiny.en')), { outcome: 'ok', peakRss: 5 });
  assert.deepEqual(s.runs.recentPeaks('transcribe', 'faster-whisper', 'tiny.en').sort(), [100, 200, 300]);
  assert.deepEqual(s.runs.recentPeaks('decode', null, null), []);
});

test("a job's runs are listed oldest first with their unit, outcome and error kind; a run not finished has none", () => {
  const s = tempStore();
  const j = addJob(s).job;
  const other = addJob(s).job;
  s.runs.finish(s.runs.start(attempt(j.id, 'decode', null, null)), { outcome: 'ok' });
  s.runs.finish(s.runs.start({ ...attempt(j.id, 'transcribe', 'mlx', 'base'), unit: 'w000' }), {
    outcome: 'failed',
    errorKind: 'crashed',
  });
  s.runs.start({ ...attempt(j.id, 'transcribe', 'faster-whisper', 'base'), attempt: 2, unit: 'w000' });
  s.runs.start(attempt(other.id, 'decode', null, null));
  assert.deepEqual(
    s.runs.of(j.id).map((r) => [r.stage, r.backend, r.unit, r.attempt, r.outcome, r.errorKind]),
    [
      ['decode', null, null, 1, 'ok', null],
      ['transcribe', 'mlx', 'w000', 1, 'failed', 'crashed'],
      ['transcribe', 'faster-whisper', 'w000', 2, null, null],
    ],
  );
});
