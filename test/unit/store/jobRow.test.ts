import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, JobSettings } from '../../../src/config/config.js';
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

test('every job setting changes the duplicate key, except the few that only change how or where it is written', () => {
  // A setting added to the schema later is taken in by the key without anyone listing it; this table needs a
  // different value for it, so the test fails until one is given.
  const writingOnly = ['formats', 'output', 'vocabularyFile'];
  const other: Record<string, unknown> = {
    backend: 'mlx',
    model: 'tiny.en',
    language: 'de',
    languages: ['es', 'de'],
    task: 'translate',
    separate: true,
    separateModel: 'mdx',
    vad: false,
    align: 'none',
    alignModel: '/models/wav2vec2-de',
    formats: ['srt'],
    audioStream: 1,
    languageMismatch: 'refuse',
    vocabulary: ['Zyphrex'],
    vocabularyFile: '/terms.txt',
    output: { languageSuffix: true, beside: true },
    speakers: 'off',
  };
  const base = settingsKey(DEFAULT_SETTINGS);
  for (const key of Object.keys(JobSettings.shape)) {
    assert.ok(key in other, `give the new job setting ${key} a value in this table`);
    const changed = JobSettings.parse({ ...DEFAULT_SETTINGS, [key]: other[key] });
    if (writingOnly.includes(key)) assert.equal(settingsKey(changed), base, `${key} does not change the transcript`);
    else assert.notEqual(settingsKey(changed), base, `${key} changes the transcript, so it must change the key`);
  }
  const counts = [2, { min: 1, max: 3 }, 'off'].map((speakers) =>
    settingsKey(JobSettings.parse({ ...DEFAULT_SETTINGS, speakers })),
  );
  assert.equal(new Set([base, ...counts]).size, 4, 'each speakers rule gives its own key');
});
