// Unit tests: where the Python environment lives (a clone's python/.venv, or the user data folder keyed by its stamp).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envExtras, isUpToDate, pythonEnvLocation } from '../../../../src/platform/python/location.js';
import { tempDir } from '../../../helpers/env.js';

/** A package folder with a pyproject.toml; `git` makes it a clone. */
function packageRoot(pyproject: string, git: boolean): string {
  const root = tempDir();
  mkdirSync(join(root, 'python'));
  writeFileSync(join(root, 'python', 'pyproject.toml'), pyproject);
  if (git) writeFileSync(join(root, '.git'), 'gitdir: elsewhere\n');
  return root;
}

const env = { XDG_DATA_HOME: '/data' };

test('a clone keeps python/.venv with the test tools', () => {
  const root = packageRoot('[project]\nversion = "1"\n', true);
  const loc = pythonEnvLocation({ root, env, home: '/home/u' });
  assert.equal(loc.kind, 'clone');
  assert.equal(loc.dir, join(root, 'python', '.venv'));
  assert.deepEqual(loc.extras.includes('test'), true);
});

test('an installed package keeps its environment in the data folder, keyed by pyproject.toml and extras', () => {
  const v1 = pythonEnvLocation({ root: packageRoot('[project]\nversion = "1"\n', false), env, home: '/home/u' });
  const v1again = pythonEnvLocation({ root: packageRoot('[project]\nversion = "1"\n', false), env, home: '/home/u' });
  const v2 = pythonEnvLocation({ root: packageRoot('[project]\nversion = "2"\n', false), env, home: '/home/u' });
  assert.equal(v1.kind, 'user');
  assert.ok(v1.dir.startsWith(join('/data', 'dropscribe', 'python', 'env-')), v1.dir);
  assert.equal(v1.extras.includes('test'), false);
  assert.equal(v1again.dir, v1.dir, 'the same stage package in another npm folder reuses the environment');
  assert.notEqual(v2.dir, v1.dir, 'another stage package gets its own environment');
  const withExtra = pythonEnvLocation({ root: packageRoot('[project]\nversion = "1"\n', false), env: { ...env, DROPSCRIBE_PY_EXTRAS: 'align' }, home: '/home/u' });
  assert.notEqual(withExtra.dir, v1.dir);
});

test('extras: mlx on Apple Silicon and in a Linux x86_64 clone (the tests), DROPSCRIBE_PY_EXTRAS added', () => {
  assert.deepEqual(envExtras('user', {}, 'darwin', 'arm64'), ['mlx']);
  assert.deepEqual(envExtras('user', {}, 'darwin', 'x64'), []);
  assert.deepEqual(envExtras('user', {}, 'linux', 'x64'), []);
  assert.deepEqual(envExtras('clone', {}, 'linux', 'arm64'), ['test']);
  assert.deepEqual(envExtras('clone', { DROPSCRIBE_PY_EXTRAS: 'align,separate' }, 'linux', 'x64'), [
    'test',
    'mlx',
    'align',
    'separate',
  ]);
});

test('up to date only with the interpreter and the matching stamp', () => {
  const root = packageRoot('x', false);
  const loc = pythonEnvLocation({ root, env: { XDG_DATA_HOME: join(root, 'data') } });
  assert.equal(isUpToDate(loc), false);
  mkdirSync(join(loc.dir, 'bin'), { recursive: true });
  writeFileSync(loc.python, '');
  assert.equal(isUpToDate(loc), false, 'no stamp yet (a build that stopped half way)');
  writeFileSync(loc.stampFile, 'another');
  assert.equal(isUpToDate(loc), false);
  writeFileSync(loc.stampFile, loc.stamp);
  assert.equal(isUpToDate(loc), true);
});
