// How a stage run failed or why a job waits, as the TypeScript side classifies it (the Python side reports only the
// error codes of src/core/contract.ts; src/stages/stageError.ts maps exits, signals and codes to these kinds).

/** How a stage run failed, as the TypeScript side classifies it. */
export const STAGE_ERROR_KINDS = [
  'bad-input', // exit 65: the recording cannot be processed
  'no-audio', // exit 65 with code no_audio
  'config', // exit 78, or the interpreter is missing: a model or backend needs fixing
  'temporary', // exit 75: try again later
  'disk-full', // exit 75 with code disk_full, or ENOSPC in what it printed: the job waits until there is space
  'bug', // exit 70 or any other status
  'crashed', // died by a signal (SIGSEGV, SIGABRT, SIGBUS, ...)
  'oom', // SIGKILL we did not send: the kernel's out-of-memory killer or the system
  'stalled', // no heartbeat within the limit: killed by us
  'timeout', // ran past its overall limit: killed by us
  'garbage', // output that does not match the contract
  'canceled', // canceled by the user or shutdown
] as const;
export type StageErrorKind = (typeof STAGE_ERROR_KINDS)[number];

/** Whether a retry may help after a failure of each kind, unless the stage says otherwise in its error event. Stated
 * once, here: the error codes of src/core/contract.ts take theirs from the kind they become. */
export const RETRYABLE: Record<StageErrorKind, boolean> = {
  'bad-input': false,
  'no-audio': false,
  config: false,
  temporary: true,
  'disk-full': true, // later, at the job level (failurePolicy.ts): the job waits for space; the stage is not to blame
  bug: true,
  crashed: true,
  oom: true,
  stalled: true,
  timeout: false,
  garbage: true,
  canceled: false,
};

/** Why a job is failed or waiting: a stage error, or the outbox, or a file still settling. (Inputs refused at intake
 * are not jobs: store/refusals.ts.) */
export type ErrorKind = StageErrorKind | 'outbox' | 'settling';
