// Read a test daemon's job database while it runs: read-only, and empty until the daemon has made the file and applied
// every migration (a poll that starts with the daemon can open jobs.db between its creation and the migrations, or
// between two of them, each its own transaction: a table there, a column of a later migration not yet).
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { jobsDbFile, schemaVersion } from '../../src/store/db.js';

export function readJobsDb<T>(dataDir: string, sql: string): T[] {
  const file = jobsDbFile(dataDir);
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < schemaVersion()) return [];
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
