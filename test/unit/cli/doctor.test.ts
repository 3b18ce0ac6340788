import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkFolder,
  checkNode,
  checkPython,
  formatChecks,
  readDoctorReport,
  supportedNode,
} from '../../../src/cli/doctor.js';
import { fullDiskAccessHint } from '../../../src/platform/fullDiskAccess.js';
import { tempDir, testConfig } from '../../helpers/env.js';

test('node version check', () => {
  assert.deepEqual(supportedNode('>=22.12'), [22, 12]);
  assert.deepEqual(supportedNode(), [22, 12], "package.json's engines.node");
  assert.equal(checkNode('22.12.0').ok, true);
  assert.equal(checkNode('22.11.1').ok, false);
  assert.equal(checkNode('20.19.0').ok, false);
  assert.match(checkNode('20.19.0').fix!, /Node\.js 22\.12 or newer/);
  assert.equal(checkNode('24.1.0').ok, true);
});

test('the Python environment reports backends and the offline model', async () => {
  const { checks, report } = await checkPython(testConfig());
  assert.ok(
    checks.every((c) => c.ok || c.optional),
    formatChecks(checks),
  );
  assert.deepEqual(Object.keys(report?.offlineModels ?? {}).sort(), ['base', 'tiny.en']);
  assert.equal(checks.find((c) => c.name === 'speaker model')?.ok, true, formatChecks(checks));
  const missing = await checkPython(testConfig({ python: '/nonexistent/python' }));
  assert.match(missing.checks[0]!.fix!, /npm install/);
});

test('a doctor report that does not match the contract is said in plain words, not thrown', () => {
  assert.deepEqual(readDoctorReport('{"python": "3.11.7"}'), {
    success: false,
    error: 'executable: Invalid input: expected string, received undefined',
  });
  assert.match((readDoctorReport('Traceback (most recent call last)') as { error: string }).error, /^not JSON/);
});

test('folders: writable outbox passes; the Full Disk Access fix names the node binary', () => {
  assert.equal(checkFolder(tempDir(), 'write').ok, true);
  assert.match(fullDiskAccessHint('/opt/homebrew/bin/node'), /Full Disk Access.*\/opt\/homebrew\/bin\/node/);
});

test('folders: a missing inbox is checked through its parent and not created', async () => {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const missing = join(tempDir(), 'not', 'yet');
  const check = checkFolder(missing, 'read');
  assert.equal(check.ok, true);
  assert.match(check.detail, /does not exist yet/);
  assert.equal(existsSync(missing), false, 'doctor only reads');
});
