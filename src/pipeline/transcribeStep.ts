// The transcribe step: the ASR backend chain over the whole recording, or window by window (windows.ts plans the
// order, the prompts and the fallbacks) joined into one transcript file with the ranges that stayed missing.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ArtifactsFor, AsrBackend, Span, Window } from '../contract.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { asrChain } from '../stages/backends.js';
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

/** Try each ASR backend of the chain; a backend that is missing or keeps crashing hands over to the next. */
export async function transcribe(ctx: StepContext, audio: string, speech: Span[] | null): Promise<Transcribed> {
  const cached = readCachedStage(ctx.workDir, 'transcribe');
  if (cached) {
    cached.warnings?.forEach((w) => ctx.note(w));
    return { artifacts: cached.artifacts, backend: cached.artifacts.backend };
  }
  const s = ctx.settings;
  const chain = asrChain(s.backend, ctx.appleSilicon);
  let last: StageError | undefined;
  for (const [i, backend] of chain.entries()) {
    try {
      const artifacts = await ctx.executor.run('transcribe', backend, s.model, (outDir) => ({
        stage: 'transcribe',
        audio,
        speech,
        backend,
        model: s.model,
        language: s.language,
        task: s.task,
        wordTimestamps: s.align !== 'none',
        languageMismatch: s.languageMismatch,
        ...ctx.config.asr,
        segmentsFile: join(outDir, SEGMENTS_FILE),
        ...ctx.common(outDir),
      }));
      return { artifacts, backend };
    } catch (err) {
      if (!(err instanceof StageError) || err.permanentForInput || err.kind === 'canceled') throw err;
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
): Promise<Transcribed> {
  const cached = readCachedStage(ctx.workDir, 'transcribe');
  if (cached) {
    cached.warnings?.forEach((w) => ctx.degrade(w));
    return { artifacts: cached.artifacts, backend: cached.artifacts.backend };
  }
  const s = ctx.settings;
  const { asr, windows: cfg } = ctx.config;
  const { workers, cpuThreads } = splitThreads(cfg.workers, availableParallelism(), asr.cpuThreads);
  const total = windows.reduce((n, w) => n + w.speechSec, 0) || 1;
  const done = new Map<number, number>();
  const results = await transcribeWindows(
    windows,
    { chain: asrChain(s.backend, ctx.appleSilicon), language: s.language, workers, prompt: cfg.prompt },
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
            language: r.language,
            task: s.task,
            wordTimestamps: s.align !== 'none',
            languageMismatch: s.languageMismatch,
            ...asr,
            cpuThreads,
            window: { index: r.window.index, count: r.count, start: r.window.start, end: r.window.end },
            initialPrompt: r.initialPrompt,
            segmentsFile: join(outDir, SEGMENTS_FILE),
            ...ctx.common(outDir),
          }),
          {
            name: windowUnit(r.window.index),
            label: `transcribe window ${r.window.index + 1}/${r.count}`,
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
  const transcript = join(stageDir(ctx.workDir, 'transcribe'), 'transcript.json');
  writeFileAtomic(transcript, joined.text);
  const artifacts = { ...first.artifacts!, transcript, segmentCount: joined.segmentCount };
  writeCachedStage(ctx.workDir, 'transcribe', { artifacts, backend: first.backend!, warnings: lost });
  return { artifacts, backend: first.backend! };
}
