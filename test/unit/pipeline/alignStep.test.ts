// The align step through the pipeline with a scripted runner: whole recording or window by window, and what degrades.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptedPipeline } from '../../helpers/scriptedPipeline.js';

test('windows are aligned one by one; a window whose alignment fails keeps its recognizer timings, alone', async () => {
  const { run, requests } = scriptedPipeline(
    { 'align@1': ['garbage'] },
    { vad: true, align: 'whisperx' },
    { windows: 3 },
  );
  const { document, degraded } = await run();
  assert.equal(document.alignment, 'whisperx');
  assert.deepEqual(
    document.segments.map((s) => s.text),
    ['aligned by whisperx in window 0', 'heard by faster-whisper in window 1', 'aligned by whisperx in window 2'],
  );
  assert.equal(degraded.length, 1);
  assert.match(degraded[0]!, /^WhisperX word alignment of window 2\/3 failed \(garbage: .*\); used the word timings/);
  const aligned = requests.flatMap((r) => (r.stage === 'align' ? [r.window?.index] : []));
  assert.deepEqual(aligned, [0, 1, 1, 2], 'the failing window is tried twice, the others once');
});

test('when no window can be aligned the transcript keeps the native word timings', async () => {
  const { run } = scriptedPipeline({ align: ['garbage'] }, { vad: true, align: 'whisperx' }, { windows: 2 });
  const { document, degraded } = await run();
  assert.equal(document.alignment, 'native');
  assert.deepEqual(
    document.segments.map((s) => s.text),
    ['heard by faster-whisper in window 0', 'heard by faster-whisper in window 1'],
  );
  assert.equal(degraded.filter((d) => d.startsWith('WhisperX word alignment of window')).length, 2);
});
