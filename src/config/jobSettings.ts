// The settings a job runs with (stored with each job): the zod schema with every default, the partial form that
// config.job and folder rules use, and the tasks a job runs.
import { z } from 'zod';
import { AlignMode, AsrBackend, LanguageMismatch, Task } from '../core/contract.js';
import { FORMATS } from '../core/formats.js';

export { FORMATS };
export const Format = z.enum(FORMATS);
export type Format = z.infer<typeof Format>;
/** The formats a job writes unless config.job or a folder rule names others. */
export const DEFAULT_FORMATS: readonly Format[] = ['srt', 'vtt', 'txt', 'json'];
/** One task, or both: the source-language transcript and an English translation (`name.en.*`). */
export const JobTask = z.union([Task, z.tuple([z.literal('transcribe'), z.literal('translate')])]);
export type JobTask = z.infer<typeof JobTask>;
/** Who spoke when: auto (count found), off, an exact count, or a range. */
export const SpeakersSetting = z.union([
  z.enum(['auto', 'off']),
  z.number().int().positive(),
  z.object({ min: z.number().int().positive(), max: z.number().int().positive() }).strict(),
]);
export type SpeakersSetting = z.infer<typeof SpeakersSetting>;

const JOB_DEFAULTS = {
  backend: 'auto',
  model: 'base',
  language: null,
  task: 'transcribe',
  separate: false,
  separateModel: 'htdemucs',
  vad: true,
  align: 'native',
  alignModel: null,
  audioStream: null,
  languageMismatch: 'warn',
  vocabularyFile: null,
  speakers: 'auto',
} as const;

/** Where outputs go and how they are named. */
export const OutputSettings = z.object({
  languageSuffix: z
    .union([z.boolean(), z.literal('639-2')])
    .default(false)
    .describe("name outputs name.<lang>.<ext>: true for ISO 639-1 ('en'), '639-2' for three letters ('eng')"),
  beside: z
    .boolean()
    .default(false)
    .describe('write outputs and error reports next to the recording in the watched folder instead of the outbox'),
});
export type OutputSettings = z.infer<typeof OutputSettings>;

/** What a job is run with; config.job and folder rules override parts of it. Stored with each job. */
export const JobSettings = z.object({
  backend: z.enum(['auto', ...AsrBackend.options]),
  model: z.string().min(1),
  language: z.string().min(2).nullable(),
  languages: z
    .array(z.string().trim().min(2))
    .default([])
    .describe(
      'the languages to expect when `language` is not set (["es", "de"]): each turn is found to be in one of them; [] any',
    ),
  task: JobTask,
  separate: z.boolean(),
  separateModel: z.string().min(1),
  vad: z.boolean(),
  align: AlignMode,
  alignModel: z
    .string()
    .min(1)
    .nullable()
    .default(JOB_DEFAULTS.alignModel)
    .describe(
      "whisperx alignment model: a Hugging Face name or a local folder; null: whisperx's default for the language",
    ),
  formats: z.array(Format).min(1),
  audioStream: z.number().int().nonnegative().nullable(),
  languageMismatch: LanguageMismatch.default(JOB_DEFAULTS.languageMismatch),
  vocabulary: z
    .array(z.string().trim().min(1))
    .default([])
    .describe('words and phrases the recognizer should expect (names, brands, jargon); vocabularyFile adds its lines'),
  vocabularyFile: z
    .string()
    .min(1)
    .nullable()
    .default(JOB_DEFAULTS.vocabularyFile)
    .describe('a plain-text file with one term a line (# starts a comment), read when a file is queued'),
  output: OutputSettings.prefault({}),
  speakers: SpeakersSetting.default(JOB_DEFAULTS.speakers),
});
export type JobSettings = z.infer<typeof JobSettings>;

/** Settings that change only how or where a transcript is written (its formats, its place, the file the vocabulary
 * was read from: its terms are in `vocabulary`). Every other job setting changes the transcript itself. */
export const WRITING_SETTINGS = ['formats', 'output', 'vocabularyFile'] as const;
type TranscriptSetting = Exclude<keyof JobSettings, (typeof WRITING_SETTINGS)[number]>;

/** The settings that change the transcript itself, in the schema's order: the duplicate key's fields. A setting
 * added to the schema joins them unless it is named in WRITING_SETTINGS. */
export const TRANSCRIPT_SETTINGS = Object.keys(JobSettings.shape).filter(
  (k) => !(WRITING_SETTINGS as readonly string[]).includes(k),
) as TranscriptSetting[];

/** The job defaults, each stated once (the schema's defaults for keys older stored jobs lack come from here). */
export const DEFAULT_SETTINGS: JobSettings = {
  ...JOB_DEFAULTS,
  formats: [...DEFAULT_FORMATS],
  languages: [],
  vocabulary: [],
  output: OutputSettings.parse({}),
};

// A rule or config.job sets only what it names: the defaults of the full settings are not filled in here.
export const PartialSettings = JobSettings.extend({
  alignModel: JobSettings.shape.alignModel.unwrap(),
  languages: JobSettings.shape.languages.unwrap(),
  languageMismatch: JobSettings.shape.languageMismatch.unwrap(),
  vocabulary: JobSettings.shape.vocabulary.unwrap(),
  vocabularyFile: JobSettings.shape.vocabularyFile.unwrap(),
  output: z
    .object({
      languageSuffix: OutputSettings.shape.languageSuffix.unwrap(),
      beside: OutputSettings.shape.beside.unwrap(),
    })
    .partial()
    .strict(),
})
  .partial()
  .strict();
export const Rule = PartialSettings.extend({
  folder: z
    .string()
    .min(1)
    .describe('inbox sub-folder (relative to each inbox) or absolute folder the rule applies to'),
}).strict();
export type Rule = z.infer<typeof Rule>;

/** The tasks a job runs: one, or transcribe and then translate. */
export function tasksOf(settings: Pick<JobSettings, 'task'>): Task[] {
  return typeof settings.task === 'string' ? [settings.task] : [...settings.task];
}
