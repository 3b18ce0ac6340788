// The staged pipeline with real stages (ffmpeg, Silero, faster-whisper) and fake mlx_whisper/whisperx/demucs
// modules that crash, hang or print garbage: every fallback and degrade path, and resume after a crash. Tests about a
// later stage or another backend start from the cached stages of one real run of the same recording (stageSeed).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, type JobSettings } from '../../src/config/config.js';
import type { StageName } from '../../src/core/contract.js';
import type { JobStore } from '../../src/store/jobs.js';
import { workDirFor } from '../../src/pipeline/pipeline.js';
import { StageError } from '../../src/stages/stageError.js';
import { corpus, CORPUS, FAKE_MODULES_PATH, NO_MLX_PATH, tempDir, testConfig } from '../helpers/env.js';
import { pipelineJob, type StageEnv } from '../helpers/pipelineJob.js';
import { seedStages } from '../helpers/stageSeed.js';
import { wer } from '../helpers/wer.js';

const JFK = corpus().find((c) => c.file === 'jfk.flac')!;
/** The stages' environment: offline, with the fake mlx_whisper, whisperx and demucs modules. */
const FAKES: StageEnv = { PYTHONPATH: FAKE_MODULES_PATH, HF_HUB_OFFLINE: '1' };
/** The settings under `settings` unless a test is about them: the small bundled model, no speaker labelling. */
const QUICK: Partial<JobSettings> = { model: 'tiny.en', speakers: 'off' };
const DECODED: StageName[] = ['decode', 'vad'];
const TRANSCRIBED: StageName[] = ['decode', 'vad', 'transcribe'];

interface SetupOptions {
  config?: Record<string, unknown>;
  appleSilicon?: boolean;
  env?: StageEnv;
}

/** JFK with QUICK and `settings`; `env` is added to FAKES (a fake's mode); `config` overrides the test config. */
function setup(settings: Partial<JobSettings>, o: SetupOptions = {}) {
  const input = join(tempDir(), 'jfk.flac');
  copyFileSync(join(CORPUS, 'jfk.flac'), input);
  const config = testConfig(o.config ?? {});
  return pipelineJob(input, config, { ...QUICK, ...settings }, o.appleSilicon ?? false, { ...FAKES, ...o.env });
}

let seedRun: Promise<ReturnType<typeof setup>> | undefined;
/** One real run of JFK with QUICK settings (native word timings), made by the first test that needs it. */
function seed() {
  return (seedRun ??= (async () => {
    const s = setup({});
    await s.run();
    return s;
  })());
}

/** setup(), its work folder holding the seed run's results of `stages`: the job resumes after them. */
async function setupFrom(stages: StageName[], settings: Partial<JobSettings>, o: SetupOptions = {}) {
  const s = setup(settings, o);
  seedStages(await seed(), s, stages);
  return s;
}

const text = (segments: { text: string }[]) => segments.map((s) => s.text).join(' ');
const runsOf = (jobs: JobStore, id: number) =>
  jobs.runs.of(id).map((r) => `${r.stage}:${r.backend ?? '-'}:${r.outcome}:${r.errorKind ?? ''}`);

describe('pipeline', () => {
  test('default path: decode, Silero VAD, faster-whisper with native word timings', async () => {
    const { run, jobs, job } = setup(DEFAULT_SETTINGS);
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.equal(document.backend, 'faster-whisper');
    assert.equal(document.alignment, 'native');
    assert.ok(wer(JFK.reference, text(document.segments)) <= 0.15);
    assert.deepEqual(runsOf(jobs, job.id), [
      'decode:-:ok:',
      'vad:silero:ok:',
      'transcribe:faster-whisper:ok:',
      'diarize:resemblyzer:ok:',
    ]);
    assert.deepEqual(
      document.speakers?.map((s) => s.id),
      ['S1'],
    );
    assert.ok(document.segments.every((seg) => seg.speaker === 'S1' && seg.words.every((w) => w.speaker === 'S1')));
  });

  test('speakers: 2 on the real two-person sample labels words with both speakers', async () => {
    const input = join(tempDir(), 'pyannote_sample.wav');
    copyFileSync(join(CORPUS, 'conversations', 'pyannote_sample.wav'), input);
    const { run } = pipelineJob(input, testConfig(), { speakers: 2, model: 'tiny.en' }, false, FAKES);
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.deepEqual(
      document.speakers?.map((s) => s.id),
      ['S1', 'S2'],
    );
    const said = new Set(document.segments.flatMap((seg) => seg.words.map((w) => w.speaker)));
    assert.deepEqual([...said].sort(), ['S1', 'S2']);
  });

  test('a diarize stage that fails degrades: the job is done without speakers and says so', async () => {
    const voices = join(tempDir(), 'voices');
    mkdirSync(voices);
    writeFileSync(join(voices, 'Alice.wav'), 'not audio');
    const { run } = await setupFrom(TRANSCRIBED, { speakers: 'auto' }, { config: { speakers: { voices } } });
    const { document, degraded } = await run();
    assert.match(degraded.join('\n'), /speaker labelling failed .*Alice\.wav.*the transcript has no speakers/s);
    assert.equal(document.speakers, undefined);
    assert.ok(wer(JFK.reference, text(document.segments)) <= 0.15);
  });

  test('auto on Apple Silicon uses MLX (one process, one transcribe call)', async () => {
    const { run } = await setupFrom(DECODED, {}, { appleSilicon: true });
    const { document, degraded } = await run();
    assert.equal(document.backend, 'mlx');
    assert.deepEqual(degraded, []);
    assert.ok(wer(JFK.reference, text(document.segments)) <= 0.15);
  });

  test('MLX that segfaults is retried, then the job falls back to faster-whisper and records it', async () => {
    const { run, jobs, job } = await setupFrom(DECODED, { backend: 'mlx' }, { env: { FAKE_MLX_MODE: 'segfault' } });
    const { document, degraded } = await run();
    assert.equal(document.backend, 'faster-whisper');
    assert.match(
      degraded.join('\n'),
      /mlx backend failed \(crashed: .*segmentation fault.*\); fell back to faster-whisper/,
    );
    assert.deepEqual(
      runsOf(jobs, job.id).filter((r) => r.startsWith('transcribe')),
      ['transcribe:mlx:failed:crashed', 'transcribe:mlx:failed:crashed', 'transcribe:faster-whisper:ok:'],
    );
  });

  test('MLX that is not installed hands over at once, without retries', async () => {
    const { run, jobs, job } = await setupFrom(DECODED, { backend: 'mlx' }, { env: { PYTHONPATH: NO_MLX_PATH } });
    const { document } = await run();
    assert.equal(document.backend, 'faster-whisper');
    assert.deepEqual(
      runsOf(jobs, job.id).filter((r) => r.startsWith('transcribe')),
      ['transcribe:mlx:failed:config', 'transcribe:faster-whisper:ok:'],
    );
  });

  test('MLX that hangs holding the GIL is caught by the stall watchdog and falls back', async () => {
    const { run, jobs, job } = await setupFrom(
      DECODED,
      { backend: 'mlx' },
      {
        config: { stages: { heartbeatSec: 0.3, stallSec: 3, maxAttempts: 1, backoffMs: 10 } },
        env: { FAKE_MLX_MODE: 'hang' },
      },
    );
    const { document, degraded } = await run();
    assert.equal(document.backend, 'faster-whisper');
    assert.match(degraded.join('\n'), /stalled/);
    assert.ok(runsOf(jobs, job.id).includes('transcribe:mlx:failed:stalled'));
  });

  test('WhisperX alignment replaces the ASR word timings', async () => {
    const { run } = await setupFrom(TRANSCRIBED, { align: 'whisperx' });
    const { document, degraded } = await run();
    assert.deepEqual(degraded, []);
    assert.equal(document.alignment, 'whisperx');
    assert.ok(
      document.segments.some((s) => s.words.some((w) => w.probability === 0.9)),
      'words come from the aligner',
    );
  });

  for (const mode of ['segfault', 'garbage']) {
    test(`WhisperX that ${mode === 'garbage' ? 'returns garbage' : 'segfaults'} degrades to native word timings`, async () => {
      const { run } = await setupFrom(TRANSCRIBED, { align: 'whisperx' }, { env: { FAKE_WHISPERX_MODE: mode } });
      const { document, degraded } = await run();
      assert.equal(document.alignment, 'native');
      assert.match(
        degraded.join('\n'),
        /WhisperX word alignment failed .*used the word timings of the speech recognizer/,
      );
      assert.ok(document.segments.every((s) => s.words.length > 0));
    });
  }

  test('WhisperX that sleeps past its timeout (heartbeats still coming) degrades, not retried', async () => {
    const { run, jobs, job } = await setupFrom(
      TRANSCRIBED,
      { align: 'whisperx' },
      {
        config: {
          stages: {
            heartbeatSec: 0.3,
            stallSec: 60,
            maxAttempts: 3,
            backoffMs: 10,
            alignTimeoutFloorSec: 2,
            alignTimeoutPerAudioSec: 0.1,
          },
        },
        env: { FAKE_WHISPERX_MODE: 'sleep' },
      },
    );
    const { document, degraded } = await run();
    assert.equal(document.alignment, 'native');
    assert.match(degraded.join('\n'), /timeout/);
    assert.equal(runsOf(jobs, job.id).filter((r) => r.startsWith('align')).length, 1);
  });

  test('align none writes segments without words', async () => {
    const { run } = await setupFrom(DECODED, { align: 'none' });
    const { document } = await run();
    assert.equal(document.alignment, 'none');
    assert.ok(document.segments.every((s) => s.words.length === 0));
  });

  test('demucs separation runs before VAD; a crashing demucs degrades to the original audio', async () => {
    const ok = await setupFrom(['decode'], { separate: true });
    const r1 = await ok.run();
    assert.deepEqual(r1.degraded, []);
    assert.ok(runsOf(ok.jobs, ok.job.id).includes('separate:demucs:ok:'));
    const bad = await setupFrom(['decode'], { separate: true }, { env: { FAKE_DEMUCS_MODE: 'segfault' } });
    const r2 = await bad.run();
    assert.match(r2.degraded.join('\n'), /vocal separation failed \(crashed/);
    assert.ok(wer(JFK.reference, text(r2.document.segments)) <= 0.15);
  });

  test('a restart resumes at the first unfinished stage', async () => {
    const s = setup(
      { align: 'whisperx' },
      {
        config: { stages: { heartbeatSec: 0.3, stallSec: 60, maxAttempts: 1, backoffMs: 10 } },
        env: { FAKE_WHISPERX_MODE: 'segfault' },
      },
    );
    await s.run();
    assert.ok(existsSync(join(workDirFor(s.deps.workRoot, s.job.id), 'transcribe', 'done.json')));
    const before = s.jobs.runs.of(s.job.id).length;
    const again = await s.run({ ...FAKES, FAKE_WHISPERX_MODE: 'ok' });
    assert.equal(again.document.alignment, 'whisperx');
    assert.deepEqual(
      s.jobs.runs
        .of(s.job.id)
        .slice(before)
        .map((r) => r.stage),
      ['align'],
      'only the unfinished stage ran',
    );
  });

  test('an input deleted after decoding still finishes; deleted before, it is a clear bad-input report', async () => {
    const s = await setupFrom(DECODED, {});
    rmSync(s.job.input);
    const finished = await s.run();
    assert.ok(
      wer(JFK.reference, text(finished.document.segments)) <= 0.15,
      'decoded audio in the work folder is enough',
    );
    assert.deepEqual(
      s.jobs.runs.of(s.job.id).map((r) => r.stage),
      ['transcribe'],
    );
    const gone = setup({});
    rmSync(gone.job.input);
    await assert.rejects(
      gone.run(),
      (err: unknown) => err instanceof StageError && err.kind === 'bad-input' && /gone/.test(err.message),
    );
  });

  test('bad input fails at once with a report, no fallback', async () => {
    const s = setup({});
    copyFileSync(join(CORPUS, 'MANIFEST.tsv'), s.job.input);
    await assert.rejects(s.run(), (err: unknown) => {
      assert.ok(err instanceof StageError);
      assert.equal(err.kind, 'bad-input');
      assert.match(err.report(), /stage:\s+decode/);
      return true;
    });
    assert.equal(s.jobs.runs.of(s.job.id).length, 1);
  });
});
