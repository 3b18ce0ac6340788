import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  Config,
  ConfigError,
  DEFAULT_SETTINGS,
  DEFAULT_SUBTITLES,
  inboxOf,
  loadConfig,
  settingsFor,
} from '../../../src/config/config.js';
import { tempDir } from '../../helpers/env.js';

test('defaults: ./inbox -> ./outbox with data in ./.dropscribe, the bundled multilingual base, all four formats', () => {
  const c = loadConfig({}, '/work/x');
  assert.deepEqual(c.inboxes, ['/work/x/inbox']);
  assert.equal(c.outbox, '/work/x/outbox');
  assert.equal(c.dataDir, '/work/x/.dropscribe');
  assert.equal(DEFAULT_SETTINGS.model, 'base');
  assert.equal(DEFAULT_SETTINGS.language, null, 'the language is detected');
  assert.deepEqual(DEFAULT_SETTINGS.formats, ['srt', 'vtt', 'txt', 'json']);
});

test('flags override the file; file paths are relative to the file', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ inboxes: ['a', 'b'], outbox: 'out' }));
  const c = loadConfig({ config: file, dataDir: 'd' }, '/cwd');
  assert.deepEqual(c.inboxes, [join(dir, 'a'), join(dir, 'b')]);
  assert.equal(c.outbox, join(dir, 'out'));
  assert.equal(c.dataDir, '/cwd/d');
});

test('invalid configs are reported in plain words, with the field path', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ job: { task: 'summarize' }, typo: 1 }));
  assert.throws(
    () => loadConfig({ config: file }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /job\.task/);
      assert.match(err.message, /typo/);
      return true;
    },
  );
  writeFileSync(file, '{ not json');
  assert.throws(() => loadConfig({ config: file }), /not valid JSON/);
  assert.throws(() => loadConfig({ config: join(dir, 'missing.json') }), /not found/);
});

test('folder rules: inbox/es is Spanish, inbox/interviews separates, deeper rules win', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(
    file,
    JSON.stringify({
      inboxes: ['in'],
      job: { model: 'small' },
      rules: [
        { folder: 'es', language: 'es' },
        { folder: 'interviews', separate: true, formats: ['srt'] },
        { folder: 'interviews/fr', language: 'fr' },
      ],
    }),
  );
  const c = loadConfig({ config: file });
  const inbox = c.inboxes[0]!;
  assert.equal(inboxOf(c, join(inbox, 'es', 'a.mp3')), inbox);
  assert.equal(inboxOf(c, '/elsewhere/a.mp3'), undefined);
  assert.deepEqual(settingsFor(c, inbox, join(inbox, 'a.mp3')), { ...DEFAULT_SETTINGS, model: 'small' });
  assert.equal(settingsFor(c, inbox, join(inbox, 'es', 'x', 'a.mp3')).language, 'es');
  const fr = settingsFor(c, inbox, join(inbox, 'interviews', 'fr', 'a.mp3'));
  assert.deepEqual([fr.language, fr.separate, fr.formats, fr.model], ['fr', true, ['srt'], 'small']);
  assert.equal(settingsFor(c, inbox, join(inbox, 'esx', 'a.mp3')).language, null, 'es does not match esx');
});

test('a group given in part keeps the defaults of the rest; an absent group is all defaults', () => {
  const whole = Config.parse({});
  const part = Config.parse({ housekeeping: { minFreeDiskMb: 0 }, stages: { maxAttempts: 9 } });
  assert.deepEqual(part.housekeeping, { ...whole.housekeeping, minFreeDiskMb: 0 });
  assert.deepEqual(part.stages, { ...whole.stages, maxAttempts: 9 });
  assert.notEqual(whole.housekeeping.minFreeDiskMb, 0, 'the default is not the value the test sets');
  assert.deepEqual(part.subtitles, DEFAULT_SUBTITLES);
});

test('backends.openai: off without a URL, one default each, the key file relative to the config, per folder rule', () => {
  const dir = tempDir();
  const file = join(dir, 'c.json');
  writeFileSync(
    file,
    JSON.stringify({
      backends: { openai: { url: 'https://gpu-box:8000/v1', keyFile: 'openai.env' } },
      rules: [{ folder: 'lectures', backend: 'openai' }],
    }),
  );
  const c = loadConfig({ config: file }, '/cwd');
  assert.deepEqual(c.backends.openai, {
    url: 'https://gpu-box:8000/v1',
    model: 'whisper-1',
    concurrency: 2,
    timeoutSec: 600,
    fallback: 'auto',
    prompt: null,
    keyFile: join(dir, 'openai.env'),
    keychain: false,
  });
  assert.equal(settingsFor(c, c.inboxes[0]!, join(c.inboxes[0]!, 'lectures', 'a.wav')).backend, 'openai');
  assert.equal(Config.parse({}).backends.openai.url, null);
  assert.throws(() => Config.parse({ backends: { openai: { url: 'gpu-box' } } }));
});
