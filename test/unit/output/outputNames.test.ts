import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { languageTag } from '../../../src/output/languageCodes.js';
import { existingSubtitle, nameTag, outputPath, outputPlace } from '../../../src/output/outputNames.js';
import { tempDir } from '../../helpers/env.js';

const OFF = { beside: false, languageSuffix: false } as const;

test('outputs go to the outbox mirror, or beside the recording in its watched folder', () => {
  const job = { input: '/lib/Movie/Movie.mkv', inbox: '/lib', outputStem: '/out/Movie/Movie' };
  assert.deepEqual(outputPlace({ ...job, settings: { output: OFF } }, '/out'), {
    root: '/out',
    stem: '/out/Movie/Movie',
  });
  assert.deepEqual(outputPlace({ ...job, settings: { output: { ...OFF, beside: true } } }, '/out'), {
    root: '/lib',
    stem: '/lib/Movie/Movie',
  });
});

test('names: plain, with the language (ISO 639-1 or Plex three letters), and .en for the translation of a pair', () => {
  const place = { root: '/o', stem: '/o/talk' };
  const german = { task: 'transcribe' as const, language: 'de' };
  const english = { task: 'translate' as const, language: 'de' };
  assert.equal(outputPath(place, 'srt', nameTag(german, OFF, false)), '/o/talk.srt');
  assert.equal(outputPath(place, 'srt', nameTag(english, OFF, true)), '/o/talk.en.srt');
  assert.equal(outputPath(place, 'srt', nameTag(english, OFF, false)), '/o/talk.srt', 'translate alone: plain');
  const suffix = { ...OFF, languageSuffix: true };
  assert.equal(outputPath(place, 'vtt', nameTag(german, suffix, false)), '/o/talk.de.vtt');
  assert.equal(outputPath(place, 'json', nameTag(english, suffix, false)), '/o/talk.en.json');
  const plex = { ...OFF, languageSuffix: '639-2' as const };
  assert.equal(outputPath(place, 'srt', nameTag(german, plex, false)), '/o/talk.ger.srt');
  assert.equal(outputPath(place, 'srt', nameTag(english, plex, true)), '/o/talk.eng.srt');
  assert.equal(languageTag('fr', '639-2'), 'fre');
  assert.equal(languageTag('haw', '639-2'), 'haw');
  assert.equal(languageTag('xx', '639-2'), 'xx', 'an unknown code is kept');
});

test('a subtitle beside the recording is found under either code of its language, or as the plain name', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'Film'));
  const place = { root: dir, stem: join(dir, 'Film', 'Film') };
  const suffix = { beside: true, languageSuffix: true };
  assert.equal(existingSubtitle(place, 'de', suffix), undefined);
  writeFileSync(join(dir, 'Film', 'Film.en.srt'), '');
  assert.equal(existingSubtitle(place, 'de', suffix), undefined, 'another language is not in the way');
  writeFileSync(join(dir, 'Film', 'Film.ger.srt'), '');
  assert.equal(existingSubtitle(place, 'de', suffix), join(dir, 'Film', 'Film.ger.srt'));
  assert.equal(existingSubtitle(place, 'de', { beside: true, languageSuffix: false }), undefined);
  writeFileSync(join(dir, 'Film', 'Film.vtt'), '');
  assert.equal(existingSubtitle(place, 'de', { beside: true, languageSuffix: false }), join(dir, 'Film', 'Film.vtt'));
});
