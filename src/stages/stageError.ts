// One error type for a failed stage run that classifies itself: what happened, and whether a retry may help.
import { EXIT } from '../contract.js';

export type StageErrorKind =
  | 'bad-input'   // exit 65: the recording cannot be processed
  | 'no-audio'    // exit 65 with code no_audio
  | 'config'      // exit 78, or the interpreter is missing: a model or backend needs fixing
  | 'temporary'   // exit 75: try again later
  | 'bug'         // exit 70 or any other status
  | 'crashed'     // died by a signal (SIGSEGV, SIGABRT, SIGBUS, ...)
  | 'oom'         // SIGKILL we did not send: the kernel's out-of-memory killer or the system
  | 'stalled'     // no heartbeat within the limit: killed by us
  | 'timeout'     // ran past its overall limit: killed by us
  | 'garbage'     // output that does not match the contract
  | 'canceled';   // canceled by the user or shutdown

const RETRYABLE: Record<StageErrorKind, boolean> = {
  'bad-input': false, 'no-audio': false, config: false, temporary: true, bug: true, crashed: true,
  oom: true, stalled: true, timeout: false, garbage: true, canceled: false,
};

export interface StageErrorContext {
  jobId: number | string;
  file: string;
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
  constructor(readonly kind: StageErrorKind, message: string, readonly context: StageErrorContext) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE[this.kind];
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
      `file:     ${c.file}`,
      `stage:    ${c.stage}${c.backend ? ` (backend ${c.backend}${c.model ? `, model ${c.model}` : ''})` : ''}`,
      `language: ${c.language ?? 'auto'}    task: ${c.task ?? 'transcribe'}`,
      `elapsed:  ${(c.elapsedMs / 1000).toFixed(1)} s    kind: ${this.kind}` +
        `${c.exitCode != null ? `    exit code: ${c.exitCode}` : ''}${c.signal ? `    signal: ${c.signal}` : ''}`,
    ];
    if (c.stderrTail?.trim()) lines.push('', 'last lines the stage printed:', c.stderrTail.trimEnd());
    return lines.join('\n');
  }
}

/** The kind of a stage that exited with `exitCode` and the error event's `code`, if it sent one. */
export function kindFromExit(exitCode: number, code: string | undefined): StageErrorKind {
  if (code === 'no_audio') return 'no-audio';
  switch (exitCode) {
    case EXIT.badInput: return 'bad-input';
    case EXIT.config: return 'config';
    case EXIT.temporary: return 'temporary';
    default: return 'bug';
  }
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
