import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config.js';
import { settingsKey, TRANSCRIPT_SETTINGS } from '../../../src/store/jobRow.js';

test('the alignment model is a transcript setting: another model gives other word timings, so another key', () => {
  assert.ok(TRANSCRIPT_SETTINGS.includes('alignModel'));
  const whisperx = { ...DEFAULT_SETTINGS, align: 'whisperx' as const };
  const keys = [null, '/models/wav2vec2-en', 'jonatasgrosman/wav2vec2-large-xlsr-53-german'].map((alignModel) =>
    settingsKey({ ...whisperx, alignModel }),
  );
  assert.equal(new Set(keys).size, 3);
});

test('with no alignment model set, keys are the ones earlier versions stored, so their content is still recognised', () => {
  // The keys a database written before alignModel counted holds for these settings (16 hex digits of a sha256).
  assert.equal(settingsKey(DEFAULT_SETTINGS), 'c6c65a3229469892');
  assert.equal(settingsKey({ ...DEFAULT_SETTINGS, task: 'translate', language: 'de' }), 'd9e7e44c47ad35e3');
});
