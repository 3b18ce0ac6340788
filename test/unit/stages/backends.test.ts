// The backend chain a job's `backend` setting gives, and which backends are remote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asrChain, isRemote } from '../../../src/stages/backends.js';

test('openai falls back to the local chain of backends.openai.fallback, or to nothing', () => {
  assert.deepEqual(asrChain('openai', false), ['openai', 'faster-whisper']);
  assert.deepEqual(asrChain('openai', true), ['openai', 'mlx', 'faster-whisper']);
  assert.deepEqual(asrChain('openai', true, 'faster-whisper'), ['openai', 'faster-whisper']);
  assert.deepEqual(asrChain('openai', true, null), ['openai']);
});

test('the local settings keep their chains', () => {
  assert.deepEqual(asrChain('auto', false), ['faster-whisper']);
  assert.deepEqual(asrChain('auto', true), ['mlx', 'faster-whisper']);
  assert.deepEqual(asrChain('mlx', false), ['mlx', 'faster-whisper']);
  assert.deepEqual(asrChain('faster-whisper', true), ['faster-whisper']);
  assert.equal(isRemote('openai'), true);
  assert.equal(isRemote('faster-whisper') || isRemote('mlx'), false);
});
