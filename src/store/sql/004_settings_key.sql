-- The same content is only a duplicate when it is transcribed with the same settings (duplicates.ts): the key of
-- the transcript settings (jobRow.ts settingsKey) is stored with each row, and originals are unique per
-- (sha256, settings_key). Rows made before this migration keep NULL, which never conflicts; jobs.ts computes
-- their key from their settings when it meets them. Refused inputs share one constant key, so a refusal is
-- still recorded once (INSERT OR IGNORE).
ALTER TABLE jobs ADD COLUMN settings_key TEXT;
UPDATE jobs SET settings_key = 'refused' WHERE sha256 LIKE 'refused:%' AND duplicate_of IS NULL;
DROP INDEX jobs_original_sha;
CREATE UNIQUE INDEX jobs_original_sha ON jobs (sha256, settings_key) WHERE duplicate_of IS NULL;
