// Configuration: a zod schema that holds every default, loaded from a JSON file plus command-line flags.
// Per-folder rules override the job settings for files below a given inbox sub-folder.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { DEFAULT_OPENAI, OpenAiSettings } from './openaiSettings.js';
import { JobSettings, PartialSettings, Rule, DEFAULT_SETTINGS } from './jobSettings.js';
import { DEFAULT_PYTHON } from '../platform/python/location.js';
import { DEFAULT_TEAM, TeamSettings } from './teamSettings.js';
import { ConfigError } from './configError.js';
import { readVocabularyFile } from './vocabulary.js';

export * from './jobSettings.js';
export { ConfigError } from './configError.js';

/** Subtitle cue rules (Netflix timed-text guidelines; every SRT/VTT/ASS cue is built to meet them where the speech
 * allows), and how the other formats write times (karaoke, FCPXML frames, time stamps in documents). */
export const SubtitleSettings = z.object({
  maxLineChars: z.number().int().positive().default(42).describe('characters a line (CJK characters count two)'),
  maxLines: z.number().int().positive().default(2),
  minDurationSec: z
    .number()
    .nonnegative()
    .default(5 / 6),
  maxDurationSec: z.number().positive().default(7),
  maxCharsPerSec: z.number().positive().default(20).describe('reading speed'),
  minGapSec: z
    .number()
    .nonnegative()
    .default(2 / 24)
    .describe('two frames at 24 fps between cues'),
  splitPauseSec: z
    .number()
    .positive()
    .default(1.5)
    .describe('a pause between words longer than this always ends a cue'),
  karaoke: z
    .boolean()
    .default(false)
    .describe(
      'ASS cues highlight word by word (\\k from the word timings) and LRC lines carry word times (enhanced LRC)',
    ),
  frameRate: z
    .number()
    .positive()
    .max(240)
    .default(25)
    .describe("FCPXML frame rate when the recording's own is not known (audio); 29.97 and the like are NTSC rates"),
  documentTimestamps: z
    .enum(['plain', 'maxqda', 'nvivo'])
    .default('plain')
    .describe(
      "how DOCX and Markdown write times: plain [00:01:23], maxqda #00:01:23-4# (MAXQDA, ATLAS.ti), nvivo 00:01:23.4 at a paragraph's start",
    ),
  timestampEverySec: z
    .number()
    .nonnegative()
    .default(0)
    .describe('DOCX and Markdown: a time stamp inside a long speaker turn every this many seconds; 0: one a turn'),
});
export type SubtitleSettings = z.infer<typeof SubtitleSettings>;
export const DEFAULT_SUBTITLES: SubtitleSettings = SubtitleSettings.parse({});

export const Config = z
  .object({
    inboxes: z.array(z.string().min(1)).min(1).default(['./inbox']),
    outbox: z.string().min(1).default('./outbox'),
    dataDir: z.string().min(1).default('./.dropscribe'),
    python: z.string().min(1).default(DEFAULT_PYTHON),
    job: PartialSettings.default({}),
    output: PartialSettings.shape.output
      .default({})
      .describe('where outputs go and how they are named (beside, languageSuffix); job.output and rules override'),
    rules: z.array(Rule).default([]),
    asr: z
      .object({
        beamSize: z
          .number()
          .int()
          .positive()
          .default(5)
          .describe(
            "faster-whisper's beam width; mlx-whisper has no beam search: on the mlx backend decoding is greedy",
          ),
        computeType: z.string().default('int8'),
        cpuThreads: z.number().int().nonnegative().default(0),
      })
      .prefault({}),
    vad: z
      .object({
        threshold: z.number().min(0).max(1).default(0.5),
        minSilenceMs: z.number().int().nonnegative().default(2000),
        speechPadMs: z.number().int().nonnegative().default(400),
      })
      .prefault({}),
    speakers: z
      .object({
        voices: z
          .string()
          .min(1)
          .nullable()
          .default(null)
          .describe('folder of voice samples: Alice.m4a, or Alice/*.wav; recordings then name these people'),
        maxAuto: z.number().int().positive().default(8).describe('most speakers `auto` looks for'),
        hopSec: z.number().positive().default(0.5).describe('seconds between two 1.6 s voice windows'),
      })
      .prefault({}),
    windows: z
      .object({
        minSpeechSec: z
          .number()
          .positive()
          .default(300)
          .describe('a long recording is transcribed in windows of at least this much speech'),
        maxSpeechSec: z.number().positive().default(600).describe('and at most this much, cut at the longest pauses'),
        workers: z
          .number()
          .int()
          .positive()
          .default(2)
          .describe(
            'windows of one recording transcribed at the same time, CPU threads split between them (2 on 2 cores: BENCHMARKS.md)',
          ),
        prompt: z
          .boolean()
          .default(false)
          .describe("hand the previous window's last words to the next window as the recognizer's prompt"),
      })
      .prefault({}),
    stability: z
      .object({
        quietMs: z.number().int().positive().default(2000).describe('size and mtime must stay unchanged this long'),
        pollMs: z.number().int().positive().default(500),
        rescanMinutes: z.number().positive().default(10),
        settleSec: z
          .number()
          .nonnegative()
          .default(180)
          .describe(
            'a file changed less than this long ago may still be arriving: a short WAV/AIFF/MP4 header waits, a decode error is retried quietly',
          ),
      })
      .prefault({}),
    stages: z
      .object({
        heartbeatSec: z.number().positive().default(2),
        stallSec: z.number().positive().default(60).describe('a stage silent this long is killed'),
        maxAttempts: z.number().int().positive().default(3),
        backoffMs: z.number().int().nonnegative().default(2000),
        alignTimeoutFloorSec: z.number().positive().default(300),
        alignTimeoutPerAudioSec: z.number().positive().default(2),
        timeoutPerAudioSec: z
          .number()
          .positive()
          .default(20)
          .describe('overall limit per second of audio for other stages'),
        timeoutFloorSec: z.number().positive().default(600),
        warm: z.boolean().default(true).describe('keep faster-whisper and Silero loaded between jobs'),
        warmRecycleAfter: z.number().int().positive().default(25).describe('requests before a warm worker is replaced'),
        warmIdleSec: z.number().positive().default(60).describe('an idle warm worker stops after this long'),
      })
      .prefault({}),
    jobs: z
      .object({
        concurrency: z.number().int().positive().default(2),
      })
      .prefault({}),
    memory: z
      .object({
        budgetBytes: z
          .number()
          .int()
          .positive()
          .nullable()
          .default(null)
          .describe('null sizes the budget to the machine'),
      })
      .prefault({}),
    housekeeping: z
      .object({
        keepJobsDays: z.number().positive().default(90),
        keepFailedWorkDays: z.number().positive().default(7),
        minFreeDiskMb: z.number().nonnegative().default(1024),
        backupCron: z.string().default('17 3 * * *'),
      })
      .prefault({}),
    notify: z.boolean().default(false),
    ui: z
      .object({
        enabled: z.boolean().default(true).describe('serve the local web page on 127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(4717).describe('0 picks a free port'),
        maxUploadMb: z.number().positive().default(4096).describe('largest file the page accepts'),
      })
      .prefault({}),
    subtitles: SubtitleSettings.prefault({}),
    backends: z
      .object({
        openai: OpenAiSettings.default(DEFAULT_OPENAI).describe(
          'an OpenAI-compatible transcription server (job.backend "openai")',
        ),
      })
      .strict()
      .prefault({}),
    team: TeamSettings.default(DEFAULT_TEAM).describe(
      'team mode: several daemons share one queue on PostgreSQL (off while no URL is set)',
    ),
  })
  .strict();
export type Config = z.infer<typeof Config>;

export interface ConfigFlags {
  config?: string;
  inbox?: string[];
  outbox?: string;
  dataDir?: string;
}

/** Load the config file (if any), apply flags, validate, and make every path absolute. */
export function loadConfig(flags: ConfigFlags = {}, cwd = process.cwd()): Config {
  let raw: Record<string, unknown> = {};
  let base = cwd;
  if (flags.config) {
    const file = resolve(cwd, flags.config);
    if (!existsSync(file)) throw new ConfigError(`config file not found: ${file}`);
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    base = resolve(file, '..');
  }
  if (flags.inbox?.length) raw.inboxes = flags.inbox.map((p) => resolve(cwd, p));
  if (flags.outbox) raw.outbox = resolve(cwd, flags.outbox);
  if (flags.dataDir) raw.dataDir = resolve(cwd, flags.dataDir);
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n');
    throw new ConfigError(`invalid configuration${flags.config ? ` in ${flags.config}` : ''}:\n${problems}`);
  }
  const c = parsed.data;
  const abs = (p: string) => resolve(base, expandHome(p));
  return {
    ...c,
    inboxes: c.inboxes.map(abs),
    outbox: abs(c.outbox),
    dataDir: abs(c.dataDir),
    team: { ...c.team, envFile: c.team.envFile ? abs(c.team.envFile) : null },
    backends: {
      ...c.backends,
      openai: { ...c.backends.openai, keyFile: c.backends.openai.keyFile ? abs(c.backends.openai.keyFile) : null },
    },
    python: c.python === DEFAULT_PYTHON ? c.python : abs(c.python),
    job: withVocabularyPath(c.job, abs),
    rules: c.rules.map((r) => withVocabularyPath({ ...r, folder: ruleFolder(r.folder) }, abs)),
    speakers: { ...c.speakers, voices: c.speakers.voices ? abs(c.speakers.voices) : null },
  };
}

/** A rule's folder: absolute (`~/` expanded), or relative to each inbox. */
function ruleFolder(folder: string): string {
  const expanded = expandHome(folder);
  return isAbsolute(expanded) ? expanded : expanded.split('/').join(sep);
}

/** A vocabulary file named relative to the config file is made absolute; a missing one is a configuration error. */
function withVocabularyPath<T extends { vocabularyFile?: string | null }>(part: T, abs: (p: string) => string): T {
  if (!part.vocabularyFile) return part;
  const file = abs(part.vocabularyFile);
  if (!existsSync(file)) throw new ConfigError(`vocabulary file not found: ${file}`);
  return { ...part, vocabularyFile: file };
}

/** `~/x` -> `<home>/x`. */
export function expandHome(p: string, home = homedir()): string {
  return p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

/** The inbox that holds `file`, or undefined when it lies outside every inbox. */
export function inboxOf(config: Config, file: string): string | undefined {
  return config.inboxes.filter((inbox) => isInside(inbox, file)).sort((a, b) => b.length - a.length)[0];
}

/** True when `path` is `dir` itself or below it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Job settings for a file: the defaults, then every matching rule from the shallowest folder to the deepest. */
export function settingsFor(config: Config, inbox: string, file: string): JobSettings {
  const matching = config.rules
    .map((rule) => ({ rule, dir: isAbsolute(rule.folder) ? rule.folder : resolve(inbox, rule.folder) }))
    .filter(({ dir }) => isInside(dir, resolve(file, '..')))
    .sort((a, b) => a.dir.length - b.dir.length);
  let settings: JobSettings = DEFAULT_SETTINGS;
  for (const part of [
    { output: config.output },
    config.job,
    ...matching.map(({ rule: { folder: _folder, ...overrides } }) => overrides),
  ]) {
    settings = { ...settings, ...definedOnly(part), output: { ...settings.output, ...definedOnly(part.output ?? {}) } };
  }
  const fromFile = settings.vocabularyFile ? readVocabularyFile(settings.vocabularyFile) : [];
  return JobSettings.parse({ ...settings, vocabulary: [...new Set([...settings.vocabulary, ...fromFile])] });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
