// The transcribe step: the ASR backend chain over the whole recording, or window by window (windows.ts plans the
// order, the prompts and the fallbacks) joined into one transcript file with the ranges that stayed missing.
// A job with both tasks runs a second pass, the translation, with its own cache unit (workDir.ts).
import type { ArtifactsFor, AsrBackend, LanguageTime, Span, Window } from '../core/contract.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { StageError } from '../stages/stageError.js';
import type { Pass } from './plan.js';
import { transcribeRequest, windowing } from './requests.js';
import { readTranscript, type Recording, type StepContext } from './stepContext.js';
import { joinWindows, transcribeWindows } from './windows.js';
import { unitOf } from './workDir.js';

export interface Transcribed {
  artifacts: ArtifactsFor<'transcribe'>;
  backend: AsrBackend;
}

/** One pass of the recognizer over `recording`: window by window when it has windows, else whole. */
export async function transcribe(ctx: StepContext, recording: Recording, pass: Pass): Promise<Transcribed> {
  const { audio, speech, windows } = recording;
  return windows
    ? transcribeWindowed(ctx, { audio, speech: speech!, windows }, pass)
    : transcribeWhole(ctx, recording, pass);
}

/** The pass as an earlier run of the job cached it, its warnings told again through `tell`; undefined when none. */
function cachedPass(ctx: StepContext, pass: Pass, tell: (warning: string) => void): Transcribed | undefined {
  const cached = ctx.work.cached('transcribe', pass.unit);
  if (!cached) return undefined;
  cached.warnings?.forEach(tell);
  return { artifacts: cached.artifacts, backend: cached.artifacts.backend };
}

/** Try each ASR backend of the chain; a backend that is missing or keeps crashing hands over to the next. */
async function transcribeWhole(ctx: StepContext, recording: Recording, pass: Pass): Promise<Transcribed> {
  const cached = cachedPass(ctx, pass, (w) => ctx.note(w));
  if (cached) return cached;
  const { audio, speech } = recording;
  const chain = ctx.plan.backends;
  let last: StageError | undefined;
  for (const [i, backend] of chain.entries()) {
    try {
      const artifacts = await ctx.executor.run({
        ...transcribeRequest(ctx.job, { audio, speech, backend, pass }),
        ...(pass.unit ? { unit: { name: pass.unit, label: pass.task, fraction: (f: number) => f } } : {}),
      });
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
async function transcribeWindowed(
  ctx: StepContext,
  recording: { audio: string; speech: Span[]; windows: Window[] },
  pass: Pass,
): Promise<Transcribed> {
  const cached = cachedPass(ctx, pass, (w) => ctx.degrade(w));
  if (cached) return cached;
  const { audio, speech, windows } = recording;
  const chain = ctx.plan.backends;
  const { workers, cpuThreads, prompt } = windowing(ctx.job, chain[0]!);
  const total = windows.reduce((n, w) => n + w.speechSec, 0) || 1;
  const done = new Map<number, number>();
  const results = await transcribeWindows(
    windows,
    { chain, language: pass.language, workers, prompt },
    {
      run: (r) =>
        ctx.executor.run({
          ...transcribeRequest(ctx.job, {
            audio,
            speech,
            backend: r.backend,
            pass,
            window: { window: r.window, count: r.count, initialPrompt: r.initialPrompt, cpuThreads },
          }),
          unit: {
            name: unitOf(pass.unit, r.window.index)!,
            label: `${pass.task} window ${r.window.index + 1}/${r.count}`,
            fraction: (f) => {
              done.set(r.window.index, f * r.window.speechSec);
              return [...done.values()].reduce((a, b) => a + b, 0) / total;
            },
          },
        }),
      read: (a) => readTranscript(a.transcript),
      fellBack: ({ window: w, backend, next, err }) =>
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
  const transcript = ctx.work.joinedTranscript(pass.unit);
  writeFileAtomic(transcript, joined.text);
  const languages = languagesOf(results.flatMap((r) => r.artifacts?.languages ?? []));
  const artifacts = {
    ...first.artifacts!,
    transcript,
    segmentCount: joined.segmentCount,
    ...(languages.length ? { languages, language: languages[0]!.language } : {}),
  };
  ctx.work.save('transcribe', { artifacts, backend: first.backend!, warnings: lost }, pass.unit);
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
