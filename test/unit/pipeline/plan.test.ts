// The plan of a job (src/pipeline/plan.ts): which stages it runs and in which order, its recognizers and passes,
// its warm workers; and a scripted run of the pipeline runs exactly the stages of its plan, in its order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, type JobSettings } from '../../../src/config/config.js';
import { planJob, speakerRange } from '../../../src/pipeline/plan.js';
import { testConfig } from '../../helpers/env.js';
import { scriptedPipeline } from '../../helpers/scriptedPipeline.js';

const config = testConfig();
const plan = (settings: Partial<JobSettings> = {}, appleSilicon = false) =>
  planJob({ ...DEFAULT_SETTINGS, ...settings }, config, appleSilicon);

test('the default job: decode, vad, transcribe, diarize; faster-whisper, warm decode, vad and its model', () => {
  const p = plan();
  assert.deepEqual(p.stages, ['decode', 'vad', 'transcribe', 'diarize']);
  assert.deepEqual(p.backends, ['faster-whisper']);
  assert.deepEqual(p.firstPass, { task: 'transcribe', language: null });
  assert.equal(p.translation, null);
  assert.equal(p.wordTimings, true);
  assert.deepEqual(p.speakers, [1, config.speakers.maxAuto]);
  assert.deepEqual(p.warmKeys, [
    ['decode', 'decode'],
    ['vad', 'vad'],
    [`transcribe:base:${config.asr.computeType}:${config.asr.cpuThreads}`, 'transcribe'],
  ]);
});

test('every stage on: the order is decode, separate, vad, transcribe, align, diarize; both tasks plan a translation', () => {
  const p = plan({ separate: true, align: 'whisperx', speakers: 2, task: ['transcribe', 'translate'], language: 'de' });
  assert.deepEqual(p.stages, ['decode', 'separate', 'vad', 'transcribe', 'align', 'diarize']);
  assert.deepEqual(p.firstPass, { task: 'transcribe', language: 'de' });
  assert.deepEqual(p.translation, { task: 'translate', unit: 'translate' });
  assert.deepEqual(p.speakers, [2, 2]);
});

test('no word timings: no align and no diarize (speakers are given to words)', () => {
  const p = plan({ align: 'none', speakers: 'auto' });
  assert.deepEqual(p.stages, ['decode', 'vad', 'transcribe']);
  assert.equal(p.wordTimings, false);
  assert.equal(p.speakers, null);
});

test('speakers off: no diarize; vad off: no vad and no warm vad worker', () => {
  assert.deepEqual(plan({ speakers: 'off' }).stages, ['decode', 'vad', 'transcribe']);
  const p = plan({ vad: false });
  assert.deepEqual(p.stages, ['decode', 'transcribe', 'diarize']);
  assert.deepEqual(
    p.warmKeys.map(([, stage]) => stage),
    ['decode', 'transcribe'],
  );
});

test('auto on Apple Silicon: MLX first (never warm), then faster-whisper; a server first, then its fallback', () => {
  const mlx = plan({ backend: 'auto' }, true);
  assert.deepEqual(mlx.backends, ['mlx', 'faster-whisper']);
  assert.deepEqual(
    mlx.warmKeys.map(([key]) => key),
    ['decode', 'vad'],
  );
  assert.deepEqual(plan({ backend: 'openai' }).backends, ['openai', 'faster-whisper']);
  const alone = planJob(
    { ...DEFAULT_SETTINGS, backend: 'openai' },
    testConfig({ backends: { openai: { fallback: null } } }),
    false,
  );
  assert.deepEqual(alone.backends, ['openai']);
});

test('speakers setting: auto looks for 1..maxAuto, a number is exact, a range is kept, off is none', () => {
  assert.deepEqual(speakerRange('auto', 8), [1, 8]);
  assert.deepEqual(speakerRange(2, 8), [2, 2]);
  assert.deepEqual(speakerRange({ min: 2, max: 4 }, 8), [2, 4]);
  assert.deepEqual(speakerRange({ min: 4, max: 2 }, 8), [2, 4]);
  assert.equal(speakerRange('off', 8), null);
});

for (const settings of [
  {},
  { separate: true, align: 'whisperx' },
  { vad: false, speakers: 'off' },
  { align: 'none' },
] as Partial<JobSettings>[]) {
  test(`a job runs the stages of its plan, in its order: ${JSON.stringify(settings)}`, async () => {
    const { run, requests } = scriptedPipeline({}, settings);
    await run();
    const ran = [...new Set(requests.map((r) => r.stage))];
    assert.deepEqual(ran, plan(settings).stages);
  });
}
