// How many team jobs this host may fetch now: its free job slots, limited by what its memory budget admits.

export interface CapacityInput {
  concurrency: number;
  running: number;
  budgetBytes: number;
  reservedBytes: number;
  /** The expected peak of a job's largest stage (learned peaks, or the model table). */
  jobPeakBytes: number;
}

/** Free slots, but no more jobs than fit beside what is reserved; an idle host always takes one (it may run alone). */
export function admittedJobs(c: CapacityInput): number {
  const slots = Math.max(0, c.concurrency - c.running);
  if (slots === 0) return 0;
  if (c.running === 0 && c.reservedBytes === 0)
    return Math.max(1, Math.min(slots, fitting(c.budgetBytes, c.jobPeakBytes)));
  return Math.min(slots, fitting(Math.max(0, c.budgetBytes - c.reservedBytes), c.jobPeakBytes));
}

function fitting(bytes: number, peak: number): number {
  return peak > 0 ? Math.floor(bytes / peak) : Number.MAX_SAFE_INTEGER;
}
