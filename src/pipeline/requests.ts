// Every stage request of a job, from its settings and the config: one builder per stage request (over the whole
// recording or one window of it). The only place in the pipeline that reads the config for a stage request; the
// steps give only what the job's earlier stages found (audio, speech, a transcript, a window).
import { availableParallelism } from 'node:os';
import type { Config, JobSettings } from '../config/config.js';
import type { AsrBackend, Span, StageName, Window } from '../core/contract.js';
import { isRemote } from '../stages/backends.js';
import { StageError } from '../stages/stageError.js';
import { speakerRange, type Pass } from './plan.js';
import type { StageRun } from './stageExecutor.js';
import { listVoices } from './voices.js';
import { spansOf, splitThreads } from './windows.js';
import { segmentsFile } from './workDir.js';

/** A stage request ready to run: the stage, what its run is recorded under (backend, model), and the request built
 * for the output folder the executor gives it. */
export type StageCall<S extends StageName> = Omit<StageRun<S>, 'unit'>;

/** What a job's requests are built from: the job (its id, its file, its stored settings) and the live config. */
export interface RequestJob {
  id: number;
  input: string;
  settings: JobSettings;
  config: Config;
}

/** One window of `count`: the part of the recording a windowed request covers. */
export interface WindowOf {
  window: Window;
  count: number;
}

/** The decode request: the job's file, its audio track. */
export function decodeRequest(job: RequestJob): StageCall<'decode'> {
  return {
    stage: 'decode',
    backend: null,
    model: null,
    build: (outDir) => ({
      stage: 'decode',
      source: job.input,
      audioStream: job.settings.audioStream,
      ...common(job, outDir),
    }),
  };
}

/** The vocal separation request for the decoded `audio`. */
export function separateRequest(job: RequestJob, audio: string): StageCall<'separate'> {
  const model = job.settings.separateModel;
  return {
    stage: 'separate',
    backend: 'demucs',
    model,
    build: (outDir) => ({ stage: 'separate', audio, model, ...common(job, outDir) }),
  };
}

/** The voice activity request for `audio`; it also plans the transcription windows. */
export function vadRequest(job: RequestJob, audio: string): StageCall<'vad'> {
  const { vad, windows } = job.config;
  return {
    stage: 'vad',
    backend: 'silero',
    model: null,
    build: (outDir) => ({
      stage: 'vad',
      audio,
      threshold: vad.threshold,
      minSilenceMs: vad.minSilenceMs,
      speechPadMs: vad.speechPadMs,
      windowMinSec: windows.minSpeechSec,
      windowMaxSec: windows.maxSpeechSec,
      ...common(job, outDir),
    }),
  };
}

export interface TranscribeInput {
  audio: string;
  /** The speech spans of the whole recording (null: transcribe everything). */
  speech: Span[] | null;
  backend: AsrBackend;
  pass: Pass;
  /** One window of several, with the previous window's last words as its prompt and its share of the threads. */
  window?: WindowOf & { initialPrompt: string | null; cpuThreads: number };
}

/** A transcribe request of one pass with one backend: the whole recording, or one window of it. */
export function transcribeRequest(job: RequestJob, input: TranscribeInput): StageCall<'transcribe'> {
  const s = job.settings;
  const { audio, speech, backend, pass, window: part } = input;
  // A forced language is the only one; else each turn is found in the job's languages (any when none are listed).
  const languages = pass.language === null && s.languages.length ? { languages: s.languages } : {};
  return {
    stage: 'transcribe',
    backend,
    model: s.model,
    build: (outDir) => ({
      stage: 'transcribe',
      audio,
      speech: part && speech ? spansOf(speech, part.window) : speech,
      backend,
      model: s.model,
      // A window is not told the first window's language: it finds the language of each of its turns.
      language: pass.language,
      ...languages,
      task: pass.task,
      wordTimestamps: s.align !== 'none',
      languageMismatch: s.languageMismatch,
      vocabulary: s.vocabulary,
      vocabularyLanguage: s.language,
      ...job.config.asr,
      ...(part ? { cpuThreads: part.cpuThreads, window: range(part), initialPrompt: part.initialPrompt } : {}),
      segmentsFile: segmentsFile(outDir),
      server: serverTarget(job, backend),
      ...common(job, outDir),
    }),
  };
}

/** How a pass's windows are run for a chain starting with `first`: how many at a time, the threads of each, and
 * whether each window is prompted with the previous one's last words (then one at a time). */
export function windowing(
  job: RequestJob,
  first: AsrBackend,
): { workers: number; cpuThreads: number; prompt: boolean } {
  const { asr, windows, backends } = job.config;
  const local = splitThreads(windows.workers, availableParallelism(), asr.cpuThreads);
  // Windows for a server are as many at a time as it takes requests; the local threads stay as split for a fallback.
  const workers = isRemote(first) ? backends.openai.concurrency : local.workers;
  return { workers, cpuThreads: local.cpuThreads, prompt: windows.prompt };
}

export interface AlignInput {
  audio: string;
  /** The recognizer's transcript to align (of the whole recording, or of the window). */
  transcript: string;
  language: string;
  window?: WindowOf;
}

/** A WhisperX alignment request: the whole transcript, or one window's. */
export function alignRequest(job: RequestJob, input: AlignInput): StageCall<'align'> {
  const { audio, transcript, language, window: part } = input;
  return {
    stage: 'align',
    backend: 'whisperx',
    model: null,
    build: (outDir) => ({
      stage: 'align',
      audio,
      transcript,
      language,
      device: 'cpu',
      model: job.settings.alignModel,
      ...(part ? { window: range(part) } : {}),
      ...common(job, outDir),
    }),
  };
}

export interface DiarizeInput {
  audio: string;
  /** The transcript whose words get speakers. */
  transcript: string;
  speech: Span[] | null;
}

/** The speaker labelling request, over the whole recording; undefined when the job's speakers setting is off. */
export function diarizeRequest(job: RequestJob, input: DiarizeInput): StageCall<'diarize'> | undefined {
  const { speakers } = job.config;
  const found = speakerRange(job.settings.speakers, speakers.maxAuto);
  if (!found) return undefined;
  const [minSpeakers, maxSpeakers] = found;
  return {
    stage: 'diarize',
    backend: 'resemblyzer',
    model: null,
    build: (outDir) => ({
      stage: 'diarize',
      ...input,
      minSpeakers,
      maxSpeakers,
      hopSec: speakers.hopSec,
      voices: listVoices(speakers.voices),
      ...common(job, outDir),
    }),
  };
}

/** The request fields every stage takes. */
function common(job: RequestJob, outDir: string): { jobId: string; outDir: string; heartbeatSeconds: number } {
  return { jobId: String(job.id), outDir, heartbeatSeconds: job.config.stages.heartbeatSec };
}

/** A window's place and range in a request. */
function range({ window, count }: WindowOf) {
  return { index: window.index, count, start: window.start, end: window.end };
}

/** The server a request for `backend` goes to: backends.openai for the openai backend, else none. */
function serverTarget(job: RequestJob, backend: AsrBackend) {
  if (!isRemote(backend)) return null;
  const o = job.config.backends.openai;
  if (!o.url) {
    throw new StageError('config', 'job.backend is "openai" but backends.openai.url is not set', {
      jobId: job.id,
      file: job.input,
      stage: 'transcribe',
      backend,
      elapsedMs: 0,
    });
  }
  return { url: o.url, model: o.model, timeoutSec: o.timeoutSec, prompt: o.prompt };
}
