-- Full-text search over transcripts (one row a segment, FTS5 over an external content table), and the
-- corrections a user made to a transcript in the web page. The original transcript stays in job_documents.
CREATE TABLE search_segments (
  id            INTEGER PRIMARY KEY,
  job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  segment       INTEGER NOT NULL,              -- index in the document's segments
  start         REAL    NOT NULL,              -- seconds
  text          TEXT    NOT NULL
);
CREATE INDEX search_segments_job ON search_segments (job_id);
CREATE VIRTUAL TABLE search_text USING fts5 (text, content = 'search_segments', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER search_segments_insert AFTER INSERT ON search_segments BEGIN
  INSERT INTO search_text (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_segments_delete AFTER DELETE ON search_segments BEGIN
  INSERT INTO search_text (search_text, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- The corrected transcript of a job (what is published); a retry keeps it instead of publishing over it.
CREATE TABLE job_corrections (
  job_id        INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  document      TEXT    NOT NULL,              -- JSON TranscriptDocument with the corrections applied
  edited_at     INTEGER NOT NULL
);

-- The web page's live feed reads the jobs changed since its last look.
CREATE INDEX jobs_updated ON jobs (updated_at);
