// The generic stage executor: reuse a cached result, admit under the memory budget, run through a stage runner,
// record the run, and retry retryable failures with exponential back-off. It knows no stage plan.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArtifactsFor, AsrBackend, RequestFor, StageName, StageRequest } from '../core/contract.js';
import { tasksOf, type Config } from '../config/config.js';
import type { Logger } from '../platform/log.js';
import { learnedPeak, tablePeak } from '../resources/peaks.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import type { RequestSlots } from '../resources/requestSlots.js';
import { isRemote } from '../stages/backends.js';
import { StageError } from '../stages/stageError.js';
import { OpenAiKeyError, resolveOpenAiKey, STAGE_KEY_ENV } from '../stages/openai/openaiKey.js';
import type { OpenAiSettings } from '../config/openaiSettings.js';
import { runStage, type RequestOptions, type StageOutcome } from '../stages/stageRunner.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { Job } from '../store/jobs.js';
import type { StageRunStore } from '../store/stageRuns.js';
import { warmKeyFor } from './warmKeys.js';
import type { WorkDir } from './workDir.js';
import { describeDownload, downloadEtaSec } from './downloadProgress.js';

/** A model download is logged at most this often (and when it ends). */
const DOWNLOAD_LOG_MS = 5_000;

/** Runs one stage request to its outcome or a StageError: stage processes in production, a script in unit tests. */
export type StageRunner = <S extends StageName>(options: RequestOptions<S>, log: Logger) => Promise<StageOutcome<S>>;

/** Waits `ms` (the back-off between attempts); rejects when `signal` aborts. */
export type Delay = (ms: number, signal: AbortSignal) => Promise<unknown>;

export const realDelay: Delay = (ms, signal) => sleep(ms, undefined, { signal });

export interface ProcessRunnerOptions {
  python: string;
  /** Warm workers for the requests that have one; without it every request is a fresh process. */
  warm?: WarmPool;
  /** The server settings whose API key a server request gets in its environment. */
  openai?: OpenAiSettings;
  /** Added to every fresh process's environment. */
  env?: Record<string, string>;
}

/** The production runner: a warm worker when the request has one, else a fresh stage process (a server request
 * gets the API key in its environment). */
export function processRunner({ python, warm, openai, env = {} }: ProcessRunnerOptions): StageRunner {
  return (options, log) => {
    const key = warmKeyFor(options.request);
    if (warm && key) return warm.run(key, options);
    const r = options.request as RequestFor<StageName>;
    const secret = r.stage === 'transcribe' && r.server && openai ? stageKeyEnv(openai, options) : {};
    return runStage({ ...options, python, env: { ...env, ...secret }, log: log.child({ stage: r.stage }) });
  };
}

/** The API key for the stage's environment; a key source that is broken fails the request as a config problem. */
function stageKeyEnv<S extends StageName>(openai: OpenAiSettings, options: RequestOptions<S>): Record<string, string> {
  try {
    const { key } = resolveOpenAiKey(openai);
    return key ? { [STAGE_KEY_ENV]: key } : {};
  } catch (err) {
    if (!(err instanceof OpenAiKeyError)) throw err;
    throw new StageError('config', err.message, { ...options.context, stage: 'transcribe', elapsedMs: 0 });
  }
}

/** One unit of a stage run on its own (a transcription window): its cache and run name, status label, progress. */
export interface StageUnit {
  name: string;
  label: string;
  fraction: (f: number) => number;
}

/** One stage run: the stage, what the run is recorded under (backend, model; the memory it needs is learned per
 * both), its request built for the output folder the executor gives it, and the unit when it is one of several. */
export interface StageRun<S extends StageName> {
  stage: S;
  backend: string | null;
  model: string | null;
  build: (outDir: string) => RequestFor<S>;
  unit?: StageUnit;
}

export interface ExecutorDeps {
  config: Config;
  /** Each attempt recorded, and the peaks learned from earlier ones. */
  runs: StageRunStore;
  scheduler: MemoryScheduler;
  /** Requests in flight to a transcription server; without it a server request is admitted like a local stage. */
  serverSlots?: RequestSlots;
  runner: StageRunner;
  delay: Delay;
}

/** What the executor reports back to the job's run. */
export interface ExecutorHooks {
  progress: (stage: StageName, fraction: number, label: string) => void;
  note: (message: string) => void;
  timeoutMs: (stage: StageName) => number;
}

/** The job an executor runs the stages of: its work folder, its cancellation, its log, and what it reports to. */
export interface ExecutorJob {
  job: Job;
  work: WorkDir;
  signal: AbortSignal;
  log: Logger;
  hooks: ExecutorHooks;
}

export class StageExecutor {
  private readonly started = Date.now();
  private readonly job: Job;
  private readonly work: WorkDir;
  private readonly signal: AbortSignal;
  private readonly log: Logger;
  private readonly hooks: ExecutorHooks;

  constructor(
    private readonly deps: ExecutorDeps,
    of: ExecutorJob,
  ) {
    ({ job: this.job, work: this.work, signal: this.signal, log: this.log, hooks: this.hooks } = of);
  }

  /** Run one stage (or reuse its cached result) with memory admission and retries for retryable failures. */
  async run<S extends StageName>({ stage, backend, model, build, unit }: StageRun<S>): Promise<ArtifactsFor<S>> {
    const cached = this.work.cached(stage, unit?.name);
    if (cached) {
      cached.warnings?.forEach((w) => this.hooks.note(w));
      return cached.artifacts;
    }
    const { config, runs, scheduler } = this.deps;
    const outDir = this.work.outDir(stage, unit?.name);
    const label = unit?.label ?? stage;
    let shown = label; // the label, or what a model download says while it runs
    const report = (f: number) => this.hooks.progress(stage, unit ? unit.fraction(f) : f, shown);
    let loggedDownloadAt = 0;
    const request = build(outDir);
    const need = learnedPeak(runs.recentPeaks(stage, backend, model)) ?? tablePeak(stage, backend, model);
    const maxAttempts = stage === 'align' ? Math.min(2, config.stages.maxAttempts) : config.stages.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      const who = `job ${this.job.id} ${label}${backend ? ` (${backend})` : ''}`;
      const remote = backend !== null && isRemote(backend as AsrBackend) ? this.deps.serverSlots : undefined;
      const release = await (
        remote ? remote.take(who, this.signal) : scheduler.admit(who, need, backend === 'mlx', this.signal)
      ).catch(() => {
        throw this.canceledError(stage);
      });
      const runId = runs.start({ jobId: this.job.id, stage, backend, model, attempt, unit: unit?.name });
      clearAttempt(outDir, request); // what a half-finished earlier attempt left, but its committed segments
      report(0);
      let fraction = 0;
      const beat = setInterval(
        () =>
          this.log.info(
            { stage: label, backend, attempt, progress: Math.round(fraction * 100) },
            'stage still running',
          ),
        60_000,
      ); // a heartbeat line in the log for long stages, saying where they are
      beat.unref();
      try {
        const options: RequestOptions<S> = {
          request,
          stallMs: config.stages.stallSec * 1000,
          timeoutMs: this.hooks.timeoutMs(stage),
          signal: this.signal,
          context: {
            jobId: this.job.id,
            file: this.job.input,
            backend,
            model,
            language: this.job.settings.language,
            task: tasksOf(this.job.settings).join('+'),
          },
          onProgress: (f: number) => {
            fraction = f;
            shown = label;
            report(f);
          },
          onDownload: (d) => {
            shown = `${label}: ${describeDownload(d)}`;
            report(fraction);
            if (Date.now() - loggedDownloadAt < DOWNLOAD_LOG_MS && d.bytes < d.totalBytes) return;
            loggedDownloadAt = Date.now();
            this.log.info({ stage: label, ...d, etaSec: downloadEtaSec(d) }, describeDownload(d));
          },
          onWarning: (message: string) => this.hooks.note(message),
        };
        const outcome = await this.deps.runner(options, this.log);
        runs.finish(runId, { outcome: 'ok', peakRss: outcome.peakRssBytes, exitCode: 0 });
        this.work.save(stage, { artifacts: outcome.artifacts, backend, warnings: outcome.warnings }, unit?.name);
        this.log.info(
          {
            stage: label,
            backend,
            elapsedMs: outcome.elapsedMs,
            peakRssMb: Math.round(outcome.peakRssBytes / 2 ** 20),
            resumedAfterSec: (outcome.artifacts as { resumedAfterSec?: number | null }).resumedAfterSec ?? undefined,
          },
          'stage done',
        );
        return outcome.artifacts;
      } catch (err) {
        if (!(err instanceof StageError)) throw err;
        runs.finish(runId, {
          outcome: 'failed',
          errorKind: err.kind,
          error: err.message,
          exitCode: err.context.exitCode,
          signal: err.context.signal,
        });
        this.log.warn(
          { stage: label, backend, attempt, kind: err.kind, err: err.message, stderr: err.context.stderrTail },
          'stage failed',
        );
        if (!err.retryable || err.stopsTheJob || attempt >= maxAttempts || this.signal.aborted) throw err;
        release(); // no memory is held while backing off
        await this.deps.delay(config.stages.backoffMs * 2 ** (attempt - 1), this.signal).catch(() => {
          throw this.canceledError(stage);
        });
      } finally {
        clearInterval(beat);
        release();
      }
    }
  }

  canceledError(stage: string): StageError {
    return new StageError('canceled', `canceled during ${stage}`, {
      jobId: this.job.id,
      file: this.job.input,
      stage,
      elapsedMs: Date.now() - this.started,
    });
  }
}

/** Empty a stage's output folder before an attempt, keeping the segments an earlier attempt committed. */
function clearAttempt(outDir: string, request: StageRequest): void {
  const keep = request.stage === 'transcribe' && request.segmentsFile ? request.segmentsFile : null;
  if (!keep || dirname(keep) !== outDir || !existsSync(outDir)) {
    rmSync(outDir, { recursive: true, force: true });
    return;
  }
  for (const name of readdirSync(outDir)) {
    if (name !== basename(keep)) rmSync(join(outDir, name), { recursive: true, force: true });
  }
}
