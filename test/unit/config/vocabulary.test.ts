import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, DEFAULT_SETTINGS, loadConfig, settingsFor } from '../../../src/config/config.js';
import { settingsKey } from '../../../src/store/jobRow.js';
import { parseVocabulary } from '../../../src/config/vocabulary.js';
import { tempDir } from '../../helpers/env.js';

test('a vocabulary file is one term a line; blank lines, comments and repeats are left out', () => {
  assert.deepEqual(parseVocabulary('Zyphrex\r\n\n# brands\n  Quorvane  \nZyphrex\nDr. Ovidex Marquelle\n'), [
    'Zyphrex',
    'Quorvane',
    'Dr. Ovidex Marquelle',
  ]);
});

test('a folder rule adds its vocabulary file (relative to the config file) to the job vocabulary', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'show.txt'), 'Thalvix\nBrenmoor\n');
  const file = join(dir, 'c.json');
  writeFileSync(
    file,
    JSON.stringify({
      inboxes: ['in'],
      job: { vocabulary: ['Zyphrex'] },
      rules: [{ folder: 'show', vocabularyFile: 'show.txt', vocabulary: ['Zyphrex', 'Kestrava'] }],
    }),
  );
  const c = loadConfig({ config: file });
  const inbox = join(dir, 'in');
  assert.deepEqual(settingsFor(c, inbox, join(inbox, 'a.wav')).vocabulary, ['Zyphrex']);
  const show = settingsFor(c, inbox, join(inbox, 'show', 'e01.wav'));
  assert.deepEqual(show.vocabulary, ['Zyphrex', 'Kestrava', 'Thalvix', 'Brenmoor']);
  assert.equal(show.vocabularyFile, join(dir, 'show.txt'));
  writeFileSync(join(dir, 'show.txt'), 'Thalvix\nOvidex\n');
  assert.deepEqual(
    settingsFor(c, inbox, join(inbox, 'show', 'e02.wav')).vocabulary,
    ['Zyphrex', 'Kestrava', 'Thalvix', 'Ovidex'],
    'the file is read when a file is queued, so an edited list applies to the next recording',
  );
});

test('a vocabulary file that does not exist is a configuration error naming it', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ job: { vocabularyFile: 'missing.txt' } }));
  assert.throws(
    () => loadConfig({ config: file }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /vocabulary file not found: .*missing\.txt/);
      return true;
    },
  );
});

test('the vocabulary is a transcript setting: another list is another key; no list keeps the keys stored before', () => {
  const plain = settingsKey(DEFAULT_SETTINGS);
  const a = settingsKey({ ...DEFAULT_SETTINGS, vocabulary: ['Zyphrex'] });
  const b = settingsKey({ ...DEFAULT_SETTINGS, vocabulary: ['Quorvane'] });
  assert.equal(new Set([plain, a, b]).size, 3);
  assert.equal(plain, settingsKey({ ...DEFAULT_SETTINGS, vocabularyFile: '/x.txt' }), 'the path is not the list');
  assert.equal(
    plain,
    settingsKey({ ...DEFAULT_SETTINGS, output: { beside: true, languageSuffix: '639-2' } }),
    'where outputs go does not change the transcript',
  );
});

test('both tasks are a setting of their own; output settings merge key by key from config.output to the deepest rule', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(
    file,
    JSON.stringify({
      inboxes: ['in'],
      output: { languageSuffix: '639-2' },
      rules: [{ folder: 'tv', task: ['transcribe', 'translate'], output: { beside: true } }],
    }),
  );
  const c = loadConfig({ config: file });
  const inbox = join(dir, 'in');
  const tv = settingsFor(c, inbox, join(inbox, 'tv', 'a.mkv'));
  assert.deepEqual(tv.output, { beside: true, languageSuffix: '639-2' });
  assert.deepEqual(tv.task, ['transcribe', 'translate']);
  assert.notEqual(settingsKey(tv), settingsKey({ ...tv, task: 'transcribe' }));
  assert.deepEqual(settingsFor(c, inbox, join(inbox, 'a.mkv')).output, { beside: false, languageSuffix: '639-2' });
});
