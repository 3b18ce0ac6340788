-- A job retried by hand writes its outputs even where a subtitle already lies beside the recording (output.beside).
ALTER TABLE jobs ADD COLUMN overwrite INTEGER NOT NULL DEFAULT 0;
