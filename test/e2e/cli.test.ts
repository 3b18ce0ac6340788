import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, writeConfigFile } from '../helpers/daemonProcess.js';
import { CORPUS, REPO, tempDir, testConfig } from '../helpers/env.js';
import { inFolder } from '../helpers/folder.js';

test('enqueue (for Hazel): exit code says queued, duplicate or refused; status lists the jobs', async () => {
  const root = tempDir();
  const config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
  });
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
  const refused = await cli([
    'enqueue',
    join(root, 'elsewhere.wav'),
    join(root, 'inbox', 'missing.wav'),
    '--config',
    file,
  ]);
  assert.equal(refused.code, 4);
  assert.match(refused.stdout, /refused\t.*elsewhere.wav/);
  const status = JSON.parse((await cli(['status', '--json', '--config', file])).stdout);
  assert.deepEqual(Object.keys(status.jobs[0]).slice(0, 6), ['id', 'input', 'state', 'stage', 'error', 'outputs']);
  type Row = { id: number; input: string; state: string; duplicateOf: number | null };
  const byName = (name: string) => (status.jobs as Row[]).find((j) => j.input.endsWith(name));
  assert.deepEqual(status.jobs.map((j: Row) => j.state).sort(), ['queued', 'queued'], 'a refused file is no job');
  assert.deepEqual(
    status.refused.map((r: { path: string; report: string | null }) => [r.path, r.report]),
    [[join(root, 'elsewhere.wav'), join(root, 'outbox', 'elsewhere.error.txt')]],
    'refused with a report inside the outbox; a missing file is not recorded',
  );
  assert.match(readFileSync(join(root, 'outbox', 'elsewhere.error.txt'), 'utf8'), /not inside a watched inbox/);
  assert.equal(
    byName('b.flac')?.duplicateOf,
    byName('a.flac')?.id,
    'the duplicate is listed, waiting for the original',
  );
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

test('--version and -V print the version from package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await cli([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
  }
});

test('in a folder with no config and no installed agent, reading creates nothing and enqueue refuses to guess', async () => {
  const folder = tempDir();
  const env = {
    HOME: tempDir(),
    DROPSCRIBE_SERVICE: 'systemd',
    DROPSCRIBE_CONFIG: '',
    XDG_CONFIG_HOME: '',
    XDG_DATA_HOME: '',
  };
  const dbFile = join(folder, '.dropscribe', 'jobs.db');
  await inFolder(folder, async () => {
    const text = await cli(['status'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      `config: built-in defaults (no config file found)\ndatabase: ${dbFile}\nno jobs yet; database ${dbFile} does not exist\n`,
    );
    const json = JSON.parse((await cli(['status', '--json'], env)).stdout);
    assert.deepEqual(
      [json.config, json.database, json.jobs],
      [{ file: null, source: 'defaults' }, { file: dbFile, exists: false }, []],
    );
    assert.equal((await cli(['retry', '1'], env)).code, 1);
    writeFileSync('talk.wav', 'x');
    const enqueued = await cli(['enqueue', 'talk.wav'], env);
    assert.equal(enqueued.code, 78);
    assert.match(enqueued.stderr, /^dropscribe: no config found .* run `dropscribe install`, or pass --config FILE\n$/);
  });
  assert.deepEqual(readdirSync(folder), ['talk.wav'], 'no ./.dropscribe');
});
