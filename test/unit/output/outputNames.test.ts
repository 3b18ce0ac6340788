import assert from 'node:assert/strict';
import { test } from 'node:test';
import { languageTag } from '../../../src/output/languageCodes.js';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { nameTag, outputPath, outputPlace, plannedTags, subtitleNames } from '../../../src/output/outputNames.js';

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

test('the subtitles a library may hold for a language: under either code of it, or the plain name', () => {
  const place = { root: '/lib', stem: '/lib/Film/Film' };
  const names = (output: { beside: boolean; languageSuffix: boolean }) =>
    subtitleNames(place, 'de', output).map((p) => p.slice('/lib/Film/'.length));
  const suffixed = names({ beside: true, languageSuffix: true });
  for (const n of ['Film.de.srt', 'Film.ger.srt', 'Film.ger.vtt', 'Film.de.ass']) assert.ok(suffixed.includes(n), n);
  assert.ok(!suffixed.includes('Film.en.srt'), 'another language is not in the way');
  assert.ok(!suffixed.includes('Film.srt'));
  const plain = names({ beside: true, languageSuffix: false });
  for (const n of ['Film.srt', 'Film.vtt', 'Film.sub']) assert.ok(plain.includes(n), n);
});

test("a job's names before recognition: its transcript's tag, and .en for a pair's translation; unknown when needed", () => {
  const off = { ...DEFAULT_SETTINGS, output: OFF };
  assert.deepEqual(plannedTags(off, null), [undefined]);
  assert.deepEqual(plannedTags({ ...off, task: ['transcribe', 'translate'] }, null), [undefined, 'en']);
  const suffix = { ...DEFAULT_SETTINGS, output: { ...OFF, languageSuffix: true } };
  assert.equal(plannedTags(suffix, null), undefined, 'the language is not known yet');
  assert.deepEqual(plannedTags(suffix, 'de'), ['de']);
  assert.deepEqual(plannedTags({ ...suffix, task: 'translate' }, 'en'), ['en']);
});
