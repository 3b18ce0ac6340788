// The backend chain a job's `backend` setting gives, and which backends are remote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asrChain, isRemote, mlxOffAppleSilicon } from '../../../src/stages/backends.js';

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

test('mlx asked for off Apple Silicon is one warning at start; on Apple Silicon, or without mlx, none', () => {
  assert.match(mlxOffAppleSilicon(['auto', 'mlx'], 'linux', 'x64') ?? '', /backend "mlx" on linux x64: .*CPU backend/);
  assert.ok(mlxOffAppleSilicon(['mlx'], 'darwin', 'x64'));
  assert.equal(mlxOffAppleSilicon(['mlx'], 'darwin', 'arm64'), undefined);
  assert.equal(mlxOffAppleSilicon(['auto', undefined, 'faster-whisper'], 'linux', 'x64'), undefined);
});
