// Unit tests: a missing better-sqlite3 binary is recognised and explained with the fix for a clone or a global install.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bindingFix,
  bindingMessage,
  isBindingProblem,
  sqliteBindingProblem,
} from '../../../src/store/sqliteBinding.js';
import { checkSqliteBinding } from '../../../src/cli/doctorInstall.js';

const missing = new Error('Could not locate the bindings file. Tried:\n → /x/build/better_sqlite3.node');

test('the bindings messages are recognised; others are not', () => {
  assert.equal(isBindingProblem(missing), true);
  assert.equal(
    isBindingProblem(new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 115')),
    true,
  );
  assert.equal(isBindingProblem(new Error('database disk image is malformed')), false);
  assert.equal(isBindingProblem(undefined), false);
});

test('the fix names npm install in a clone and the allow flag for a global install', () => {
  assert.match(bindingFix(true), /npm install/);
  assert.match(bindingFix(false), /--allow-scripts=dropscribe,better-sqlite3/);
  assert.match(
    bindingMessage(missing),
    /^better-sqlite3 has no usable native binary \(Could not locate the bindings file\. Tried:\)/,
  );
});

test('doctor: ok with the binary this test runs with; a problem becomes a FAIL with the fix', () => {
  assert.equal(sqliteBindingProblem(), undefined);
  assert.equal(checkSqliteBinding(undefined).ok, true);
  const failed = checkSqliteBinding(bindingMessage(missing));
  assert.equal(failed.ok, false);
  assert.match(failed.fix ?? '', /npm/);
});
