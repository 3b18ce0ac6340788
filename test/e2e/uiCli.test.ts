// `dropscribe open` gives the browser an address with a single-use sign-in code from the running daemon (never the
// token); `dropscribe search` finds transcripts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/store/db.js';
import { JobStore } from '../../src/store/jobs.js';
import { browserOpener, hitLine } from '../../src/cli/commands/ui.js';
import { cli, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { addJob, keptDocument } from '../helpers/store.js';
import { startUiDaemon } from '../helpers/uiDaemon.js';

test('open without a running daemon: says so and where the page will be, exits 1, prints no secret', async () => {
  const root = tempDir();
  const config = testConfig({ dataDir: join(root, 'data'), ui: { port: 4999 } });
  const file = writeConfigFile(config, root);
  const r = await cli(['open', '--no-browser', '--config', file]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /daemon is not running.*dropscribe start/s);
  assert.match(r.stderr, /http:\/\/127\.0\.0\.1:4999\//);
  assert.doesNotMatch(r.stdout + r.stderr, /token=|code=/);
  assert.equal(browserOpener('darwin'), 'open');
  assert.equal(browserOpener('linux'), 'xdg-open');
});

test('open: the address and the browser opener carry a single-use code, never the token', async () => {
  const ui = await startUiDaemon();
  try {
    // A stand-in for xdg-open that writes down the arguments it was given.
    const bin = tempDir();
    const argvFile = join(bin, 'argv');
    writeFileSync(
      join(bin, 'xdg-open'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}.part'\nmv '${argvFile}.part' '${argvFile}'\n`,
      {
        mode: 0o755,
      },
    );
    const r = await cli(['open', '--config', ui.configFile], { PATH: `${bin}:${process.env.PATH}` });
    assert.equal(r.code, 0, r.stderr);
    const url = r.stdout.trim();
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${ui.port}/\\?code=[\\w-]{43}$`));
    assert.ok(!url.includes(ui.token), 'the token is not in the address');
    const argv = await waitFor(
      'the browser opener',
      () => existsSync(argvFile) && readFileSync(argvFile, 'utf8'),
      10_000,
    );
    assert.equal(argv.trim(), url, 'the opener is given the address with the code, nothing else');

    const first = await fetch(url);
    const html = await first.text();
    assert.equal(first.status, 200);
    assert.match(html, /<script id="sign-in" type="application\/json">\{"session":"[\w-]{43}"\}<\/script>/);
    assert.ok(!html.includes(ui.token));
    const second = await fetch(url);
    assert.equal(second.status, 401, 'the code works once');
    assert.doesNotMatch(await second.text(), /"session"/);
    const another = (await ui.openAddress()).replace(/.*\?code=/, '');
    assert.notEqual(another, url.replace(/.*\?code=/, ''), 'each open mints its own code');
  } finally {
    await ui.daemon.stop();
  }
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
