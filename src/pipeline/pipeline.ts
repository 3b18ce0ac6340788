// A job's way through the stages: decode -> [separate] -> [vad] -> transcribe -> [align] -> render.
// Each stage is its own process; finished stages are cached so a restart resumes at the first unfinished one.
// Optional stages degrade instead of failing the job; the job records what degraded.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Transcript, type AsrBackend, type Span, type StageName, type Window } from '../contract.js';
import type { Config } from '../config.js';
import { asrChain } from '../stages/backends.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { Logger } from '../platform/log.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import { readCachedStage, stageDir, writeCachedStage } from '../store/stageCache.js';
import { StageError } from '../stages/stageError.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { TranscriptDocument } from '../output/render/index.js';
import { writeFileAtomic } from '../output/atomicWrite.js';
import { etaSec, overallProgress } from './progress.js';
import { processRunner, realDelay, StageExecutor, type Delay, type StageRunner } from './stageExecutor.js';
import { joinWindows, spansOf, splitThreads, transcribeWindows, windowUnit } from './windows.js';

export { transcribeWarmKey, warmKeyFor, warmKeysFor } from './warmKeys.js';

export interface PipelineDeps {
  config: Config;
  jobs: JobStore;
  scheduler: MemoryScheduler;
  log: Logger;
  workRoot: string;
  appleSilicon: boolean;
  /** Warm workers for faster-whisper and Silero; without it every stage is a fresh process. */
  warm?: WarmPool;
  /** Runs stage requests; stage processes (and `warm`) unless a test scripts the outcomes. */
  runner?: StageRunner;
  /** The back-off wait between attempts; a timer unless a test records it. */
  delay?: Delay;
}

export interface PipelineResult {
  document: TranscriptDocument;
  degraded: string[];
  /** What the user should know though nothing degraded: language check, no speech, track chosen. */
  notes: string[];
}

export function workDirFor(workRoot: string, jobId: number): string {
  return join(workRoot, String(jobId));
}

/** Run every stage of `job`; throws StageError when the job cannot finish. */
export async function runPipeline(job: Job, deps: PipelineDeps, signal: AbortSignal): Promise<PipelineResult> {
  return new JobRun(job, deps, signal).run();
}

class JobRun {
  private readonly s: Job['settings'];
  private readonly workDir: string;
  private readonly degraded: string[] = [];
  private readonly notes: string[] = [];
  private readonly plan: StageName[];
  private readonly started = Date.now();
  private audioSec: number | null;
  private readonly log: Logger;
  private readonly executor: StageExecutor;

  constructor(
    private readonly job: Job,
    private readonly deps: PipelineDeps,
    private readonly signal: AbortSignal,
  ) {
    this.s = job.settings;
    this.workDir = workDirFor(deps.workRoot, job.id);
    this.audioSec = job.audioSec;
    this.plan = [
      'decode',
      ...(this.s.separate ? ['separate' as const] : []),
      ...(this.s.vad ? ['vad' as const] : []),
      'transcribe',
      ...(this.s.align === 'whisperx' ? ['align' as const] : []),
    ];
    this.log = deps.log.child({ jobId: job.id });
    this.executor = new StageExecutor(
      {
        config: deps.config,
        jobs: deps.jobs,
        scheduler: deps.scheduler,
        runner: deps.runner ?? processRunner(deps.config.python, deps.warm),
        delay: deps.delay ?? realDelay,
      },
      job,
      this.workDir,
      signal,
      this.log,
      {
        progress: (stage, fraction, label) => this.progress(stage, fraction, label),
        note: (message) => this.note(message),
        timeoutMs: (stage) => this.timeoutMs(stage),
      },
    );
  }

  async run(): Promise<PipelineResult> {
    const decoded = await this.executor.run('decode', null, null, (outDir) => ({
      stage: 'decode',
      source: this.job.input,
      audioStream: this.s.audioStream,
      ...this.common(outDir),
    }));
    this.audioSec = decoded.durationSec;
    this.deps.jobs.setAudioSec(this.job.id, decoded.durationSec);
    let audio = decoded.audio;

    if (this.s.separate) {
      const separated = await this.optional('separate', 'vocal separation', 'transcribed the original audio', () =>
        this.executor.run('separate', 'demucs', this.s.separateModel, (outDir) => ({
          stage: 'separate',
          audio,
          model: this.s.separateModel,
          ...this.common(outDir),
        })),
      );
      if (separated) audio = separated.audio;
    }

    let speech: Span[] | null = null;
    let windows: Window[] | undefined;
    if (this.s.vad) {
      const cfg = this.deps.config.vad;
      const win = this.deps.config.windows;
      const vad = await this.optional('vad', 'voice activity detection', 'transcribed the whole recording', () =>
        this.executor.run('vad', 'silero', null, (outDir) => ({
          stage: 'vad',
          audio,
          threshold: cfg.threshold,
          minSilenceMs: cfg.minSilenceMs,
          speechPadMs: cfg.speechPadMs,
          windowMinSec: win.minSpeechSec,
          windowMaxSec: win.maxSpeechSec,
          ...this.common(outDir),
        })),
      );
      if (vad) ({ segments: speech, windows } = vad);
    }

    const windowed = speech && windows && windows.length > 1 ? windows : null;
    const asr = windowed
      ? await this.transcribeWindowed(audio, speech!, windowed)
      : await this.transcribe(audio, speech);
    let transcriptPath = asr.artifacts.transcript;
    let alignment: TranscriptDocument['alignment'] = this.s.align === 'none' ? 'none' : 'native';
    if (this.s.align === 'whisperx') {
      const aligned = windowed
        ? await this.alignWindowed(audio, windowed, asr.artifacts.language)
        : await this.optional(
            'align',
            'WhisperX word alignment',
            'used the word timings of the speech recognizer',
            () =>
              this.executor.run('align', 'whisperx', null, (outDir) => ({
                stage: 'align',
                audio,
                transcript: asr.artifacts.transcript,
                language: asr.artifacts.language,
                device: 'cpu',
                model: this.s.alignModel,
                ...this.common(outDir),
              })),
          );
      if (aligned) {
        transcriptPath = aligned.transcript;
        alignment = 'whisperx';
      }
    }

    let { segments } = readTranscript(transcriptPath);
    const { suppressed = [], missing = [] } = readTranscript(asr.artifacts.transcript);
    const speechFound = segments.some((seg) => seg.text.trim() !== '');
    if (!speechFound) this.note('no speech found: the transcript is empty');
    if (alignment === 'native' && segments.length && segments.every((seg) => seg.words.length === 0)) {
      this.degraded.push('no word timings were available: segments are written without words');
      alignment = 'none';
    }
    if (alignment === 'none') segments = segments.map((seg) => ({ ...seg, words: [] }));
    this.deps.jobs.setProgress(this.job.id, 'render', 0.99, 0);
    return {
      degraded: this.degraded,
      notes: this.notes,
      document: {
        source: this.job.relPath,
        language: asr.artifacts.language,
        languageProbability: asr.artifacts.languageProbability,
        task: this.s.task,
        backend: asr.backend,
        model: asr.artifacts.model,
        alignment,
        durationSec: asr.artifacts.durationSec,
        processingSec: Math.round((Date.now() - this.started) / 100) / 10,
        degraded: this.degraded,
        notes: this.notes,
        speechFound,
        createdAt: new Date().toISOString(),
        segments,
        suppressed,
        ...(missing.length ? { missing } : {}),
      },
    };
  }

  /** Try each ASR backend of the chain; a backend that is missing or keeps crashing hands over to the next. */
  private async transcribe(audio: string, speech: { start: number; end: number }[] | null) {
    const cached = readCachedStage(this.workDir, 'transcribe');
    if (cached) {
      cached.warnings?.forEach((w) => this.note(w));
      return { artifacts: cached.artifacts, backend: cached.artifacts.backend };
    }
    const chain = asrChain(this.s.backend, this.deps.appleSilicon);
    let last: StageError | undefined;
    for (const [i, backend] of chain.entries()) {
      try {
        const artifacts = await this.executor.run('transcribe', backend, this.s.model, (outDir) => ({
          stage: 'transcribe',
          audio,
          speech,
          backend,
          model: this.s.model,
          language: this.s.language,
          task: this.s.task,
          wordTimestamps: this.s.align !== 'none',
          languageMismatch: this.s.languageMismatch,
          ...this.deps.config.asr,
          ...this.common(outDir),
        }));
        return { artifacts, backend };
      } catch (err) {
        if (!(err instanceof StageError) || err.permanentForInput || err.kind === 'canceled') throw err;
        last = err;
        const next = chain[i + 1];
        if (next) {
          this.degraded.push(`the ${backend} backend failed (${err.kind}: ${err.message}); fell back to ${next}`);
          this.log.warn({ backend, next, kind: err.kind }, 'ASR backend failed; falling back');
        }
      }
    }
    throw last!;
  }

  /** A long recording window by window (src/pipeline/windows.ts), joined into one transcript file. */
  private async transcribeWindowed(audio: string, speech: Span[], windows: Window[]) {
    const cached = readCachedStage(this.workDir, 'transcribe');
    if (cached) {
      cached.warnings?.forEach((w) => this.degraded.push(w));
      return { artifacts: cached.artifacts, backend: cached.artifacts.backend };
    }
    const { asr, windows: cfg } = this.deps.config;
    const { workers, cpuThreads } = splitThreads(cfg.workers, availableParallelism(), asr.cpuThreads);
    const total = windows.reduce((n, w) => n + w.speechSec, 0) || 1;
    const done = new Map<number, number>();
    const results = await transcribeWindows(
      windows,
      {
        chain: asrChain(this.s.backend, this.deps.appleSilicon),
        language: this.s.language,
        workers,
        prompt: cfg.prompt,
      },
      {
        run: (r) =>
          this.executor.run(
            'transcribe',
            r.backend,
            this.s.model,
            (outDir) => ({
              stage: 'transcribe',
              audio,
              speech: spansOf(speech, r.window),
              backend: r.backend,
              model: this.s.model,
              language: r.language,
              task: this.s.task,
              wordTimestamps: this.s.align !== 'none',
              languageMismatch: this.s.languageMismatch,
              ...asr,
              cpuThreads,
              window: { index: r.window.index, count: r.count, start: r.window.start, end: r.window.end },
              initialPrompt: r.initialPrompt,
              ...this.common(outDir),
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
          this.degraded.push(
            `window ${w.index + 1}: the ${backend} backend failed (${err.kind}: ${err.message}); fell back to ${next}`,
          ),
      },
    );
    const joined = joinWindows(results, (a) => readTranscript(a.transcript));
    const lost = joined.missing.map(
      (m) =>
        `the range ${m.start.toFixed(1)}-${m.end.toFixed(1)} s could not be transcribed (${m.reason}); it is marked missing`,
    );
    this.degraded.push(...lost);
    const first = results.find((r) => r.artifacts)!;
    const transcript = join(stageDir(this.workDir, 'transcribe'), 'transcript.json');
    writeFileAtomic(transcript, JSON.stringify(joined));
    const artifacts = { ...first.artifacts!, transcript, segmentCount: joined.segments.length };
    writeCachedStage(this.workDir, 'transcribe', { artifacts, backend: first.backend!, warnings: lost });
    return { artifacts, backend: first.backend! };
  }

  /** WhisperX window by window: a window whose alignment fails keeps the recognizer's word timings, alone. */
  private async alignWindowed(audio: string, windows: Window[], language: string) {
    const parts: string[] = [];
    let aligned = 0;
    for (const w of windows) {
      const unit = windowUnit(w.index);
      const native = readCachedStage(this.workDir, 'transcribe', unit)?.artifacts.transcript;
      if (!native) continue; // a window marked missing
      const label = `window ${w.index + 1}/${windows.length}`;
      const done = await this.optional(
        'align',
        `WhisperX word alignment of ${label}`,
        'used the word timings of the speech recognizer there',
        () =>
          this.executor.run(
            'align',
            'whisperx',
            null,
            (outDir) => ({
              stage: 'align',
              audio,
              transcript: native,
              language,
              device: 'cpu',
              model: this.s.alignModel,
              window: { index: w.index, count: windows.length, start: w.start, end: w.end },
              ...this.common(outDir),
            }),
            { name: unit, label: `align ${label}`, fraction: (f) => (w.index + f) / windows.length },
          ),
      );
      if (done) aligned++;
      parts.push(done?.transcript ?? native);
    }
    if (!aligned) return undefined;
    const transcript = join(stageDir(this.workDir, 'align'), 'transcript.aligned.json');
    writeFileAtomic(transcript, JSON.stringify({ segments: parts.flatMap((p) => readTranscript(p).segments) }));
    return { transcript };
  }

  /** Run an optional stage; if it fails for any reason but cancellation or bad input, note it and go on. */
  private async optional<T>(
    stage: StageName,
    what: string,
    instead: string,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof StageError) || err.kind === 'canceled') throw err;
      this.degraded.push(`${what} failed (${err.kind}: ${err.message}); ${instead}`);
      this.log.warn({ stage, kind: err.kind, err: err.message }, `${stage} failed; degrading`);
      return undefined;
    }
  }

  /** Record something the user should know (once), and log it. */
  private note(message: string): void {
    if (this.notes.includes(message)) return;
    this.notes.push(message);
    this.log.warn({ note: message }, 'job note');
  }

  private common(outDir: string) {
    return { jobId: String(this.job.id), outDir, heartbeatSeconds: this.deps.config.stages.heartbeatSec };
  }

  private timeoutMs(stage: StageName): number {
    const st = this.deps.config.stages;
    const audio = this.audioSec ?? 0;
    return stage === 'align'
      ? Math.max(st.alignTimeoutFloorSec, audio * st.alignTimeoutPerAudioSec) * 1000
      : Math.max(st.timeoutFloorSec, audio * st.timeoutPerAudioSec) * 1000;
  }

  /** Overall progress from the stage weights, and an ETA from the pace so far. */
  private progress(stage: StageName, fraction: number, label: string = stage): void {
    const p = overallProgress(this.plan, stage, fraction);
    this.deps.jobs.setProgress(this.job.id, label, p, etaSec(p, (Date.now() - this.started) / 1000));
  }
}

function readTranscript(path: string) {
  const parsed = Transcript.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new StageError('garbage', `the transcript file breaks the contract: ${parsed.error.issues[0]?.message}`, {
      jobId: '?',
      file: path,
      stage: 'transcribe',
      elapsedMs: 0,
    });
  }
  return parsed.data;
}

export type { AsrBackend };
