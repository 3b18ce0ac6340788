// Fallback, degradation, retry and back-off of the pipeline with a scripted stage runner: no processes, milliseconds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JobSettings } from '../../../src/config/config.js';
import { rejection, scriptedPipeline } from '../../helpers/scriptedPipeline.js';
import type { Step } from '../../helpers/scriptedRunner.js';

const setup = (script: Record<string, Step[]>, settings: Partial<JobSettings> = {}, appleSilicon = false) =>
  scriptedPipeline(script, settings, { appleSilicon });

test('an MLX segfault on every attempt falls back to faster-whisper, and the job says so', async () => {
  const { run, calls } = setup({ 'transcribe:mlx': ['crashed'] }, { backend: 'auto' }, true);
  const result = await run();
  assert.equal(result.document.backend, 'faster-whisper');
  assert.equal(result.document.segments[0]!.text, 'heard by faster-whisper');
  assert.deepEqual(
    calls.filter((c) => c.startsWith('transcribe')),
    ['transcribe:mlx', 'transcribe:mlx', 'transcribe:mlx', 'transcribe:faster-whisper'],
  );
  assert.match(result.degraded.join('\n'), /mlx backend failed \(crashed.*fell back to faster-whisper/);
});

test('whisperx garbage degrades to the native word timings', async () => {
  const { run, calls } = setup({ align: ['garbage'] }, { align: 'whisperx' });
  const result = await run();
  assert.equal(result.document.alignment, 'native');
  assert.equal(result.document.segments[0]!.text, 'heard by faster-whisper', 'the recognizer transcript is used');
  assert.equal(calls.filter((c) => c === 'align').length, 2, 'align is tried at most twice');
  assert.match(result.degraded.join('\n'), /WhisperX word alignment failed \(garbage/);
});

test('a demucs crash transcribes the original audio', async () => {
  const { run, requests } = setup({ separate: ['crashed'] }, { separate: true });
  const result = await run();
  const decode = requests.find((r) => r.stage === 'decode')!;
  const transcribe = requests.find((r) => r.stage === 'transcribe')!;
  assert.ok(
    transcribe.stage === 'transcribe' && transcribe.audio === join(decode.outDir, 'audio.wav'),
    'transcribe reads the decoded audio, not a separated one',
  );
  assert.match(result.degraded.join('\n'), /vocal separation failed \(crashed.*transcribed the original audio/);
});

test('a temporary failure is retried after an exponential back-off, then succeeds', async () => {
  const { run, runs, delays } = setup({ 'transcribe:faster-whisper': ['temporary', 'temporary', 'ok'] });
  const result = await run();
  assert.equal(result.degraded.length, 0);
  assert.deepEqual(delays, [1000, 2000]);
  assert.deepEqual(
    runs().filter((r) => r.startsWith('transcribe')),
    [
      'transcribe:faster-whisper:failed:temporary',
      'transcribe:faster-whisper:failed:temporary',
      'transcribe:faster-whisper:ok:',
    ],
  );
});

test('bad input fails the job at once: no retry, no other backend', async () => {
  const { run, calls, delays } = setup({ decode: ['bad-input'] }, { backend: 'auto' }, true);
  const err = await rejection(run());
  assert.equal(err.kind, 'bad-input');
  assert.deepEqual(calls, ['decode']);
  assert.deepEqual(delays, []);
});

test('an error the stage marks non-retryable is not retried', async () => {
  const { run, calls, delays } = setup({ 'transcribe:faster-whisper': [{ kind: 'bug', retryable: false }] });
  const err = await rejection(run());
  assert.equal(err.kind, 'bug');
  assert.equal(err.retryable, false);
  assert.deepEqual(
    calls.filter((c) => c.startsWith('transcribe')),
    ['transcribe:faster-whisper'],
  );
  assert.deepEqual(delays, []);
});

test('both tasks: one decode and one voice detection, then a transcribe pass and a translate pass with the vocabulary', async () => {
  const { run, requests } = setup({}, { task: ['transcribe', 'translate'], language: 'de', vocabulary: ['Zyphrex'] });
  const result = await run();
  assert.deepEqual(
    requests.map((r) => r.stage),
    ['decode', 'vad', 'transcribe', 'diarize', 'transcribe'],
  );
  const passes = requests.filter((r) => r.stage === 'transcribe');
  assert.deepEqual(
    passes.map((r) => [r.task, r.language, r.vocabulary, r.vocabularyLanguage]),
    [
      ['transcribe', 'de', ['Zyphrex'], 'de'],
      ['translate', 'de', ['Zyphrex'], 'de'],
    ],
  );
  assert.notEqual(passes[0]!.outDir, passes[1]!.outDir, 'the translation has its own cache unit');
  assert.equal(result.document.task, 'transcribe');
  assert.equal(result.document.translation?.task, 'translate');
});

test('both tasks on a recording detected as English write no second English transcript, and say so', async () => {
  const { run, requests } = setup({}, { task: ['transcribe', 'translate'] });
  const result = await run();
  assert.equal(requests.filter((r) => r.stage === 'transcribe').length, 1);
  assert.equal(result.document.translation, undefined);
  assert.match(result.notes.join('\n'), /in English: no separate English translation/);
});

test("a video's frame rate, reported by decode, is kept in the document (and its translation's); audio has none", async () => {
  const video = await scriptedPipeline(
    {},
    { task: ['transcribe', 'translate'], language: 'de' },
    { input: '/in/clip.mp4' },
  ).run();
  assert.equal(video.document.frameRate, 29.97);
  assert.equal(video.document.translation?.frameRate, 29.97);
  const audio = await setup({}).run();
  assert.equal(audio.document.frameRate, undefined);
});
