// The single source of truth for what crosses the TypeScript/Python boundary.
// python/dropscribe_stages/contract.schema.json is generated from this file (`npm run contract` writes it)
// and a test fails when the two drift apart.
import { z } from 'zod';
import { DoctorReport } from './doctorReport.js';
import { RETRYABLE } from './errorKinds.js';
import { ServerTarget, ServerTranscription } from './serverContract.js';
import { MissingRange, seconds, Segment, SuppressedSegment, Transcript, Word } from './transcriptFile.js';

export { DoctorReport, ServerTarget, ServerTranscription };
export { FfmpegInfo, MlxInfo, StageImport } from './doctorReport.js';
export { MissingRange, Segment, SuppressedSegment, Transcript, Word };
export { RETRYABLE, STAGE_ERROR_KINDS, type ErrorKind, type StageErrorKind } from './errorKinds.js';

export const STAGE_NAMES = ['decode', 'separate', 'vad', 'transcribe', 'align', 'diarize'] as const;
export const StageName = z.enum(STAGE_NAMES);
export type StageName = z.infer<typeof StageName>;
/** Stages that may stay loaded between requests (warm workers). MLX is never warm: it crashes on a second transcribe(). */
export const WARM_STAGES = ['decode', 'vad', 'transcribe'] as const satisfies readonly StageName[];

export const AsrBackend = z.enum(['faster-whisper', 'mlx', 'openai']);
export type AsrBackend = z.infer<typeof AsrBackend>;
export const Task = z.enum(['transcribe', 'translate']);
export type Task = z.infer<typeof Task>;
/** What a job does when an English-only model meets another language. */
export const LanguageMismatch = z.enum(['warn', 'refuse']);
export type LanguageMismatch = z.infer<typeof LanguageMismatch>;
export const AlignMode = z.enum(['whisperx', 'native', 'none']);
export type AlignMode = z.infer<typeof AlignMode>;

const common = {
  jobId: z.string().min(1),
  outDir: z.string().min(1).describe('folder the stage writes its artifacts into (temp file + rename)'),
  heartbeatSeconds: z.number().positive().describe('how often the stage sends a heartbeat event'),
};

export const DecodeRequest = z.object({
  stage: z.literal('decode'),
  ...common,
  source: z.string().min(1),
  audioStream: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .describe(
      'stream index in the file (ffmpeg -i numbering); null picks the default track, or one with sound when it is silent',
    ),
});

export const SeparateRequest = z.object({
  stage: z.literal('separate'),
  ...common,
  audio: z.string().min(1),
  model: z.string().min(1),
});

export const VadRequest = z.object({
  stage: z.literal('vad'),
  ...common,
  audio: z.string().min(1),
  threshold: z.number().min(0).max(1),
  minSilenceMs: z.number().int().nonnegative(),
  speechPadMs: z.number().int().nonnegative(),
  windowMinSec: z
    .number()
    .positive()
    .optional()
    .describe('plan transcription windows of at least this much speech (with windowMaxSec)'),
  windowMaxSec: z.number().positive().optional().describe('and at most this much; without it no windows are planned'),
});

/** The audio the stages pass on: 16 kHz mono WAV (decode writes it, the others read it). */
export const SAMPLE_RATE = 16_000;

export const Span = z.object({ start: seconds, end: seconds });
export type Span = z.infer<typeof Span>;
/** A run of whole speech spans transcribed as one unit (cached, retried, resumed on its own). */
export const Window = z.object({
  index: z.number().int().nonnegative(),
  start: seconds,
  end: seconds,
  speechSec: seconds,
  firstSpan: z.number().int().nonnegative(),
  spanCount: z.number().int().positive(),
});
export type Window = z.infer<typeof Window>;
/** The window a stage request covers: its place among the windows and its range in the recording. */
export const WindowRange = z.object({
  index: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  start: seconds,
  end: seconds,
});

export const TranscribeRequest = z.object({
  stage: z.literal('transcribe'),
  ...common,
  audio: z.string().min(1),
  speech: z.array(Span).nullable().describe('speech spans from the vad stage; null transcribes everything'),
  backend: AsrBackend,
  model: z.string().min(1),
  language: z.string().min(2).nullable(),
  languages: z
    .array(z.string().min(2))
    .optional()
    .describe('language not forced: the languages to expect (a turn is only ever found to be in one of them)'),
  task: Task,
  wordTimestamps: z.boolean(),
  beamSize: z.number().int().positive(),
  cpuThreads: z.number().int().nonnegative(),
  computeType: z.string().min(1),
  languageMismatch: LanguageMismatch.describe('an English-only model meeting another language: warn or fail the job'),
  window: WindowRange.nullable()
    .optional()
    .describe('transcribe only the speech of this range of the recording (one window of many)'),
  initialPrompt: z
    .string()
    .nullable()
    .optional()
    .describe("text before this window (the previous window's end), as the recognizer's prompt"),
  vocabulary: z
    .array(z.string().min(1))
    .optional()
    .describe("terms the recognizer should expect: faster-whisper's hotwords and prompt, mlx-whisper's prompt"),
  vocabularyLanguage: z
    .string()
    .min(2)
    .nullable()
    .optional()
    .describe("the vocabulary's language (the job's; null: English): speech in another language is written without it"),
  segmentsFile: z
    .string()
    .min(1)
    .nullable()
    .optional()
    .describe('commit each segment here as it comes (fsynced); a later attempt continues after the last one'),
  server: ServerTarget.nullable().optional().describe('backend openai: the server the speech is sent to'),
});

export const AlignRequest = z.object({
  stage: z.literal('align'),
  ...common,
  audio: z.string().min(1),
  transcript: z.string().min(1),
  language: z.string().min(2),
  device: z.string().min(1),
  model: z
    .string()
    .min(1)
    .nullable()
    .optional()
    .describe(
      "wav2vec2 CTC model: a Hugging Face name or a local folder (absolute, or starting with ~ or ./) saved with save_pretrained; null takes whisperx's default for the language",
    ),
  window: WindowRange.nullable()
    .optional()
    .describe("align only this range of the recording (one window's transcript, times in the recording)"),
});

export const DiarizeRequest = z.object({
  stage: z.literal('diarize'),
  ...common,
  audio: z.string().min(1),
  transcript: z.string().min(1).describe('the transcript whose words get speakers'),
  speech: z.array(Span).nullable().describe("speech spans from the vad stage; null: the recognizer's word timings"),
  minSpeakers: z.number().int().positive(),
  maxSpeakers: z.number().int().positive(),
  hopSec: z.number().positive().describe('seconds between the starts of two 1.6 s voice windows'),
  voices: z
    .array(z.object({ name: z.string().min(1), audio: z.string().min(1) }))
    .describe('enrolled people: a name and a 16 kHz WAV of their voice'),
});

export const StageRequest = z.discriminatedUnion('stage', [
  DecodeRequest,
  SeparateRequest,
  VadRequest,
  TranscribeRequest,
  AlignRequest,
  DiarizeRequest,
]);
export type StageRequest = z.infer<typeof StageRequest>;
export type RequestFor<S extends StageName> = Extract<StageRequest, { stage: S }>;

// ---- artifacts: what each stage reports in its result event ----

export const DecodeArtifacts = z.object({
  audio: z.string().min(1),
  durationSec: seconds,
  sampleRate: z.literal(SAMPLE_RATE),
  streamIndex: z.number().int().nonnegative().nullable(),
  codec: z.string(),
  hasVideo: z.boolean(),
  decoder: z.enum(['ffmpeg', 'pyav']),
  /** Frames a second of the video stream (not cover art); absent for audio. FCPXML's times are whole frames of it. */
  frameRate: z.number().positive().optional(),
});
export const SeparateArtifacts = z.object({ audio: z.string().min(1), model: z.string() });
export const VadArtifacts = z.object({
  segments: z.array(Span),
  speechSec: seconds,
  windows: z.array(Window).optional(),
});
/** A language of a recording and how much of its speech is in it. */
export const LanguageTime = z.object({ language: z.string().min(2), speechSec: seconds });
export type LanguageTime = z.infer<typeof LanguageTime>;
export const TranscribeArtifacts = z.object({
  transcript: z.string().min(1),
  language: z.string(),
  languageProbability: z.number().min(0).max(1),
  durationSec: seconds,
  backend: AsrBackend,
  model: z.string(),
  segmentCount: z.number().int().nonnegative(),
  languages: z
    .array(LanguageTime)
    .optional()
    .describe('the languages its turns were found in, with their speech time, most first (`language` is the first)'),
  resumedAfterSec: seconds
    .nullable()
    .optional()
    .describe('this run continued after the segments an earlier attempt committed, up to this time'),
});
export const AlignArtifacts = z.object({
  transcript: z.string().min(1),
  backend: z.literal('whisperx'),
  wordCount: z.number().int().nonnegative(),
});

export const SpeakerInfo = z.object({
  id: z.string().regex(/^S[0-9]+$/),
  name: z.string().min(1).nullable().describe('the enrolled voice or the name given with `dropscribe speakers`'),
  speechSec: seconds,
});
export type SpeakerInfo = z.infer<typeof SpeakerInfo>;
export const DiarizeArtifacts = z.object({
  transcript: z.string().min(1),
  speakers: z.array(SpeakerInfo),
  confidence: z.number().min(0).max(1).describe('1 - the highest voice similarity between two speakers found'),
  windowCount: z.number().int().nonnegative(),
});

export const ArtifactsByStage = {
  decode: DecodeArtifacts,
  separate: SeparateArtifacts,
  vad: VadArtifacts,
  transcribe: TranscribeArtifacts,
  align: AlignArtifacts,
  diarize: DiarizeArtifacts,
} as const;
export type ArtifactsFor<S extends StageName> = z.infer<(typeof ArtifactsByStage)[S]>;

// ---- events: NDJSON lines on fd 3 ----

// Exit codes (sysexits.h) shared by both sides.
export const EXIT = { ok: 0, badInput: 65, bug: 70, temporary: 75, config: 78 } as const;

export const ErrorCode = z.enum(['bad_input', 'no_audio', 'temporary', 'disk_full', 'config', 'bug']);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Each error code a stage reports: the exit status it ends with, and whether a retry may help unless it says otherwise
 * (that of the kind it becomes: core/errorKinds.ts). */
export const ERROR_CODES = {
  bad_input: { exit: EXIT.badInput, retryable: RETRYABLE['bad-input'] },
  no_audio: { exit: EXIT.badInput, retryable: RETRYABLE['no-audio'] },
  temporary: { exit: EXIT.temporary, retryable: RETRYABLE.temporary },
  disk_full: { exit: EXIT.temporary, retryable: RETRYABLE['disk-full'] },
  config: { exit: EXIT.config, retryable: RETRYABLE.config },
  bug: { exit: EXIT.bug, retryable: RETRYABLE.bug },
} as const satisfies Record<ErrorCode, { exit: number; retryable: boolean }>;

export const StageEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('started'), stage: StageName, pid: z.number().int(), detail: z.string().optional() }),
  z.object({ event: z.literal('progress'), fraction: z.number().min(0).max(1), message: z.string().optional() }),
  z.object({ event: z.literal('heartbeat'), rssBytes: z.number().int().nonnegative() }),
  z.object({ event: z.literal('warning'), message: z.string() }),
  z.object({
    event: z.literal('download'),
    model: z.string().describe('the model being downloaded (a Hugging Face repo)'),
    bytes: z.number().int().nonnegative().describe('bytes on disk so far, resumed ones included'),
    totalBytes: z.number().int().nonnegative(),
    bytesPerSec: z.number().nonnegative(),
  }),
  z.object({
    event: z.literal('result'),
    artifacts: z.record(z.string(), z.unknown()),
    peakRssBytes: z.number().int().nonnegative(),
  }),
  z.object({ event: z.literal('error'), code: ErrorCode, message: z.string(), retryable: z.boolean() }),
]);
export type StageEvent = z.infer<typeof StageEvent>;
export type DownloadProgress = Omit<Extract<StageEvent, { event: 'download' }>, 'event'>;

/** Build the JSON Schema document the Python side validates against. */
export function contractJsonSchema(): Record<string, unknown> {
  const artifacts = Object.fromEntries(STAGE_NAMES.map((s) => [s, z.toJSONSchema(ArtifactsByStage[s])]));
  return {
    $comment: 'GENERATED from src/core/contract.ts by `npm run contract`; do not edit by hand.',
    stageNames: STAGE_NAMES,
    warmStages: WARM_STAGES,
    sampleRate: SAMPLE_RATE,
    exitCodes: EXIT,
    errorCodes: ERROR_CODES,
    request: z.toJSONSchema(StageRequest),
    event: z.toJSONSchema(StageEvent),
    transcript: z.toJSONSchema(Transcript),
    serverTranscription: z.toJSONSchema(ServerTranscription),
    doctorReport: z.toJSONSchema(DoctorReport),
    artifacts,
  };
}
