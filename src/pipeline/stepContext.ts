// What the pipeline's steps share: the job's settings, its stage executor and work folder, how to record what
// degraded, and reading a transcript file a stage wrote (checked against the contract).
import { readFileSync } from 'node:fs';
import { Transcript, type StageName } from '../core/contract.js';
import type { Config, JobSettings } from '../config/config.js';
import { StageError } from '../stages/stageError.js';
import type { Logger } from '../platform/log.js';
import type { StageExecutor } from './stageExecutor.js';

export interface StepContext {
  settings: JobSettings;
  config: Config;
  appleSilicon: boolean;
  workDir: string;
  executor: StageExecutor;
  log: Logger;
  /** Record something that fell back; the job is done, degraded. */
  degrade(message: string): void;
  /** Record something the user should know (once). */
  note(message: string): void;
  /** The request fields every stage takes. */
  common(outDir: string): { jobId: string; outDir: string; heartbeatSeconds: number };
  /** Run an optional stage; a failure other than cancellation degrades (`what` failed; `instead`) and gives undefined. */
  optional<T>(stage: StageName, what: string, instead: string, run: () => Promise<T>): Promise<T | undefined>;
}

export function readTranscript(path: string): Transcript {
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
