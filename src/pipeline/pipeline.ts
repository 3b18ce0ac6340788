// A job's way through the stages: decode -> [separate] -> [vad] -> transcribe -> [align] -> [diarize] -> [translate]
// -> render, as its plan (plan.ts) says; each stage request is built in requests.ts.
// Each stage is its own process; finished stages are cached (workDir.ts) so a restart resumes at the first unfinished
// one. Optional stages degrade instead of failing the job; the job records what degraded. The transcribe and align
// steps (the whole recording, or window by window) are in transcribeStep.ts and alignStep.ts; speakers in
// diarizeStep.ts.
import type { AsrBackend, Span, StageName, Task, Window } from '../core/contract.js';
import type { Config } from '../config/config.js';
import type { Job, JobTable } from '../store/jobs.js';
import type { StageRunStore } from '../store/stageRuns.js';
import type { Logger } from '../platform/log.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import type { RequestSlots } from '../resources/requestSlots.js';
import { StageError } from '../stages/stageError.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { TranscriptDocument } from '../output/render/index.js';
import { align } from './alignStep.js';
import { diarize } from './diarizeStep.js';
import { planJob, type JobPlan, type Pass } from './plan.js';
import { etaSec, overallProgress } from './progress.js';
import { decodeRequest, separateRequest, vadRequest, type RequestJob } from './requests.js';
import { processRunner, realDelay, StageExecutor, type Delay, type StageRunner } from './stageExecutor.js';
import { readTranscript, type OptionalStage, type Recording, type StepContext } from './stepContext.js';
import { transcribe, type Transcribed } from './transcribeStep.js';
import { WorkDir, workDirFor } from './workDir.js';

export { transcribeWarmKey, warmKeyFor } from './warmKeys.js';
export { workDirFor };

/** The stores a job's run writes: its progress and audio length in the jobs table, and each stage run. */
export type PipelineStores = Pick<JobTable, 'setProgress' | 'setAudioSec'> & { runs: StageRunStore };

export interface PipelineDeps {
  config: Config;
  jobs: PipelineStores;
  scheduler: MemoryScheduler;
  /** Requests in flight to a transcription server, shared by the daemon's jobs. */
  serverSlots?: RequestSlots;
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

/** Run every stage of `job`; throws StageError when the job cannot finish. */
export async function runPipeline(job: Job, deps: PipelineDeps, signal: AbortSignal): Promise<PipelineResult> {
  return new JobRun(job, deps, signal).run();
}

/** One pass's transcript as a document: the pass, the transcript file (the recognizer's, aligned, or with speakers),
 * how its words are timed, and its task. */
interface PassDocument {
  asr: Transcribed;
  transcript: string;
  alignment: TranscriptDocument['alignment'];
  task: Task;
}

class JobRun {
  private readonly plan: JobPlan;
  private readonly request: RequestJob;
  private readonly degraded: string[] = [];
  private readonly notes: string[] = [];
  private readonly started = Date.now();
  private audioSec: number | null;
  private readonly log: Logger;
  private readonly executor: StageExecutor;
  private readonly ctx: StepContext;

  constructor(
    private readonly job: Job,
    private readonly deps: PipelineDeps,
    signal: AbortSignal,
  ) {
    const { config } = deps;
    this.plan = planJob(job.settings, config, deps.appleSilicon);
    this.request = { id: job.id, input: job.input, settings: job.settings, config };
    const work = new WorkDir(workDirFor(deps.workRoot, job.id));
    this.audioSec = job.audioSec;
    this.log = deps.log.child({ jobId: job.id });
    this.executor = new StageExecutor(
      {
        config,
        runs: deps.jobs.runs,
        scheduler: deps.scheduler,
        serverSlots: deps.serverSlots,
        runner:
          deps.runner ?? processRunner({ python: config.python, warm: deps.warm, openai: config.backends.openai }),
        delay: deps.delay ?? realDelay,
      },
      {
        job,
        work,
        signal,
        log: this.log,
        hooks: {
          progress: (stage, fraction, label) => this.progress(stage, fraction, label),
          note: (message) => this.note(message),
          timeoutMs: (stage) => this.timeoutMs(stage),
        },
      },
    );
    this.ctx = {
      job: this.request,
      plan: this.plan,
      work,
      executor: this.executor,
      log: this.log,
      degrade: (message) => this.degraded.push(message),
      note: (message) => this.note(message),
      optional: (stage, run) => this.optional(stage, run),
    };
  }

  /** The stages of the plan in its order; an optional stage that fails degrades and the job goes on without it. */
  async run(): Promise<PipelineResult> {
    const runs = (stage: StageName) => this.plan.stages.includes(stage);
    const decoded = await this.executor.run(decodeRequest(this.request));
    this.audioSec = decoded.durationSec;
    this.deps.jobs.setAudioSec(this.job.id, decoded.durationSec);
    let audio = decoded.audio;

    if (runs('separate')) {
      const separated = await this.optional(
        { stage: 'separate', what: 'vocal separation', instead: 'transcribed the original audio' },
        () => this.executor.run(separateRequest(this.request, audio)),
      );
      if (separated) audio = separated.audio;
    }

    let speech: Span[] | null = null;
    let windows: Window[] | undefined;
    if (runs('vad')) {
      const vad = await this.optional(
        { stage: 'vad', what: 'voice activity detection', instead: 'transcribed the whole recording' },
        () => this.executor.run(vadRequest(this.request, audio)),
      );
      if (vad) ({ segments: speech, windows } = vad);
    }

    const recording: Recording = { audio, speech, windows: speech && windows && windows.length > 1 ? windows : null };
    const first = this.plan.firstPass;
    const asr = await transcribe(this.ctx, recording, first);
    let transcript = asr.artifacts.transcript;
    let alignment: TranscriptDocument['alignment'] = this.plan.wordTimings ? 'native' : 'none';
    if (runs('align')) {
      const aligned = await align(this.ctx, recording, asr);
      if (aligned) {
        transcript = aligned.transcript;
        alignment = 'whisperx';
      }
    }
    const speakers = runs('diarize') ? await diarize(this.ctx, recording, transcript) : undefined;
    if (speakers) transcript = speakers.transcript;
    const video = decoded.frameRate ? { frameRate: decoded.frameRate } : {}; // FCPXML's frames
    const document: TranscriptDocument = {
      ...this.document({ asr, transcript, alignment, task: first.task }),
      ...(speakers ? { speakers: speakers.speakers, speakerConfidence: speakers.confidence } : {}),
      ...video,
    };
    const translation = await this.translation(recording, asr);
    this.deps.jobs.setProgress(this.job.id, 'render', 0.99, 0);
    return {
      degraded: this.degraded,
      notes: this.notes,
      document: translation ? { ...document, translation: { ...translation, ...video } } : document,
    };
  }

  /** The second pass of a job with both tasks: English from the same decode and voice detection, native timings. */
  private async translation(recording: Recording, source: Transcribed): Promise<TranscriptDocument | undefined> {
    const planned = this.plan.translation;
    if (!planned) return undefined;
    const found = source.artifacts.languages ?? [];
    // Turns in more than one language: each is translated from its own (the stage finds each turn's again).
    const language = this.plan.firstPass.language ?? (found.length > 1 ? null : source.artifacts.language);
    if (language === 'en' || (language === null && found.every((l) => l.language === 'en'))) {
      this.note('the recording is in English: no separate English translation was written');
      return undefined;
    }
    const pass: Pass = { ...planned, language };
    const asr = await transcribe(this.ctx, recording, pass);
    const alignment = this.plan.wordTimings ? 'native' : 'none';
    return this.document({ asr, transcript: asr.artifacts.transcript, alignment, task: pass.task });
  }

  /** The transcript document of one pass, from its transcript file (or the aligned one). */
  private document({ asr, transcript, alignment, task }: PassDocument): TranscriptDocument {
    const recognized = readTranscript(asr.artifacts.transcript);
    const { suppressed = [], missing = [] } = recognized;
    let { segments } = transcript === asr.artifacts.transcript ? recognized : readTranscript(transcript);
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
  private async optional<T>({ stage, what, instead }: OptionalStage, run: () => Promise<T>): Promise<T | undefined> {
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

  private timeoutMs(stage: StageName): number {
    const st = this.deps.config.stages;
    const audio = this.audioSec ?? 0;
    return stage === 'align'
      ? Math.max(st.alignTimeoutFloorSec, audio * st.alignTimeoutPerAudioSec) * 1000
      : Math.max(st.timeoutFloorSec, audio * st.timeoutPerAudioSec) * 1000;
  }

  /** Overall progress from the stage weights, and an ETA from the pace so far. */
  private progress(stage: StageName, fraction: number, label: string = stage): void {
    const p = overallProgress(this.plan.stages, stage, fraction);
    try {
      this.deps.jobs.setProgress(this.job.id, label, p, etaSec(p, (Date.now() - this.started) / 1000));
    } catch (err) {
      // Progress is for status only: a database that cannot take it (a full disk) does not stop the stage.
      this.log.debug({ err: (err as Error).message }, 'could not record progress');
    }
  }
}

export type { AsrBackend };
