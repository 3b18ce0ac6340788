// A job's work folder, work/<jobId>/, stated once: a folder per stage (work/<job>/<stage>); a folder per unit of a
// stage run on its own (a window w007, the translation pass translate, its windows translate/w007); done.json in each
// when it finished (store/stageCache.ts); the segments a transcribe run commits as they come; the transcript a pass
// joins from its windows and the one the align step joins from its windows. A step reads another stage's results
// only through this module.
import { join } from 'node:path';
import type { StageName } from '../core/contract.js';
import { readCachedStage, stageDir, writeCachedStage, type CachedStage } from '../store/stageCache.js';

/** The cache unit of the translation pass of a job with both tasks. */
export const TRANSLATION_UNIT = 'translate';

/** Where a transcribe run commits its segments as they come, in its own output folder (kept across attempts). */
const SEGMENTS_FILE = 'segments.ndjson';

/** work/<jobId> under the work root. */
export function workDirFor(workRoot: string, jobId: number): string {
  return join(workRoot, String(jobId));
}

/** The cache and stage-run name of a window: w000, w001, ... */
export function windowUnit(index: number): string {
  return `w${String(index).padStart(3, '0')}`;
}

/** The unit of one window of a pass (`passUnit`: none for the first pass), or of the pass as a whole. */
export function unitOf(passUnit: string | undefined, window?: number): string | undefined {
  if (window === undefined) return passUnit;
  return passUnit ? join(passUnit, windowUnit(window)) : windowUnit(window);
}

/** The segments file of a transcribe run writing into `outDir`. */
export function segmentsFile(outDir: string): string {
  return join(outDir, SEGMENTS_FILE);
}

/** One job's work folder. */
export class WorkDir {
  constructor(readonly path: string) {}

  /** The output folder of `stage`, or of one unit of it. */
  outDir(stage: StageName, unit?: string): string {
    return stageDir(this.path, stage, unit);
  }

  /** The finished result of `stage` (or of one unit), if it finished and its files are still there. */
  cached<S extends StageName>(stage: S, unit?: string): CachedStage<S> | undefined {
    return readCachedStage(this.path, stage, unit);
  }

  /** Record `stage` (or one unit of it) as finished with `value`. */
  save<S extends StageName>(stage: S, value: CachedStage<S>, unit?: string): void {
    writeCachedStage(this.path, stage, value, unit);
  }

  /** The transcript file the transcribe stage wrote for window `index` of the first pass; undefined when that
   * window did not finish (its range is marked missing). */
  windowTranscript(index: number): string | undefined {
    return this.cached('transcribe', windowUnit(index))?.artifacts.transcript;
  }

  /** Where a pass's windows are joined into one transcript (the pass's own transcribe folder). */
  joinedTranscript(passUnit?: string): string {
    return join(this.outDir('transcribe', passUnit), 'transcript.json');
  }

  /** Where the windows' aligned transcripts are joined into one. */
  alignedTranscript(): string {
    return join(this.outDir('align'), 'transcript.aligned.json');
  }
}
