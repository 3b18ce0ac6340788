-- What dropscribe wrote, in the outbox or beside a recording: every version of every output file, by its sha256, for
-- the recording it belongs to. A file is written over only while it holds one of its recording's versions (ours, and
-- unchanged since); any other file in the way keeps its name (output/publisher.ts). Rows outlive their jobs: after
-- retention has dropped a job, its files still count as its recording's, and still hold their names.
CREATE TABLE output_files (
  path_key      TEXT    NOT NULL,              -- the path as a Mac's volume compares it (core/outputNaming foldName)
  path          TEXT    NOT NULL,              -- the path as written
  input         TEXT    NOT NULL,              -- the recording (or the refused path) it was written for
  job_id        INTEGER,                       -- the job that wrote it; no foreign key (rows outlive their jobs)
  sha256        TEXT,                          -- NULL: listed by a job before hashes were kept (see below)
  size          INTEGER,
  written_at    INTEGER NOT NULL               -- epoch ms
);
CREATE UNIQUE INDEX output_files_version ON output_files (path_key, sha256, input);
CREATE INDEX output_files_input ON output_files (input);

-- The outputs jobs listed before this migration have no hash: they count as ours while not modified after their job
-- ended (a refusal's report, after the refusal was recorded).
INSERT INTO output_files (path_key, path, input, job_id, sha256, size, written_at)
  SELECT fold_name(o.value), o.value, j.input, j.id, NULL, NULL, COALESCE(j.finished_at, j.updated_at)
  FROM jobs j, json_each(j.outputs) o WHERE j.outputs IS NOT NULL AND json_valid(j.outputs);
INSERT INTO output_files (path_key, path, input, job_id, sha256, size, written_at)
  SELECT fold_name(report), report, path, NULL, NULL, NULL, created_at FROM refusals WHERE report IS NOT NULL;

-- Output stems compared as a Mac compares names: Interview and interview are one name there.
ALTER TABLE jobs ADD COLUMN output_key TEXT;
UPDATE jobs SET output_key = fold_name(output_stem);
CREATE INDEX jobs_output_key ON jobs (output_key);
