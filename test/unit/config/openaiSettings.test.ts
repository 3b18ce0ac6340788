// The backends.openai section: a key configured for a plain http server on another machine is a config error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenAiSettings } from '../../../src/config/openaiSettings.js';

test('a key file or the Keychain with an http URL to another machine is refused when the config is read', () => {
  for (const key of [{ keyFile: '/k/openai.env' }, { keychain: true }]) {
    const parsed = OpenAiSettings.safeParse({ url: 'http://gpu-box:8000/v1', ...key });
    assert.equal(parsed.success, false, JSON.stringify(key));
    assert.match(parsed.error!.issues[0]!.message, /https/);
    assert.deepEqual(parsed.error!.issues[0]!.path, ['url']);
    assert.equal(OpenAiSettings.safeParse({ url: 'https://gpu-box:8000/v1', ...key }).success, true);
    assert.equal(OpenAiSettings.safeParse({ url: 'http://127.0.0.1:8000/v1', ...key }).success, true);
  }
  assert.equal(OpenAiSettings.safeParse({ url: 'http://gpu-box:8000/v1' }).success, true, 'no key: nothing to leak');
  assert.equal(OpenAiSettings.safeParse({ url: 'http://127.evil.example/v1', keychain: true }).success, false);
  assert.equal(OpenAiSettings.safeParse({ url: 'gpu-box', keychain: true }).success, false, 'not a URL, no crash');
});
