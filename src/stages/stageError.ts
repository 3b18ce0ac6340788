// One error type for a failed stage run that classifies itself: what happened, and whether a retry may help.
import { ERROR_CODES, ErrorCode, RETRYABLE, type StageErrorKind } from '../core/contract.js';
import { saysDiskFull } from '../resources/diskFull.js';

export type { StageErrorKind };

/** Where a stage failed: the job and file (absent where the failure is not one job's, such as a config check
 * before any request), the stage, and how it ran. */
export interface StageErrorContext {
  jobId?: number | string;
  file?: string;
  stage: string;
  backend?: string | null;
  model?: string | null;
  language?: string | null;
  task?: string | null;
  elapsedMs: number;
  exitCode?: number | null;
  signal?: string | null;
  stderrTail?: string;
}

export class StageError extends Error {
  override name = 'StageError';
  /** `retryable` is the stage's own word (its error event); without it the kind decides. */
  constructor(
    readonly kind: StageErrorKind,
    message: string,
    readonly context: StageErrorContext,
    private readonly stageSaysRetryable?: boolean,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.stageSaysRetryable ?? RETRYABLE[this.kind];
  }

  /** True when the job cannot go on whatever a retry, another backend or degrading would do: it was canceled, or
   * the disk is full (the job waits for space). */
  get stopsTheJob(): boolean {
    return this.kind === 'canceled' || this.kind === 'disk-full';
  }

  /** True for failures of the input itself: no other backend will do better. */
  get permanentForInput(): boolean {
    return this.kind === 'bad-input' || this.kind === 'no-audio';
  }

  /** A plain-words report for status and the .error.txt file. */
  report(): string {
    const c = this.context;
    const lines = [
      `${this.message}`,
      '',
      ...(c.jobId !== undefined ? [`job:      ${c.jobId}`] : []),
      ...(c.file !== undefined ? [`file:     ${c.file}`] : []),
      `stage:    ${c.stage}${c.backend ? ` (backend ${c.backend}${c.model ? `, model ${c.model}` : ''})` : ''}`,
      `language: ${c.language ?? 'auto'}    task: ${c.task ?? 'transcribe'}`,
      `elapsed:  ${(c.elapsedMs / 1000).toFixed(1)} s    kind: ${this.kind}` +
        `${c.exitCode != null ? `    exit code: ${c.exitCode}` : ''}${c.signal ? `    signal: ${c.signal}` : ''}`,
    ];
    if (c.stderrTail?.trim()) lines.push('', 'last lines the stage printed:', c.stderrTail.trimEnd());
    return lines.join('\n');
  }
}

/** The kind of a stage that exited with `exitCode` and the error event's `code`, if it sent one; `said` is what it
 * reported and printed: a library that hit a full disk may report it as anything (a bug, a bad file). */
export function kindFromExit(exitCode: number, code: string | undefined, said?: string): StageErrorKind {
  if (code === 'disk_full' || saysDiskFull(said)) return 'disk-full';
  if (code === 'no_audio') return 'no-audio';
  const byExit: Record<number, StageErrorKind> = {
    [ERROR_CODES.bad_input.exit]: 'bad-input',
    [ERROR_CODES.config.exit]: 'config',
    [ERROR_CODES.temporary.exit]: 'temporary',
  };
  return byExit[exitCode] ?? 'bug';
}

/** The kind of an error event's `code` from a stage that keeps running (a warm worker): as if it had exited. */
export function kindFromCode(code: string, said?: string): StageErrorKind {
  const parsed = ErrorCode.safeParse(code);
  return kindFromExit(parsed.success ? ERROR_CODES[parsed.data].exit : ERROR_CODES.bug.exit, code, said);
}

/** The kind of a stage killed by `signal` when we did not kill it ourselves. */
export function kindFromSignal(signal: string): StageErrorKind {
  return signal === 'SIGKILL' ? 'oom' : 'crashed';
}

/** A short description of a signal death for users. */
export function describeSignal(signal: string): string {
  const names: Record<string, string> = {
    SIGSEGV: 'crashed with a segmentation fault (SIGSEGV)',
    SIGBUS: 'crashed with a bus error (SIGBUS)',
    SIGABRT: 'aborted (SIGABRT)',
    SIGILL: 'crashed on an illegal instruction (SIGILL)',
    SIGKILL: 'was killed (SIGKILL), most likely because the system ran out of memory',
  };
  return names[signal] ?? `was killed by ${signal}`;
}
