// Windowed transcription with real stages (Silero, faster-whisper tiny.en): a recording of five clips cut into five
// windows, one stage run and cache entry each; a window that crashes every time is marked missing, the job degrades.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { JobSettings } from '../../src/config.js';
import { workDirFor } from '../../src/pipeline/pipeline.js';
import type { JobStore } from '../../src/store/jobs.js';
import { CRASH_WINDOW_PATH, FAKE_MODULES_PATH, tempDir, testConfig } from '../helpers/env.js';
import { joinedRecording } from '../helpers/joinedRecording.js';
import { pipelineJob, type StageEnv } from '../helpers/pipelineJob.js';
import { wer } from '../helpers/wer.js';

const CLIPS = [
  'jfk.flac',
  'en_librispeech_1272-128104-0000.wav',
  'en_cmu_arctic_a0024.wav',
  'jfk.flac',
  'en_librispeech_1272-128104-0000.wav',
];
// Each clip is 4-12 s of speech with 3 s of silence after it: windows of 3-9 s of speech hold one clip each.
const WINDOWS = { minSpeechSec: 3, maxSpeechSec: 9, workers: 1, prompt: false };

/** `env` is added to the stages' environment, which is always offline. */
function setup(workers = 1, appleSilicon = false, settings: Partial<JobSettings> = {}, env: StageEnv = {}) {
  const dir = tempDir();
  const input = join(dir, 'joined.wav');
  const reference = joinedRecording(CLIPS, 3, input);
  const config = testConfig({ windows: { ...WINDOWS, workers } });
  const stageEnv = { HF_HUB_OFFLINE: '1', ...env };
  return { reference, ...pipelineJob(input, config, { model: 'tiny.en', ...settings }, appleSilicon, stageEnv) };
}

const transcribeRuns = (jobs: JobStore, id: number) =>
  jobs.runs
    .of(id)
    .filter((r) => r.stage === 'transcribe')
    .map((r) => `${r.unit}:${r.outcome}:${r.errorKind ?? ''}`);

describe('windowed transcription', () => {
  test('five windows, each its own stage run and cache entry, joined in order with times in the recording', async () => {
    const { run, jobs, job, deps, reference } = setup();
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.deepEqual(transcribeRuns(jobs, job.id), ['w000:ok:', 'w001:ok:', 'w002:ok:', 'w003:ok:', 'w004:ok:']);
    assert.deepEqual(
      readdirSync(join(workDirFor(deps.workRoot, job.id), 'transcribe')).filter((f) => f.startsWith('w')),
      ['w000', 'w001', 'w002', 'w003', 'w004'],
    );
    const text = document.segments.map((s) => s.text).join(' ');
    assert.ok(wer(reference, text) <= 0.15, text);
    const words = document.segments.flatMap((s) => s.words);
    words.forEach((w, i) => assert.ok(i === 0 || w.start >= words[i - 1]!.start, `word ${i} runs backwards`));
    assert.ok(words.at(-1)!.end > 44, 'the last window keeps its place in the recording (its clip starts at 43.9 s)');
    assert.equal(document.missing, undefined);
    // A second run resumes from the caches: no stage runs again.
    const before = jobs.runs.of(job.id).length;
    await run();
    assert.equal(jobs.runs.of(job.id).length, before);
  });

  test('a window that crashes every time is marked missing; the others are kept and the job is degraded', async () => {
    // A fixture wraps transcribe: window 2 segfaults every time.
    const { run, jobs, job } = setup(1, false, {}, { PYTHONPATH: CRASH_WINDOW_PATH, FAKE_CRASH_WINDOW: '2' });
    const { document, degraded } = await run();
    assert.deepEqual(transcribeRuns(jobs, job.id), [
      'w000:ok:',
      'w001:ok:',
      'w002:failed:crashed',
      'w002:failed:crashed',
      'w003:ok:',
      'w004:ok:',
    ]);
    assert.equal(document.missing?.length, 1);
    const [gap] = document.missing!;
    assert.match(gap!.reason, /crashed/);
    assert.match(degraded.join('\n'), /could not be transcribed \(crashed/);
    assert.ok(
      document.segments.every((s) => s.end <= gap!.start || s.start >= gap!.end),
      'nothing inside the missing range',
    );
    const text = document.segments
      .map((s) => s.text)
      .join(' ')
      .toLowerCase();
    assert.match(text, /ask not what your country/);
    assert.equal((text.match(/fellow americans/g) ?? []).length, 2, 'both JFK windows are kept');
    assert.doesNotMatch(text, /it was my reports/, 'the crashed window (the ARCTIC clip) is missing');
  });

  test('two workers (one thread each) give the same transcript as one worker', async () => {
    const one = await setup(1).run();
    const { run, jobs, job } = setup(2);
    const two = await run();
    assert.deepEqual(two.degraded, []);
    assert.deepEqual(
      two.document.segments.map((s) => [s.start, s.text]),
      one.document.segments.map((s) => [s.start, s.text]),
    );
    assert.deepEqual(transcribeRuns(jobs, job.id).sort(), ['w000:ok:', 'w001:ok:', 'w002:ok:', 'w003:ok:', 'w004:ok:']);
  });

  test('MLX: each window is a fresh one-shot process (the fake, like MLX, crashes on a second call in a process)', async () => {
    const { run, jobs, job, reference } = setup(1, true, {}, { PYTHONPATH: FAKE_MODULES_PATH });
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.equal(document.backend, 'mlx');
    assert.deepEqual(
      jobs.runs
        .of(job.id)
        .filter((r) => r.stage === 'transcribe')
        .map((r) => `${r.unit}:${r.backend}:${r.outcome}`),
      ['w000', 'w001', 'w002', 'w003', 'w004'].map((u) => `${u}:mlx:ok`),
    );
    assert.ok(wer(reference, document.segments.map((s) => s.text).join(' ')) <= 0.15);
  });

  test('WhisperX aligns window by window, with times in the recording; a failing alignment degrades per window', async () => {
    const { run, jobs, job } = setup(1, false, { align: 'whisperx' }, { PYTHONPATH: FAKE_MODULES_PATH });
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.equal(document.alignment, 'whisperx');
    const aligns = jobs.runs.of(job.id).filter((r) => r.stage === 'align');
    assert.deepEqual(
      aligns.map((r) => `${r.unit}:${r.outcome}`),
      ['w000', 'w001', 'w002', 'w003', 'w004'].map((u) => `${u}:ok`),
    );
    const words = document.segments.flatMap((s) => s.words);
    assert.ok(words.at(-1)!.start > 43.9, 'the last window keeps its place in the recording');
    assert.ok(
      words.every((w) => w.probability === 0.9 || w.probability === null),
      'the words come from the aligner',
    );

    const failing = setup(
      1,
      false,
      { align: 'whisperx' },
      { PYTHONPATH: FAKE_MODULES_PATH, FAKE_WHISPERX_MODE: 'segfault' },
    );
    const bad = await failing.run();
    assert.equal(bad.document.alignment, 'native');
    assert.equal(
      bad.degraded.filter((d) => /WhisperX word alignment of window \d\/5 failed \(crashed/.test(d)).length,
      5,
    );
    assert.ok(
      bad.document.segments.every((s) => s.words.length > 0),
      'every window keeps its recognizer word timings',
    );
  });
});
