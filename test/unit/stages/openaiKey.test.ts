// Where the OpenAI API key comes from (environment, key file of mode 600, Keychain), and that it is redacted.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OpenAiKeyError, redactKey, resolveOpenAiKey } from '../../../src/stages/openai/openaiKey.js';
import { tempDir } from '../../helpers/env.js';

const none = { keyFile: null, keychain: false };

test('the environment comes first, then the key file; without either the server is asked without a key', () => {
  const file = join(tempDir(), 'openai.env');
  writeFileSync(file, '# the GPU box\nexport OPENAI_API_KEY="sk-file"\n');
  chmodSync(file, 0o600);
  assert.deepEqual(resolveOpenAiKey({ ...none, keyFile: file }, { OPENAI_API_KEY: 'sk-env' }), {
    key: 'sk-env',
    source: 'env',
  });
  assert.deepEqual(resolveOpenAiKey({ ...none, keyFile: file }, {}), { key: 'sk-file', source: 'key-file' });
  assert.deepEqual(resolveOpenAiKey(none, {}), { key: null, source: 'none' });
});

test('a key file others can read is refused with the fix, and the key is not in the message', () => {
  const file = join(tempDir(), 'openai.env');
  writeFileSync(file, 'OPENAI_API_KEY=sk-secret\n');
  chmodSync(file, 0o644);
  assert.throws(
    () => resolveOpenAiKey({ ...none, keyFile: file }, {}),
    (e: Error) => e instanceof OpenAiKeyError && /chmod 600/.test(e.message) && !e.message.includes('sk-secret'),
  );
  chmodSync(file, 0o600);
  writeFileSync(file, 'OTHER=1\n');
  assert.throws(() => resolveOpenAiKey({ ...none, keyFile: file }, {}), /no OPENAI_API_KEY=/);
});

test('the Keychain item dropscribe/openai, read with security; a missing one says how to store it', () => {
  const dir = tempDir();
  const security = join(dir, 'security');
  writeFileSync(
    security,
    '#!/bin/sh\n[ "$3" = dropscribe ] && [ "$5" = openai ] && echo sk-keychain && exit 0\nexit 44\n',
  );
  chmodSync(security, 0o755);
  assert.deepEqual(resolveOpenAiKey({ ...none, keychain: true }, {}, security), {
    key: 'sk-keychain',
    source: 'keychain',
  });
  writeFileSync(security, '#!/bin/sh\nexit 44\n');
  assert.throws(
    () => resolveOpenAiKey({ ...none, keychain: true }, {}, security),
    /security add-generic-password -s dropscribe -a openai/,
  );
});

test('redactKey replaces the key wherever it appears', () => {
  assert.equal(redactKey('Bearer sk-abc failed for sk-abc', 'sk-abc'), 'Bearer *** failed for ***');
  assert.equal(redactKey('nothing', null), 'nothing');
});

test('a key found for a plain http server on another machine is refused before it is sent; this machine is fine', () => {
  const env = { OPENAI_API_KEY: 'sk-env' };
  assert.throws(
    () => resolveOpenAiKey({ ...none, url: 'http://gpu-box:8000/v1' }, env),
    (e: Error) => e instanceof OpenAiKeyError && /https/.test(e.message) && !e.message.includes('sk-env'),
  );
  assert.throws(() => resolveOpenAiKey({ ...none, url: 'http://10.0.0.7/v1' }, env), OpenAiKeyError);
  for (const url of [
    'https://gpu-box:8000/v1',
    'http://127.0.0.1:8000/v1',
    'http://localhost:8000/v1',
    'http://[::1]/v1',
  ])
    assert.equal(resolveOpenAiKey({ ...none, url }, env).key, 'sk-env', url);
  assert.deepEqual(resolveOpenAiKey({ ...none, url: 'http://gpu-box:8000/v1' }, {}), { key: null, source: 'none' });
});
