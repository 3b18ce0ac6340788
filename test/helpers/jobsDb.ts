// Read a test daemon's job database while it runs: read-only, and empty until the daemon has made the file and its
// tables (a poll that starts with the daemon can open jobs.db between its creation and the migrations).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function readJobsDb<T>(dataDir: string, sql: string): T[] {
  const file = join(dataDir, 'jobs.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } catch (err) {
    if (/no such table/.test((err as Error).message)) return [];
    throw err;
  } finally {
    db.close();
  }
}
