import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../../../src/platform/paths.js';
import { jobsDbFile, openDb, schemaVersion } from '../../../src/store/db.js';
import { tempDir } from '../../helpers/env.js';
import { readJobsDb } from '../../helpers/jobsDb.js';

test('a new database is migrated to schemaVersion, the number of the last migration', () => {
  const db = openDb(jobsDbFile(tempDir()));
  assert.ok(schemaVersion() >= 8);
  assert.equal(db.pragma('user_version', { simple: true }), schemaVersion());
  db.close();
});

test("a test's poll reads nothing from a database between two migrations, then its rows", () => {
  const dir = tempDir();
  // What a poll can meet while a daemon starts: the first migration applied (stage_runs exists), a later one (its
  // unit column) not yet.
  const raw = new Database(jobsDbFile(dir));
  raw.exec(readFileSync(join(PACKAGE_ROOT, 'src', 'store', 'sql', '001_jobs.sql'), 'utf8'));
  raw.pragma('user_version = 1');
  raw.close();
  const sql = 'SELECT unit FROM stage_runs UNION ALL SELECT 1';
  assert.deepEqual(readJobsDb(dir, sql), []);
  openDb(jobsDbFile(dir)).close();
  assert.deepEqual(readJobsDb(dir, sql), [{ unit: 1 }]);
});
