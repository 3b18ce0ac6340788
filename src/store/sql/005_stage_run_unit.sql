-- A stage run may be one unit of its stage: a transcription window of a long recording (w000, w001, ...).
ALTER TABLE stage_runs ADD COLUMN unit TEXT;
