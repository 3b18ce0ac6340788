// The transcribe step through the pipeline with a scripted runner: window by window, joined in order, missing ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptedPipeline } from '../../helpers/scriptedPipeline.js';

test('a recording vad plans in windows is transcribed window by window and joined in the order of the recording', async () => {
  const { run, requests } = scriptedPipeline({}, { vad: true }, { windows: 3 });
  const { document, degraded } = await run();
  assert.deepEqual(
    document.segments.map((s) => [s.start, s.text]),
    [
      [0, 'heard by faster-whisper in window 0'],
      [4, 'heard by faster-whisper in window 1'],
      [8, 'heard by faster-whisper in window 2'],
    ],
  );
  const windows = requests.flatMap((r) => (r.stage === 'transcribe' && r.window ? [r.window] : []));
  assert.deepEqual(
    windows.map((w) => [w.index, w.count, w.start, w.end]),
    [
      [0, 3, 0, 4],
      [1, 3, 4, 8],
      [2, 3, 8, 12],
    ],
  );
  assert.deepEqual([degraded, document.missing], [[], undefined]);
});

test('a window that fails on every backend is marked missing and the job degrades; the other windows are kept', async () => {
  const { run } = scriptedPipeline({ 'transcribe:faster-whisper@1': ['crashed'] }, { vad: true }, { windows: 3 });
  const { document, degraded } = await run();
  assert.deepEqual(
    document.segments.map((s) => s.start),
    [0, 8],
  );
  assert.deepEqual(
    document.missing?.map((m) => [m.start, m.end]),
    [[4, 8]],
  );
  assert.equal(degraded.length, 1);
  assert.match(degraded[0]!, /^the range 4\.0-8\.0 s could not be transcribed \(.*crashed.*\); it is marked missing$/);
});

test('without windows the whole recording is one transcribe request on the first backend that works', async () => {
  const { run, calls } = scriptedPipeline({ 'transcribe:mlx': ['config'] }, { backend: 'mlx' });
  const { document, degraded } = await run();
  assert.deepEqual(
    calls.filter((c) => c.startsWith('transcribe')),
    ['transcribe:mlx', 'transcribe:faster-whisper'],
    'a config error is not retried on the same backend',
  );
  assert.equal(document.segments[0]!.text, 'heard by faster-whisper');
  assert.match(degraded.join('\n'), /the mlx backend failed \(config: scripted config\); fell back to faster-whisper/);
});
