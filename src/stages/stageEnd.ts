// How a stage request ends: its outcome, or a StageError classified from how its process ended (could not start,
// killed by us, died by a signal, or an exit status with or without the error event the stage sent).
import { EXIT, type ArtifactsFor, type DownloadProgress, type RequestFor, type StageName } from '../core/contract.js';
import {
  describeSignal,
  kindFromExit,
  kindFromSignal,
  StageError,
  type StageErrorContext,
  type StageErrorKind,
} from './stageError.js';
import type { RequestWatch } from './watchdog.js';

export interface RequestOptions<S extends StageName> {
  request: RequestFor<S>;
  context: Omit<StageErrorContext, 'elapsedMs' | 'stage'>;
  stallMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message?: string) => void;
  onWarning?: (message: string) => void;
  /** The stage is downloading a model (first use): bytes so far, total, speed. */
  onDownload?: (progress: DownloadProgress) => void;
}

export interface StageOutcome<S extends StageName> {
  artifacts: ArtifactsFor<S>;
  peakRssBytes: number;
  elapsedMs: number;
  warnings: string[];
}

/** How a stage process ended; `startError` when it could not be started at all. */
export type Exit = { exitCode: number | undefined; signal: string | undefined; startError?: string };

/** The request in flight and what its events said so far. */
export interface Pending {
  stage: StageName;
  options: RequestOptions<StageName>;
  started: number;
  warnings: string[];
  peakRss: number;
  /** Its stall and timeout limits, in awake time. */
  watch: RequestWatch;
  killedFor?: { kind: StageErrorKind; message: string };
  result?: { artifacts: unknown; peakRssBytes: number };
  errorEvent?: { code: string; message: string; retryable: boolean };
  settle: (outcome: StageOutcome<StageName> | StageError) => void;
}

/** The outcome of a request that sent its result. */
export function outcomeOf(p: Pending, now = Date.now()): StageOutcome<StageName> {
  return {
    artifacts: p.result!.artifacts as ArtifactsFor<StageName>,
    peakRssBytes: p.peakRss,
    elapsedMs: now - p.started,
    warnings: p.warnings,
  };
}

/** How a request failed: its kind and message, the last lines the stage printed, how its process ended (a warm
 * worker's request fails with the process alive: none) and, when the error is the one the stage reported, what its
 * error event said about a retry. */
export interface Failure {
  kind: StageErrorKind;
  message: string;
  stderrTail: string;
  exit?: Exit;
  retryable?: boolean;
}

/** A failure of the request `p`, with its context (job, file, stage, elapsed time, exit). */
export function stageFailure(p: Pending, f: Failure): StageError {
  return new StageError(
    f.kind,
    f.message,
    {
      ...p.options.context,
      stage: p.stage,
      elapsedMs: Date.now() - p.started,
      stderrTail: f.stderrTail,
      exitCode: f.exit?.exitCode ?? null,
      signal: f.exit?.signal ?? null,
    },
    f.retryable,
  );
}

/** The process ended with the request still in flight: its outcome or failure from how the process ended. */
export function endFromExit(p: Pending, exit: Exit, stderrTail: string): StageOutcome<StageName> | StageError {
  const stage = p.stage;
  const fail = (kind: StageErrorKind, message: string, retryable?: boolean) =>
    stageFailure(p, { kind, message, stderrTail, exit, retryable });
  if (exit.startError) return fail('config', `could not start the Python stage (${exit.startError})`);
  if (p.killedFor) return fail(p.killedFor.kind, `the ${stage} stage ${p.killedFor.message}`);
  if (exit.signal) return fail(kindFromSignal(exit.signal), `the ${stage} stage ${describeSignal(exit.signal)}`);
  if (exit.exitCode === 0) {
    if (!p.result) return fail('garbage', `the ${stage} stage exited without reporting a result`);
    return outcomeOf(p);
  }
  const message = p.errorEvent?.message ?? `the ${stage} stage exited with status ${exit.exitCode}`;
  const kind = kindFromExit(exit.exitCode ?? EXIT.bug, p.errorEvent?.code, `${message}\n${stderrTail}`);
  return fail(kind, message, p.errorEvent?.retryable);
}
