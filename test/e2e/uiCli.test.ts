// `dropscribe open --no-browser` prints the page's address with the token; `dropscribe search` finds transcripts.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/store/db.js';
import { JobStore } from '../../src/store/jobs.js';
import { browserOpener, hitLine } from '../../src/cli/commands/ui.js';
import { cli, writeConfigFile } from '../helpers/daemonProcess.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { addJob, keptDocument } from '../helpers/store.js';

test('open --no-browser: the address with the token (mode 0600), on the configured port', async () => {
  const root = tempDir();
  const config = testConfig({ dataDir: join(root, 'data'), ui: { port: 4999 } });
  const file = writeConfigFile(config, root);
  const r = await cli(['open', '--no-browser', '--config', file]);
  assert.equal(r.code, 0, r.stderr);
  const token = readFileSync(join(root, 'data', 'ui-token'), 'utf8').trim();
  assert.equal(r.stdout.trim(), `http://127.0.0.1:4999/?token=${token}`);
  assert.match(r.stderr, /daemon is not running/);
  assert.equal(statSync(join(root, 'data', 'ui-token')).mode & 0o777, 0o600);
  assert.equal(browserOpener('darwin'), 'open');
  assert.equal(browserOpener('linux'), 'xdg-open');
});

test('search QUERY [--json]: file, time and the passage', async () => {
  const root = tempDir();
  const config = testConfig({ dataDir: join(root, 'data') });
  const file = writeConfigFile(config, root);
  const jobs = new JobStore(openDb(join(root, 'data', 'jobs.db')));
  const { job } = addJob(jobs, '/in/speech.wav');
  const doc = keptDocument('', { segments: [{ start: 75, end: 80, text: ' ask not what your country', words: [] }] });
  jobs.complete(job.id, [], [], [], doc);
  jobs.db.close();
  const json = await cli(['search', 'your', 'count', '--json', '--config', file]);
  assert.equal(json.code, 0, json.stderr);
  const { hits } = JSON.parse(json.stdout) as { hits: { jobId: number; relPath: string; start: number }[] };
  assert.deepEqual(
    hits.map((h) => [h.jobId, h.relPath, h.start]),
    [[job.id, 'speech.wav', 75]],
  );
  const text = await cli(['search', 'country', '--config', file]);
  assert.equal(text.stdout.trim(), `#${job.id}  speech.wav  0:01:15  ask not what your [country]`);
  assert.equal((await cli(['search', 'nothing', '--config', file])).stdout.trim(), 'no transcript has these words');
  assert.equal(hitLine({ jobId: 1, relPath: 'a', segment: 0, start: 3725, snippet: 'x' }), '#1  a  1:02:05  x');
});
