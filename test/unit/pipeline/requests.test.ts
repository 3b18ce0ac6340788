// The stage requests of a job (src/pipeline/requests.ts, run as the plan of src/pipeline/plan.ts says): each job
// setting, changed, reaches exactly the stages that use it. Every key of the JobSettings schema must have a row in
// the table, so a new setting that reaches no stage, or an unexpected one, fails here until the table says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, JobSettings } from '../../../src/config/config.js';
import { STAGE_NAMES, type StageName, type Window } from '../../../src/core/contract.js';
import { planJob } from '../../../src/pipeline/plan.js';
import {
  alignRequest,
  decodeRequest,
  diarizeRequest,
  separateRequest,
  transcribeRequest,
  vadRequest,
  windowing,
  type RequestJob,
  type StageCall,
} from '../../../src/pipeline/requests.js';
import { testConfig } from '../../helpers/env.js';

const config = testConfig({ backends: { openai: { url: 'http://127.0.0.1:9/v1' } } });
const AUDIO = '/work/7/decode/audio.wav';
const TRANSCRIPT = '/work/7/transcribe/transcript.json';
const speech = [
  { start: 0, end: 4 },
  { start: 5, end: 9 },
];
const window: Window = { index: 1, start: 5, end: 9, speechSec: 4, firstSpan: 1, spanCount: 1 };

/** Per stage, whether the plan of a job with `settings` runs it, and every request its builder makes (whether
 * planned or not, so a setting that leaks into a stage is seen even where the default job leaves that stage out):
 * over the whole recording and over one window, for each pass; what earlier stages found is the same for every job. */
function requestsOf(settings: JobSettings): Record<StageName, { planned: boolean; requests: unknown[] }> {
  const job: RequestJob = { id: 7, input: '/in/talk.m4a', settings, config };
  const plan = planJob(settings, config, false);
  const built = Object.fromEntries(
    STAGE_NAMES.map((stage) => [stage, { planned: plan.stages.includes(stage), requests: [] as unknown[] }]),
  ) as Record<StageName, { planned: boolean; requests: unknown[] }>;
  const add = <S extends StageName>(call: StageCall<S> | undefined) => {
    if (!call) return;
    const request = call.build(`/work/7/${call.stage}`);
    built[call.stage].requests.push({ backend: call.backend, model: call.model, request });
  };
  add(decodeRequest(job));
  add(separateRequest(job, AUDIO));
  add(vadRequest(job, AUDIO));
  const passes = [plan.firstPass, ...(plan.translation ? [{ ...plan.translation, language: settings.language }] : [])];
  const backend = plan.backends[0]!;
  const { cpuThreads } = windowing(job, backend);
  for (const pass of passes) {
    add(transcribeRequest(job, { audio: AUDIO, speech, backend, pass }));
    const part = { window, count: 2, initialPrompt: 'the words before', cpuThreads };
    add(transcribeRequest(job, { audio: AUDIO, speech, backend, pass, window: part }));
  }
  add(alignRequest(job, { audio: AUDIO, transcript: TRANSCRIPT, language: 'en' }));
  add(alignRequest(job, { audio: AUDIO, transcript: TRANSCRIPT, language: 'en', window: { window, count: 2 } }));
  add(diarizeRequest(job, { audio: AUDIO, transcript: TRANSCRIPT, speech }));
  return built;
}

/** A setting changed from its default, and the stages it reaches (their requests, or whether they run). */
interface Change {
  value: unknown;
  reaches: StageName[];
}

const REACHES: Record<keyof JobSettings, Change[]> = {
  backend: [
    { value: 'mlx', reaches: ['transcribe'] },
    { value: 'openai', reaches: ['transcribe'] },
  ],
  model: [{ value: 'small', reaches: ['transcribe'] }],
  language: [{ value: 'de', reaches: ['transcribe'] }],
  languages: [{ value: ['es', 'de'], reaches: ['transcribe'] }],
  task: [
    { value: 'translate', reaches: ['transcribe'] },
    { value: ['transcribe', 'translate'], reaches: ['transcribe'] },
  ],
  separate: [{ value: true, reaches: ['separate'] }],
  separateModel: [{ value: 'mdx_extra', reaches: ['separate'] }],
  vad: [{ value: false, reaches: ['vad'] }],
  align: [
    { value: 'whisperx', reaches: ['align'] },
    { value: 'none', reaches: ['transcribe', 'diarize'] },
  ],
  alignModel: [{ value: 'jonatasgrosman/wav2vec2-large-xlsr-53-german', reaches: ['align'] }],
  formats: [{ value: ['txt'], reaches: [] }],
  audioStream: [{ value: 2, reaches: ['decode'] }],
  languageMismatch: [{ value: 'refuse', reaches: ['transcribe'] }],
  vocabulary: [{ value: ['Dropscribe'], reaches: ['transcribe'] }],
  vocabularyFile: [{ value: '/terms.txt', reaches: [] }],
  output: [{ value: { languageSuffix: true, beside: true }, reaches: [] }],
  speakers: [
    { value: 'off', reaches: ['diarize'] },
    { value: 3, reaches: ['diarize'] },
    { value: { min: 2, max: 4 }, reaches: ['diarize'] },
  ],
};

test('the table has a row for every job setting, and no other', () => {
  assert.deepEqual(Object.keys(REACHES).sort(), Object.keys(JobSettings.shape).sort());
});

for (const key of Object.keys(JobSettings.shape) as (keyof JobSettings)[]) {
  for (const { value, reaches } of REACHES[key] ?? []) {
    test(`job setting ${key} = ${JSON.stringify(value)} reaches ${reaches.join(', ') || 'no stage'}`, () => {
      const before = JobSettings.parse(DEFAULT_SETTINGS);
      assert.notDeepEqual(before[key], value, `${key}: the value must differ from the default`);
      const after = JobSettings.parse({ ...before, [key]: value });
      const [a, b] = [requestsOf(before), requestsOf(after)];
      const changed = STAGE_NAMES.filter((stage) => JSON.stringify(a[stage]) !== JSON.stringify(b[stage]));
      assert.deepEqual(changed, reaches);
    });
  }
}

test('the vad and diarize requests take their thresholds and counts from the config', () => {
  const settings = JobSettings.parse(DEFAULT_SETTINGS);
  const job: RequestJob = { id: 7, input: '/in/talk.m4a', settings, config };
  const vad = vadRequest(job, AUDIO).build('/out');
  assert.equal(vad.threshold, config.vad.threshold);
  assert.equal(vad.windowMaxSec, config.windows.maxSpeechSec);
  assert.equal(vad.heartbeatSeconds, config.stages.heartbeatSec);
  const diarize = diarizeRequest(job, { audio: AUDIO, transcript: TRANSCRIPT, speech })!.build('/out');
  assert.deepEqual([diarize.minSpeakers, diarize.maxSpeakers], [1, config.speakers.maxAuto]);
  assert.equal(diarize.hopSec, config.speakers.hopSec);
});

test('a window request covers its window: its speech spans, its range, its prompt and threads', () => {
  const settings = JobSettings.parse(DEFAULT_SETTINGS);
  const job: RequestJob = { id: 7, input: '/in/talk.m4a', settings, config };
  const pass = planJob(settings, config, false).firstPass;
  const part = { window, count: 2, initialPrompt: 'the words before', cpuThreads: 3 };
  const r = transcribeRequest(job, { audio: AUDIO, speech, backend: 'faster-whisper', pass, window: part }).build(
    '/work/7/transcribe/w001',
  );
  assert.deepEqual(r.speech, [{ start: 5, end: 9 }]);
  assert.deepEqual(r.window, { index: 1, count: 2, start: 5, end: 9 });
  assert.equal(r.initialPrompt, 'the words before');
  assert.equal(r.cpuThreads, 3);
  assert.equal(r.segmentsFile, '/work/7/transcribe/w001/segments.ndjson');
  const whole = transcribeRequest(job, { audio: AUDIO, speech, backend: 'faster-whisper', pass }).build('/o');
  assert.deepEqual(whole.speech, speech);
  assert.equal(whole.window, undefined);
  assert.equal(whole.cpuThreads, config.asr.cpuThreads);
});

test('the openai backend without a server URL is a config error naming the job', () => {
  const settings = JobSettings.parse({ ...DEFAULT_SETTINGS, backend: 'openai' });
  const job: RequestJob = { id: 7, input: '/in/talk.m4a', settings, config: testConfig() };
  const pass = planJob(settings, config, false).firstPass;
  assert.throws(
    () => transcribeRequest(job, { audio: AUDIO, speech, backend: 'openai', pass }).build('/o'),
    (err: Error & { kind?: string; context?: { jobId: unknown } }) => err.kind === 'config' && err.context?.jobId === 7,
  );
});
