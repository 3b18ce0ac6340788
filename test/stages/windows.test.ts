// Windowed transcription with real stages (Silero, faster-whisper tiny.en): a recording of three clips cut into three
// windows, one stage run and cache entry each; a window that crashes every time is marked missing, the job degrades.
// Tests about another backend or the alignment start from the cached stages of the one-worker run (stageSeed).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { JobSettings } from '../../src/config/config.js';
import type { StageName } from '../../src/core/contract.js';
import { workDirFor } from '../../src/pipeline/pipeline.js';
import type { JobStore } from '../../src/store/jobs.js';
import { corpus, CRASH_WINDOW_PATH, FAKE_MODULES_PATH, tempDir, testConfig } from '../helpers/env.js';
import { joinedRecording } from '../helpers/joinedRecording.js';
import { pipelineJob, type StageEnv } from '../helpers/pipelineJob.js';
import { seedStages } from '../helpers/stageSeed.js';
import { wer } from '../helpers/wer.js';

const CLIPS = ['en_librispeech_1272-128104-0000.wav', 'en_cmu_arctic_a0024.wav', 'jfk.flac'];
const PAUSE_SEC = 3;
// Each clip is 4-12 s of speech with 3 s of silence after it: windows of 3-9 s of speech hold one clip each.
const WINDOWS = { minSpeechSec: 3, maxSpeechSec: 9, workers: 1, prompt: false };
const TRANSCRIBED: StageName[] = ['decode', 'vad', 'transcribe'];
const UNITS = CLIPS.map((_, i) => `w${String(i).padStart(3, '0')}`);
/** Where the last clip starts in the joined recording. */
const LAST_CLIP_SEC = CLIPS.slice(0, -1).reduce(
  (sec, file) => sec + corpus().find((c) => c.file === file)!.durationSec + PAUSE_SEC,
  0,
);

/** `env` is added to the stages' environment, which is always offline. */
function setup(workers = 1, appleSilicon = false, settings: Partial<JobSettings> = {}, env: StageEnv = {}) {
  const dir = tempDir();
  const input = join(dir, 'joined.wav');
  const reference = joinedRecording(CLIPS, PAUSE_SEC, input);
  const config = testConfig({ windows: { ...WINDOWS, workers } });
  const stageEnv = { HF_HUB_OFFLINE: '1', ...env };
  return {
    reference,
    ...pipelineJob(input, config, { model: 'tiny.en', speakers: 'off', ...settings }, appleSilicon, stageEnv),
  };
}

const transcribeRuns = (jobs: JobStore, id: number) =>
  jobs.runs
    .of(id)
    .filter((r) => r.stage === 'transcribe')
    .map((r) => `${r.unit}:${r.outcome}:${r.errorKind ?? ''}`);

let oneWorkerRun: Promise<ReturnType<typeof setup> & Awaited<ReturnType<ReturnType<typeof setup>['run']>>> | undefined;
/** The recording transcribed by one worker, once for the file: the first test checks it, another compares with it. */
function oneWorker() {
  return (oneWorkerRun ??= (async () => {
    const s = setup();
    return { ...s, ...(await s.run()) };
  })());
}

describe('windowed transcription', () => {
  test('three windows, each its own stage run and cache entry, joined in order with times in the recording', async () => {
    const { run, jobs, job, deps, reference, document, degraded } = await oneWorker();
    assert.deepEqual(degraded, []);
    assert.deepEqual(
      transcribeRuns(jobs, job.id),
      UNITS.map((u) => `${u}:ok:`),
    );
    assert.deepEqual(
      readdirSync(join(workDirFor(deps.workRoot, job.id), 'transcribe')).filter((f) => f.startsWith('w')),
      UNITS,
    );
    const text = document.segments.map((s) => s.text).join(' ');
    assert.ok(wer(reference, text) <= 0.15, text);
    const words = document.segments.flatMap((s) => s.words);
    words.forEach((w, i) => assert.ok(i === 0 || w.start >= words[i - 1]!.start, `word ${i} runs backwards`));
    assert.ok(
      words.at(-1)!.end > LAST_CLIP_SEC,
      `the last window keeps its place (its clip starts at ${LAST_CLIP_SEC} s)`,
    );
    assert.equal(document.missing, undefined);
    // A second run resumes from the caches: no stage runs again.
    const before = jobs.runs.of(job.id).length;
    await run();
    assert.equal(jobs.runs.of(job.id).length, before);
  });

  test('a window that crashes every time is marked missing; the others are kept and the job is degraded', async () => {
    // A fixture wraps transcribe: window 1 (the middle one) segfaults every time.
    const { run, jobs, job } = setup(1, false, {}, { PYTHONPATH: CRASH_WINDOW_PATH, FAKE_CRASH_WINDOW: '1' });
    const { document, degraded } = await run();
    assert.deepEqual(transcribeRuns(jobs, job.id), [
      'w000:ok:',
      'w001:failed:crashed',
      'w001:failed:crashed',
      'w002:ok:',
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
    assert.match(text, /apostle of the middle classes/, 'the window before the gap is kept');
    assert.match(text, /ask not what your country/, 'the window after the gap is kept');
    assert.doesNotMatch(text, /it was my reports/, 'the crashed window (the ARCTIC clip) is missing');
  });

  test('two workers (one thread each) give the same transcript as one worker', async () => {
    const one = await oneWorker();
    const { run, jobs, job } = setup(2);
    const two = await run();
    assert.deepEqual(two.degraded, []);
    assert.deepEqual(
      two.document.segments.map((s) => [s.start, s.text]),
      one.document.segments.map((s) => [s.start, s.text]),
    );
    assert.deepEqual(
      transcribeRuns(jobs, job.id).sort(),
      UNITS.map((u) => `${u}:ok:`),
    );
  });

  test('MLX: each window is a fresh one-shot process (the fake, like MLX, crashes on a second call in a process)', async () => {
    const mlx = setup(1, true, {}, { PYTHONPATH: FAKE_MODULES_PATH });
    seedStages(await oneWorker(), mlx, ['decode', 'vad']);
    const { run, jobs, job, reference } = mlx;
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.equal(document.backend, 'mlx');
    assert.deepEqual(
      jobs.runs
        .of(job.id)
        .filter((r) => r.stage === 'transcribe')
        .map((r) => `${r.unit}:${r.backend}:${r.outcome}`),
      UNITS.map((u) => `${u}:mlx:ok`),
    );
    assert.ok(wer(reference, document.segments.map((s) => s.text).join(' ')) <= 0.15);
  });

  test('WhisperX aligns window by window, with times in the recording; a failing alignment degrades per window', async () => {
    // The windows' transcription is the one-worker run's (the same settings); only the alignment runs here.
    const aligned = setup(1, false, { align: 'whisperx' }, { PYTHONPATH: FAKE_MODULES_PATH });
    seedStages(await oneWorker(), aligned, TRANSCRIBED);
    const { run, jobs, job } = aligned;
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.equal(document.alignment, 'whisperx');
    const aligns = jobs.runs.of(job.id).filter((r) => r.stage === 'align');
    assert.deepEqual(
      aligns.map((r) => `${r.unit}:${r.outcome}`),
      UNITS.map((u) => `${u}:ok`),
    );
    const words = document.segments.flatMap((s) => s.words);
    assert.ok(words.at(-1)!.start > LAST_CLIP_SEC, 'the last window keeps its place in the recording');
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
    seedStages(await oneWorker(), failing, TRANSCRIBED);
    const bad = await failing.run();
    assert.equal(bad.document.alignment, 'native');
    assert.equal(
      bad.degraded.filter((d) => /WhisperX word alignment of window \d\/3 failed \(crashed/.test(d)).length,
      UNITS.length,
    );
    assert.ok(
      bad.document.segments.every((s) => s.words.length > 0),
      'every window keeps its recognizer word timings',
    );
  });
});
