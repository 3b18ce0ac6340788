// What the pipeline's steps share: the job (what its requests are built from), its plan, its work folder and stage
// executor, how to record what degraded, the recording as the steps after voice detection see it, and reading a
// transcript file a stage wrote (checked against the contract).
import { readFileSync } from 'node:fs';
import { Transcript, type Span, type StageName, type Window } from '../core/contract.js';
import { StageError } from '../stages/stageError.js';
import type { Logger } from '../platform/log.js';
import type { JobPlan } from './plan.js';
import type { RequestJob } from './requests.js';
import type { StageExecutor } from './stageExecutor.js';
import type { WorkDir } from './workDir.js';

export interface StepContext {
  job: RequestJob;
  plan: JobPlan;
  work: WorkDir;
  executor: StageExecutor;
  log: Logger;
  /** Record something that fell back; the job is done, degraded. */
  degrade(message: string): void;
  /** Record something the user should know (once). */
  note(message: string): void;
  /** Run an optional stage; a failure other than cancellation degrades (`what` failed; `instead`) and gives undefined. */
  optional<T>(stage: OptionalStage, run: () => Promise<T>): Promise<T | undefined>;
}

/** An optional stage as its failure is told: "`what` failed (...); `instead`". */
export interface OptionalStage {
  stage: StageName;
  what: string;
  instead: string;
}

/** The recording as the steps after voice detection see it: its audio, its speech spans (null: not found), and its
 * windows when it is long enough to be transcribed window by window (then speech is found). */
export interface Recording {
  audio: string;
  speech: Span[] | null;
  windows: Window[] | null;
}

/** A transcript file read against the contract; a broken one fails as garbage, naming the file (no job is known here). */
export function readTranscript(path: string): Transcript {
  const parsed = Transcript.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new StageError('garbage', `the transcript file breaks the contract: ${parsed.error.issues[0]?.message}`, {
      file: path,
      stage: 'transcribe',
      elapsedMs: 0,
    });
  }
  return parsed.data;
}
