// Which stages a job runs, in which order, with which speech recognizers and passes, and which warm workers it will
// use: stated once, here, from the job's settings and the config (a pure function). The pipeline runs this plan,
// its progress weighs it, and the daemon starts its warm workers ahead of need from it.
import type { Config, JobSettings, SpeakersSetting } from '../config/config.js';
import { tasksOf } from '../config/config.js';
import { STAGE_NAMES, type AsrBackend, type StageName, type Task } from '../core/contract.js';
import { asrChain } from '../stages/backends.js';
import { transcribeWarmKey } from './warmKeys.js';
import { TRANSLATION_UNIT } from './workDir.js';

/** One recognizer pass: its task, the language it is told, and its cache unit (none for the first pass). */
export interface Pass {
  task: Task;
  language: string | null;
  unit?: string;
}

export interface JobPlan {
  /** The stages the job runs, in the order they run. Optional ones (separate, vad, align, diarize) may degrade. */
  stages: StageName[];
  /** The speech recognizers to try, in order: a backend that fails hands over to the next. */
  backends: AsrBackend[];
  /** The first recognizer pass: the job's first task, in its language (null: detected). */
  firstPass: Pass;
  /** The translation pass of a job with both tasks (its language is the one the first pass found), or null. */
  translation: Omit<Pass, 'language'> | null;
  /** Whether the recognizer gives word timings (align is not none): the words are timed, natively or by align. */
  wordTimings: boolean;
  /** [min, max] speakers when the diarize stage runs, else null. */
  speakers: [number, number] | null;
  /** The warm workers the job will use, [key, stage], to start them while its file is still settling. */
  warmKeys: [string, StageName][];
}

/** The plan of a job with `settings` under `config` on this machine. */
export function planJob(settings: JobSettings, config: Config, appleSilicon: boolean): JobPlan {
  const wordTimings = settings.align !== 'none';
  // Speakers are given to words: a job without word timings has none to give.
  const speakers = wordTimings ? speakerRange(settings.speakers, config.speakers.maxAuto) : null;
  const runs: Record<StageName, boolean> = {
    decode: true,
    separate: settings.separate,
    vad: settings.vad,
    transcribe: true,
    align: settings.align === 'whisperx',
    diarize: speakers !== null,
  };
  const stages = STAGE_NAMES.filter((stage) => runs[stage]);
  const backends = asrChain(settings.backend, appleSilicon, config.backends.openai.fallback);
  const [first, second] = tasksOf(settings);
  const warmKeys: [string, StageName][] = [['decode', 'decode']];
  if (runs.vad) warmKeys.push(['vad', 'vad']);
  if (backends[0] === 'faster-whisper') {
    warmKeys.push([transcribeWarmKey(settings.model, config.asr.computeType, config.asr.cpuThreads), 'transcribe']);
  }
  return {
    stages,
    backends,
    firstPass: { task: first!, language: settings.language },
    translation: second ? { task: second, unit: TRANSLATION_UNIT } : null,
    wordTimings,
    speakers,
    warmKeys,
  };
}

/** [min, max] speakers for a setting; null when diarization is off. */
export function speakerRange(setting: SpeakersSetting, maxAuto: number): [number, number] | null {
  if (setting === 'off') return null;
  if (setting === 'auto') return [1, maxAuto];
  if (typeof setting === 'number') return [setting, setting];
  return [Math.min(setting.min, setting.max), Math.max(setting.min, setting.max)];
}
