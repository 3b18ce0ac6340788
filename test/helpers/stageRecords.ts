// The transcribe stage runs a daemon recorded in its database (read-only), for tests of retries, windows and resume.
import { readJobsDb } from './jobsDb.js';

export interface Run {
  id: number;
  unit: string | null;
  backend: string | null;
  outcome: string | null;
}

export function transcribeRuns(dataDir: string): Run[] {
  return readJobsDb<Run>(
    dataDir,
    `SELECT id, unit, backend, outcome FROM stage_runs WHERE stage = 'transcribe' ORDER BY id`,
  );
}
