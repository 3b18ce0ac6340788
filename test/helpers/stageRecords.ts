// The transcribe stage runs a daemon recorded in its database (read-only), for tests of retries, windows and resume.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface Run {
  id: number;
  unit: string | null;
  backend: string | null;
  outcome: string | null;
}

export function transcribeRuns(dataDir: string): Run[] {
  const file = join(dataDir, 'jobs.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(`SELECT id, unit, backend, outcome FROM stage_runs WHERE stage = 'transcribe' ORDER BY id`)
      .all() as Run[];
  } finally {
    db.close();
  }
}
