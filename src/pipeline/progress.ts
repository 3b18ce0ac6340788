// A job's overall progress from the weights of its planned stages, and an ETA from the pace so far.
import type { StageName } from '../core/contract.js';

const WEIGHTS: Record<StageName, number> = {
  decode: 0.05,
  separate: 0.25,
  vad: 0.05,
  transcribe: 0.5,
  align: 0.1,
  diarize: 0.05,
};

/** The fraction of the whole job done when `stage` of `plan` is `fraction` done; at most 0.99 until rendered. */
export function overallProgress(plan: readonly StageName[], stage: StageName, fraction: number): number {
  const total = plan.reduce((n, st) => n + WEIGHTS[st], 0);
  const before = plan.slice(0, plan.indexOf(stage)).reduce((n, st) => n + WEIGHTS[st], 0);
  return Math.min(0.99, (before + WEIGHTS[stage] * fraction) / total);
}

/** Seconds left at the pace so far; null while too little is done to tell. */
export function etaSec(progress: number, elapsedSec: number): number | null {
  return progress > 0.05 ? Math.round((elapsedSec * (1 - progress)) / progress) : null;
}
