// A job's way through the stages: decode -> [separate] -> [vad] -> transcribe -> [align] -> [diarize] -> [translate]
// -> render.
// Each stage is its own process; finished stages are cached so a restart resumes at the first unfinished one.
// Optional stages degrade instead of failing the job; the job records what degraded. The transcribe and align steps
// (the whole recording, or window by window) are in transcribeStep.ts and alignStep.ts; speakers in diarizeStep.ts.
import { join } from 'node:path';
import type { AsrBackend, Span, StageName, Task, Window } from '../core/contract.js';
import { tasksOf, type Config } from '../config/config.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { Logger } from '../platform/log.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import { StageError } from '../stages/stageError.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { TranscriptDocument } from '../output/render/index.js';
import { align } from './alignStep.js';
import { diarize, speakerRange } from './diarizeStep.js';
import { etaSec, overallProgress } from './progress.js';
import { processRunner, realDelay, StageExecutor, type Delay, type StageRunner } from './stageExecutor.js';
import { readTranscript, type StepContext } from './stepContext.js';
import { firstPass, transcribe, transcribeWindowed, type Pass, type Transcribed } from './transcribeStep.js';

/** The cache unit of the translation pass of a job with both tasks. */
const TRANSLATION_UNIT = 'translate';

export { transcribeWarmKey, warmKeyFor, warmKeysFor } from './warmKeys.js';

export interface PipelineDeps {
  config: Config;
  jobs: JobStore;
  scheduler: MemoryScheduler;
  /** Requests in flight to a transcription server, shared by the daemon's jobs. */
  serverSlots?: MemoryScheduler;
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
  private readonly ctx: StepContext;

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
      ...(speakerRange(this.s.speakers, deps.config.speakers.maxAuto) ? ['diarize' as const] : []),
    ];
    this.log = deps.log.child({ jobId: job.id });
    this.executor = new StageExecutor(
      {
        config: deps.config,
        jobs: deps.jobs,
        scheduler: deps.scheduler,
        serverSlots: deps.serverSlots,
        runner: deps.runner ?? processRunner(deps.config.python, deps.warm, deps.config.backends.openai),
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
    this.ctx = {
      settings: this.s,
      config: deps.config,
      appleSilicon: deps.appleSilicon,
      workDir: this.workDir,
      executor: this.executor,
      log: this.log,
      degrade: (message) => this.degraded.push(message),
      note: (message) => this.note(message),
      common: (outDir) => this.common(outDir),
      optional: (stage, what, instead, run) => this.optional(stage, what, instead, run),
    };
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
    const first = firstPass(this.ctx);
    const asr = windowed
      ? await transcribeWindowed(this.ctx, audio, speech!, windowed, first)
      : await transcribe(this.ctx, audio, speech, first);
    let transcriptPath = asr.artifacts.transcript;
    let alignment: TranscriptDocument['alignment'] = this.s.align === 'none' ? 'none' : 'native';
    if (this.s.align === 'whisperx') {
      const aligned = await align(this.ctx, audio, asr, windowed);
      if (aligned) {
        transcriptPath = aligned.transcript;
        alignment = 'whisperx';
      }
    }
    const speakers = alignment === 'none' ? undefined : await diarize(this.ctx, audio, transcriptPath, speech);
    if (speakers) transcriptPath = speakers.transcript;
    const video = decoded.frameRate ? { frameRate: decoded.frameRate } : {}; // FCPXML's frames
    const document: TranscriptDocument = {
      ...this.document(asr, transcriptPath, alignment, first.task),
      ...(speakers ? { speakers: speakers.speakers, speakerConfidence: speakers.confidence } : {}),
      ...video,
    };
    const translation = await this.translation(audio, speech, windowed, asr);
    this.deps.jobs.setProgress(this.job.id, 'render', 0.99, 0);
    return {
      degraded: this.degraded,
      notes: this.notes,
      document: translation ? { ...document, translation: { ...translation, ...video } } : document,
    };
  }

  /** The second pass of a job with both tasks: English from the same decode and voice detection, native timings. */
  private async translation(
    audio: string,
    speech: Span[] | null,
    windowed: Window[] | null,
    source: Transcribed,
  ): Promise<TranscriptDocument | undefined> {
    if (tasksOf(this.s).length < 2) return undefined;
    const found = source.artifacts.languages ?? [];
    // Turns in more than one language: each is translated from its own (the stage finds each turn's again).
    const language = this.s.language ?? (found.length > 1 ? null : source.artifacts.language);
    if (language === 'en' || (language === null && found.every((l) => l.language === 'en'))) {
      this.note('the recording is in English: no separate English translation was written');
      return undefined;
    }
    const pass: Pass = { task: 'translate', language, unit: TRANSLATION_UNIT };
    const asr = windowed
      ? await transcribeWindowed(this.ctx, audio, speech!, windowed, pass)
      : await transcribe(this.ctx, audio, speech, pass);
    return this.document(asr, asr.artifacts.transcript, this.s.align === 'none' ? 'none' : 'native', 'translate');
  }

  /** The transcript document of one pass, from its transcript file (or the aligned one). */
  private document(
    asr: Transcribed,
    transcriptPath: string,
    alignment: TranscriptDocument['alignment'],
    task: Task,
  ): TranscriptDocument {
    const recognized = readTranscript(asr.artifacts.transcript);
    const { suppressed = [], missing = [] } = recognized;
    let { segments } = transcriptPath === asr.artifacts.transcript ? recognized : readTranscript(transcriptPath);
    const speechFound = segments.some((seg) => seg.text.trim() !== '');
    if (!speechFound) this.note('no speech found: the transcript is empty');
    if (alignment === 'native' && segments.length && segments.every((seg) => seg.words.length === 0)) {
      this.degraded.push('no word timings were available: segments are written without words');
      alignment = 'none';
    }
    if (alignment === 'none') segments = segments.map((seg) => ({ ...seg, words: [] }));
    return {
      source: this.job.relPath,
      language: asr.artifacts.language,
      languageProbability: asr.artifacts.languageProbability,
      ...(asr.artifacts.languages?.length ? { languages: asr.artifacts.languages } : {}),
      task,
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
    };
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
      if (!(err instanceof StageError) || err.stopsTheJob) throw err;
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
    try {
      this.deps.jobs.setProgress(this.job.id, label, p, etaSec(p, (Date.now() - this.started) / 1000));
    } catch (err) {
      // Progress is for status only: a database that cannot take it (a full disk) does not stop the stage.
      this.log.debug({ err: (err as Error).message }, 'could not record progress');
    }
  }
}

export type { AsrBackend };
