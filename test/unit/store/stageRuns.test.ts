import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addJob, tempStore } from '../../helpers/store.js';

test('learned peaks come from successful stage runs of the same stage, backend and model', () => {
  const s = tempStore();
  const j = addJob(s).job;
  for (const peak of [100, 200, 300]) {
    s.runs.finish(s.runs.start(j.id, 'transcribe', 'faster-whisper', 'tiny.en', 1), { outcome: 'ok', peakRss: peak });
  }
  s.runs.finish(s.runs.start(j.id, 'transcribe', 'faster-whisper', 'tiny.en', 1), {
    outcome: 'failed',
    peakRss: 9999,
  });
  s.runs.finish(s.runs.start(j.id, 'transcribe', 'mlx', 'tiny.en', 1), { outcome: 'ok', peakRss: 5 });
  assert.deepEqual(s.runs.recentPeaks('transcribe', 'faster-whisper', 'tiny.en').sort(), [100, 200, 300]);
  assert.deepEqual(s.runs.recentPeaks('decode', null, null), []);
});

test("a job's runs are listed oldest first with their unit, outcome and error kind; a run not finished has none", () => {
  const s = tempStore();
  const j = addJob(s).job;
  const other = addJob(s).job;
  s.runs.finish(s.runs.start(j.id, 'decode', null, null, 1), { outcome: 'ok' });
  s.runs.finish(s.runs.start(j.id, 'transcribe', 'mlx', 'base', 1, 'w000'), {
    outcome: 'failed',
    errorKind: 'crashed',
  });
  s.runs.start(j.id, 'transcribe', 'faster-whisper', 'base', 1, 'w000');
  s.runs.start(other.id, 'decode', null, null, 1);
  assert.deepEqual(
    s.runs.of(j.id).map((r) => [r.stage, r.backend, r.unit, r.outcome, r.errorKind]),
    [
      ['decode', null, null, 'ok', null],
      ['transcribe', 'mlx', 'w000', 'failed', 'crashed'],
      ['transcribe', 'faster-whisper', 'w000', null, null],
    ],
  );
});
