-- Inputs refused at intake (a symbolic link out of the inbox, a folder named like a recording, a path outside every
-- inbox) were never read, so they are not jobs: they get their own table, one row per path (a refusal is reported
-- once), with the error report written for it in the outbox. Earlier versions stored them as failed jobs with a
-- made-up hash 'refused:<path>'; those rows move here.
CREATE TABLE refusals (
  id            INTEGER PRIMARY KEY,
  path          TEXT    NOT NULL UNIQUE,       -- absolute path as it was dropped
  inbox         TEXT    NOT NULL,              -- the inbox it was dropped into (the path itself when in none)
  reason        TEXT    NOT NULL,              -- in plain words, as the report says it
  report        TEXT,                          -- the error report in the outbox; NULL when it could not be written
  created_at    INTEGER NOT NULL
);
CREATE INDEX refusals_created ON refusals (created_at);

INSERT OR IGNORE INTO refusals (path, inbox, reason, report, created_at)
  SELECT input, inbox, COALESCE(error, 'refused'), json_extract(outputs, '$[0]'), created_at
  FROM jobs WHERE sha256 LIKE 'refused:%' ORDER BY id;
DELETE FROM jobs WHERE sha256 LIKE 'refused:%';
