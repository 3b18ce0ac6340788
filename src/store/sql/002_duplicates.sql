-- Duplicates get their own job rows: the same content dropped under another name publishes the original's
-- results under its own name. sha256 stays unique among originals only, so the jobs table is rebuilt (SQLite
-- cannot drop a column constraint). Foreign keys are on during migrations: dropping the old table would
-- cascade into stage_runs, so those rows are kept aside and put back.
CREATE TABLE jobs_new (
  id            INTEGER PRIMARY KEY,
  input         TEXT    NOT NULL,
  inbox         TEXT    NOT NULL,
  rel_path      TEXT    NOT NULL,
  output_stem   TEXT    NOT NULL,
  sha256        TEXT    NOT NULL,              -- unique among originals (index jobs_original_sha below)
  size          INTEGER NOT NULL,
  mtime_ms      INTEGER NOT NULL,
  settings      TEXT    NOT NULL,
  state         TEXT    NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed', 'canceled')),
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  stage         TEXT,
  progress      REAL    NOT NULL DEFAULT 0,
  eta_sec       REAL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  not_before    INTEGER NOT NULL DEFAULT 0,
  lease_owner   TEXT,
  lease_until   INTEGER,
  error         TEXT,
  error_kind    TEXT,
  degraded      TEXT,
  outputs       TEXT,
  audio_sec     REAL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  -- The original job whose results this row publishes under its own name; NULL for an original. A duplicate
  -- is 'queued' while it waits for its original, never claimed, and ends like it (done, failed or canceled).
  -- No foreign key: retention may drop an old original while its later duplicates are kept.
  duplicate_of  INTEGER
);
INSERT INTO jobs_new (id, input, inbox, rel_path, output_stem, sha256, size, mtime_ms, settings, state, cancel_requested,
  stage, progress, eta_sec, attempts, not_before, lease_owner, lease_until, error, error_kind, degraded, outputs,
  audio_sec, created_at, updated_at, started_at, finished_at)
SELECT id, input, inbox, rel_path, output_stem, sha256, size, mtime_ms, settings, state, cancel_requested,
  stage, progress, eta_sec, attempts, not_before, lease_owner, lease_until, error, error_kind, degraded, outputs,
  audio_sec, created_at, updated_at, started_at, finished_at FROM jobs;

CREATE TEMP TABLE stage_runs_kept AS SELECT * FROM stage_runs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
INSERT INTO stage_runs SELECT * FROM stage_runs_kept;
DROP TABLE stage_runs_kept;

CREATE UNIQUE INDEX jobs_original_sha ON jobs (sha256) WHERE duplicate_of IS NULL;
CREATE INDEX jobs_sha ON jobs (sha256);
CREATE INDEX jobs_ready ON jobs (state, not_before, id);
CREATE INDEX jobs_input ON jobs (input, size, mtime_ms);
CREATE INDEX jobs_output_stem ON jobs (output_stem);
CREATE INDEX jobs_duplicate_of ON jobs (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- The rendered document of a finished original, kept so duplicates can be published later even when the
-- user has deleted or edited the outbox files. Dropped with its job row.
CREATE TABLE job_documents (
  job_id        INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  document      TEXT    NOT NULL               -- JSON TranscriptDocument
);
