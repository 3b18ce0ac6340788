-- What a finished job wants its user to know without having degraded: the language check, no speech found,
-- the audio track chosen, invented text left out. JSON list of sentences.
ALTER TABLE jobs ADD COLUMN notes TEXT;
