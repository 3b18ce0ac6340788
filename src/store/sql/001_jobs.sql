-- Jobs and the runs of their stages.
CREATE TABLE jobs (
  id            INTEGER PRIMARY KEY,
  input         TEXT    NOT NULL,              -- absolute path of the dropped file
  inbox         TEXT    NOT NULL,              -- the inbox it was dropped into
  rel_path      TEXT    NOT NULL,              -- path below the inbox; outputs mirror its folder
  output_stem   TEXT    NOT NULL,              -- outbox path without extension
  sha256        TEXT    NOT NULL UNIQUE,
  size          INTEGER NOT NULL,
  mtime_ms      INTEGER NOT NULL,
  settings      TEXT    NOT NULL,              -- JSON JobSettings
  state         TEXT    NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed', 'canceled')),
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  stage         TEXT,
  progress      REAL    NOT NULL DEFAULT 0,
  eta_sec       REAL,
  attempts      INTEGER NOT NULL DEFAULT 0,    -- how many times the job was started
  not_before    INTEGER NOT NULL DEFAULT 0,    -- epoch ms; backoff after a failure
  lease_owner   TEXT,
  lease_until   INTEGER,
  error         TEXT,
  error_kind    TEXT,
  degraded      TEXT,                          -- JSON list of what fell back
  outputs       TEXT,                          -- JSON list of published files
  audio_sec     REAL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER
);
CREATE INDEX jobs_ready ON jobs (state, not_before, id);
CREATE INDEX jobs_input ON jobs (input, size, mtime_ms);
CREATE INDEX jobs_output_stem ON jobs (output_stem);

CREATE TABLE stage_runs (
  id            INTEGER PRIMARY KEY,
  job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  stage         TEXT    NOT NULL,
  backend       TEXT,
  model         TEXT,
  attempt       INTEGER NOT NULL,
  outcome       TEXT    CHECK (outcome IN ('ok', 'failed', 'skipped')),
  error_kind    TEXT,
  error         TEXT,
  exit_code     INTEGER,
  signal        TEXT,
  peak_rss      INTEGER,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER
);
CREATE INDEX stage_runs_job ON stage_runs (job_id);
CREATE INDEX stage_runs_peaks ON stage_runs (stage, backend, model, outcome);
