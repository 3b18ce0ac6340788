// The transcribe step: the ASR backend chain over the whole recording, or window by window (windows.ts plans the
// order, the prompts and the fallbacks) joined into one transcript file with the ranges that stayed missing.
// A job with both tasks runs a second pass, the translation, with its own cache unit (work/<job>/transcribe/translate).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ArtifactsFor, AsrBackend, LanguageTime, Span, Task, Window } from '../core/contract.js';
import { tasksOf, type Config } from '../config/config.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { asrChain, isRemote } from '../stages/backends.js';
import { StageError } from '../stages/stageError.js';
import { readCachedStage, stageDir, writeCachedStage } from '../store/stageCache.js';
import { readTranscript, type StepContext } from './stepContext.js';
import { joinWindows, spansOf, splitThreads, transcribeWindows, windowUnit } from './windows.js';

/** Where a transcribe run commits its segments as they come, in its own work folder (kept across attempts). */
export const SEGMENTS_FILE = 'segments.ndjson';

export interface Transcribed {
  artifacts: ArtifactsFor<'transcribe'>;
  backend: AsrBackend;
}

/** One recognizer pass: its task, the language it is told, and its cache unit (none for the first pass). */
export interface Pass {
  task: Task;
  language: string | null;
  unit?: string;
}

/** The first pass of a job: its first task, in the job's language (null: detected). */
export function firstPass(ctx: StepContext): Pass {
  return { task: tasksOf(ctx.settings)[0]!, language: ctx.settings.language };
}

/** The pass as an earlier run of the job cached it, its warnings told again through `tell`; undefined when none. */
function cachedPass(ctx: StepContext, pass: Pass, tell: (warning: string) => void): Transcribed | undefined {
  const cached = readCachedStage(ctx.workDir, 'transcribe', pass.unit);
  if (!cached) return undefined;
  cached.warnings?.forEach(tell);
  return { artifacts: cached.artifacts, backend: cached.artifacts.backend };
}

/** Try each ASR backend of the chain; a backend that is missing or keeps crashing hands over to the next. */
export async function transcribe(
  ctx: StepContext,
  audio: string,
  speech: Span[] | null,
  pass: Pass = firstPass(ctx),
): Promise<Transcribed> {
  const cached = cachedPass(ctx, pass, (w) => ctx.note(w));
  if (cached) return cached;
  const s = ctx.settings;
  const chain = asrChain(s.backend, ctx.appleSilicon, ctx.config.backends.openai.fallback);
  let last: StageError | undefined;
  for (const [i, backend] of chain.entries()) {
    try {
      const artifacts = await ctx.executor.run(
        'transcribe',
        backend,
        s.model,
        (outDir) => ({
          stage: 'transcribe',
          audio,
          speech,
          backend,
          model: s.model,
          language: pass.language,
          ...passLanguages(ctx, pass.language),
          task: pass.task,
          wordTimestamps: s.align !== 'none',
          languageMismatch: s.languageMismatch,
          vocabulary: s.vocabulary,
          vocabularyLanguage: s.language,
          ...ctx.config.asr,
          segmentsFile: join(outDir, SEGMENTS_FILE),
          server: serverTarget(ctx.config, backend),
          ...ctx.common(outDir),
        }),
        pass.unit ? { name: pass.unit, label: pass.task, fraction: (f) => f } : undefined,
      );
      return { artifacts, backend };
    } catch (err) {
      if (!(err instanceof StageError) || err.permanentForInput || err.stopsTheJob) throw err;
      last = err;
      const next = chain[i + 1];
      if (next) {
        ctx.degrade(`the ${backend} backend failed (${err.kind}: ${err.message}); fell back to ${next}`);
        ctx.log.warn({ backend, next, kind: err.kind }, 'ASR backend failed; falling back');
      }
    }
  }
  throw last!;
}

/** A long recording window by window (src/pipeline/windows.ts), joined into one transcript file. */
export async function transcribeWindowed(
  ctx: StepContext,
  audio: string,
  speech: Span[],
  windows: Window[],
  pass: Pass = firstPass(ctx),
): Promise<Transcribed> {
  const cached = cachedPass(ctx, pass, (w) => ctx.degrade(w));
  if (cached) return cached;
  const s = ctx.settings;
  const { asr, windows: cfg } = ctx.config;
  const chain = asrChain(s.backend, ctx.appleSilicon, ctx.config.backends.openai.fallback);
  const local = splitThreads(cfg.workers, availableParallelism(), asr.cpuThreads);
  // Windows for a server are as many at a time as it takes requests; the local threads stay as split for a fallback.
  const workers = isRemote(chain[0]!) ? ctx.config.backends.openai.concurrency : local.workers;
  const { cpuThreads } = local;
  const total = windows.reduce((n, w) => n + w.speechSec, 0) || 1;
  const done = new Map<number, number>();
  const results = await transcribeWindows(
    windows,
    { chain, language: pass.language, workers, prompt: cfg.prompt },
    {
      run: (r) =>
        ctx.executor.run(
          'transcribe',
          r.backend,
          s.model,
          (outDir) => ({
            stage: 'transcribe',
            audio,
            speech: spansOf(speech, r.window),
            backend: r.backend,
            model: s.model,
            // Not the first window's language: each window finds the language of each of its turns (turn_languages.py).
            language: pass.language,
            ...passLanguages(ctx, pass.language),
            task: pass.task,
            wordTimestamps: s.align !== 'none',
            languageMismatch: s.languageMismatch,
            vocabulary: s.vocabulary,
            vocabularyLanguage: s.language,
            ...asr,
            cpuThreads,
            window: { index: r.window.index, count: r.count, start: r.window.start, end: r.window.end },
            initialPrompt: r.initialPrompt,
            segmentsFile: join(outDir, SEGMENTS_FILE),
            server: serverTarget(ctx.config, r.backend),
            ...ctx.common(outDir),
          }),
          {
            name: pass.unit ? join(pass.unit, windowUnit(r.window.index)) : windowUnit(r.window.index),
            label: `${pass.task} window ${r.window.index + 1}/${r.count}`,
            fraction: (f) => {
              done.set(r.window.index, f * r.window.speechSec);
              return [...done.values()].reduce((a, b) => a + b, 0) / total;
            },
          },
        ),
      read: (a) => readTranscript(a.transcript),
      fellBack: (w, backend, next, err) =>
        ctx.degrade(
          `window ${w.index + 1}: the ${backend} backend failed (${err.kind}: ${err.message}); fell back to ${next}`,
        ),
    },
  );
  const joined = joinWindows(results, (a) => readTranscript(a.transcript));
  const lost = joined.missing.map(
    (m) =>
      `the range ${m.start.toFixed(1)}-${m.end.toFixed(1)} s could not be transcribed (${m.reason}); it is marked missing`,
  );
  lost.forEach((m) => ctx.degrade(m));
  const first = results.find((r) => r.artifacts)!;
  const transcript = join(stageDir(ctx.workDir, 'transcribe', pass.unit), 'transcript.json');
  writeFileAtomic(transcript, joined.text);
  const languages = languagesOf(results.flatMap((r) => r.artifacts?.languages ?? []));
  const artifacts = {
    ...first.artifacts!,
    transcript,
    segmentCount: joined.segmentCount,
    ...(languages.length ? { languages, language: languages[0]!.language } : {}),
  };
  writeCachedStage(ctx.workDir, 'transcribe', { artifacts, backend: first.backend!, warnings: lost }, pass.unit);
  return { artifacts, backend: first.backend! };
}

/** The speech time of each language over all windows, most first. */
function languagesOf(found: LanguageTime[]): LanguageTime[] {
  const time = new Map<string, number>();
  for (const l of found) time.set(l.language, (time.get(l.language) ?? 0) + l.speechSec);
  return [...time]
    .map(([language, speechSec]) => ({ language, speechSec: Math.round(speechSec * 1000) / 1000 }))
    .sort((a, b) => b.speechSec - a.speechSec);
}

/** The languages a pass may find its turns in: the job's `languages`, unless the language is forced. */
function passLanguages(ctx: StepContext, language: string | null): { languages?: string[] } {
  return language === null && ctx.settings.languages.length ? { languages: ctx.settings.languages } : {};
}

/** The server a request for `backend` goes to: backends.openai for the openai backend, else none. */
function serverTarget(config: Config, backend: AsrBackend) {
  if (!isRemote(backend)) return null;
  const o = config.backends.openai;
  if (!o.url) {
    throw new StageError('config', 'job.backend is "openai" but backends.openai.url is not set', {
      jobId: '?',
      file: '?',
      stage: 'transcribe',
      backend,
      elapsedMs: 0,
    });
  }
  return { url: o.url, model: o.model, timeoutSec: o.timeoutSec, prompt: o.prompt };
}
