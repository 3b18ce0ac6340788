import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, writeConfigFile } from './helpers/daemonProcess.js';
import { CORPUS, tempDir, testConfig } from './helpers/env.js';

test('enqueue (for Hazel): exit code says queued, duplicate or refused; status lists the jobs', async () => {
  const root = tempDir();
  const config = testConfig({ inboxes: [join(root, 'inbox')], outbox: join(root, 'outbox'), dataDir: join(root, 'data') });
  const file = writeConfigFile(config, root);
  mkdirSync(join(root, 'inbox'));
  copyFileSync(join(CORPUS, 'jfk.flac'), join(root, 'inbox', 'a.flac'));
  copyFileSync(join(CORPUS, 'jfk.flac'), join(root, 'inbox', 'b.flac'));
  writeFileSync(join(root, 'elsewhere.wav'), 'x');
  const queued = await cli(['enqueue', join(root, 'inbox', 'a.flac'), '--config', file]);
  assert.equal(queued.code, 0, queued.stderr);
  assert.match(queued.stdout, /^queued\t/);
  const dup = await cli(['enqueue', join(root, 'inbox', 'b.flac'), '--config', file]);
  assert.equal(dup.code, 3);
  const refused = await cli(['enqueue', join(root, 'elsewhere.wav'), join(root, 'inbox', 'missing.wav'), '--config', file]);
  assert.equal(refused.code, 4);
  assert.match(refused.stdout, /refused\t.*elsewhere.wav/);
  const status = JSON.parse((await cli(['status', '--json', '--config', file])).stdout);
  assert.deepEqual(Object.keys(status.jobs[0]).slice(0, 6), ['id', 'input', 'state', 'stage', 'error', 'outputs']);
  assert.deepEqual(status.jobs.map((j: { state: string }) => j.state).sort(), ['failed', 'queued']);
});

test('a bad config is one clear line and exit 78, not a stack trace', async () => {
  const root = tempDir();
  writeFileSync(join(root, 'c.json'), JSON.stringify({ jobs: { concurrency: 0 } }));
  const r = await cli(['status', '--config', join(root, 'c.json')]);
  assert.equal(r.code, 78);
  assert.match(r.stderr, /^dropscribe: invalid configuration.*\n\s+jobs\.concurrency/);
  assert.ok(!r.stderr.includes('    at '));
});

test('an outbox inside an inbox is refused at start with exit 78', async () => {
  const root = tempDir();
  writeFileSync(join(root, 'c.json'), JSON.stringify({ inboxes: ['in'], outbox: 'in/out', dataDir: 'data' }));
  const r = await cli(['start', '--config', join(root, 'c.json')]);
  assert.equal(r.code, 78);
  assert.match(r.stderr, /outbox .* is inside the inbox/);
});
