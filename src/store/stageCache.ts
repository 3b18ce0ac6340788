// A finished stage leaves done.json in work/<jobId>/<stage>/, so a restarted job resumes after it.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { join } from 'node:path';
import { ArtifactsByStage, type ArtifactsFor, type StageName } from '../core/contract.js';

export interface CachedStage<S extends StageName> {
  artifacts: ArtifactsFor<S>;
  backend: string | null;
  /** What the stage warned about, kept so a resumed job still reports it. */
  warnings?: string[];
}

/** work/<jobId>/<stage>, or work/<jobId>/<stage>/<unit> for one unit of a stage (a transcription window, w007). */
export function stageDir(workDir: string, stage: StageName, unit?: string): string {
  return unit ? join(workDir, stage, unit) : join(workDir, stage);
}

/** The cached result of `stage`, if it finished and every file it names still exists. */
export function readCachedStage<S extends StageName>(
  workDir: string,
  stage: S,
  unit?: string,
): CachedStage<S> | undefined {
  const file = join(stageDir(workDir, stage, unit), 'done.json');
  if (!existsSync(file)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as {
      artifacts: unknown;
      backend: string | null;
      warnings?: string[];
    };
    const artifacts = ArtifactsByStage[stage].parse(raw.artifacts) as ArtifactsFor<S>;
    const files = Object.entries(artifacts as Record<string, unknown>).filter(
      ([k, v]) => (k === 'audio' || k === 'transcript') && typeof v === 'string',
    ) as [string, string][];
    if (files.some(([, p]) => !existsSync(p))) return undefined;
    return {
      artifacts,
      backend: raw.backend ?? null,
      warnings: Array.isArray(raw.warnings) ? raw.warnings.map(String) : [],
    };
  } catch {
    return undefined; // damaged: run the stage again
  }
}

export function writeCachedStage<S extends StageName>(
  workDir: string,
  stage: S,
  value: CachedStage<S>,
  unit?: string,
): void {
  writeFileAtomic(join(stageDir(workDir, stage, unit), 'done.json'), JSON.stringify(value));
}
