// What dropscribe wrote: each version of each output file is recorded (its sha256) for its recording, and a file
// counts as ours only while it holds one of those versions; a database from before hashes knows the outputs its jobs
// listed, and they count as ours while they have not been modified since.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { PACKAGE_ROOT } from '../../../src/platform/paths.js';
import { migrate } from '../../../src/store/db.js';
import { JobStore } from '../../../src/store/jobs.js';
import { tempDir } from '../../helpers/env.js';
import { tempStore } from '../../helpers/store.js';

const TALK = { input: '/in/talk.wav', jobId: 1 };

test('a file we wrote is ours while it holds a version we wrote for its recording; edited, it is not', () => {
  const { outputFiles } = tempStore();
  const dir = tempDir();
  const file = join(dir, 'talk.txt');
  const write = (content: string) => {
    outputFiles.record(TALK, [{ path: file, content }]);
    writeFileSync(file, content);
  };
  assert.equal(outputFiles.isOurs(file, TALK.input), false, 'absent');
  write('first version');
  assert.equal(outputFiles.isOurs(file, TALK.input), true);
  assert.equal(outputFiles.isOurs(file, '/in/other.wav'), false, "another recording's file is not this one's");
  write('corrected version');
  assert.equal(outputFiles.isOurs(file, TALK.input), true);
  writeFileSync(file, 'first version');
  assert.equal(outputFiles.isOurs(file, TALK.input), true, 'an earlier version we wrote is still ours');
  writeFileSync(file, 'first version, and my own notes');
  assert.equal(outputFiles.isOurs(file, TALK.input), false, 'edited by hand');
  writeFileSync(join(dir, 'mine.txt'), 'first version');
  assert.equal(
    outputFiles.isOurs(join(dir, 'mine.txt'), TALK.input),
    false,
    'the same words under a name never written',
  );
});

test('a link or a folder where an output was is never ours', () => {
  const { outputFiles } = tempStore();
  const dir = tempDir();
  writeFileSync(join(dir, 'elsewhere.txt'), 'v');
  outputFiles.record(TALK, [
    { path: join(dir, 'link.txt'), content: 'v' },
    { path: join(dir, 'folder.txt'), content: 'v' },
  ]);
  symlinkSync(join(dir, 'elsewhere.txt'), join(dir, 'link.txt'));
  mkdirSync(join(dir, 'folder.txt'));
  assert.equal(outputFiles.isOurs(join(dir, 'link.txt'), TALK.input), false);
  assert.equal(outputFiles.isOurs(join(dir, 'folder.txt'), TALK.input), false);
});

test("a name is looked up as a Mac compares names: what was written as Café.txt is ours as café.txt's twin", () => {
  const { outputFiles } = tempStore();
  const dir = tempDir();
  outputFiles.record(TALK, [{ path: join(dir, 'Caf\u00e9.txt'), content: 'v' }]);
  writeFileSync(join(dir, 'cafe\u0301.txt'), 'v'); // what APFS shows when the name is asked for in another form
  assert.equal(outputFiles.isOurs(join(dir, 'cafe\u0301.txt'), TALK.input), true);
});

test('a database from before hashes: the outputs its jobs listed are ours until they are modified', () => {
  const dir = tempDir();
  const outbox = join(dir, 'out');
  mkdirSync(outbox);
  const db = new Database(join(dir, 'jobs.db'));
  const sqlDir = join(PACKAGE_ROOT, 'src', 'store', 'sql');
  for (const f of readdirSync(sqlDir)
    .filter((f) => /^00[1-8]_.*\.sql$/.test(f))
    .sort())
    db.exec(readFileSync(join(sqlDir, f), 'utf8'));
  db.pragma('user_version = 8');
  const finishedAt = Date.now();
  const outputs = ['talk.txt', 'talk.srt'].map((n) => join(outbox, n));
  for (const o of outputs) {
    writeFileSync(o, 'old transcript');
    utimesSync(o, new Date(finishedAt - 5000), new Date(finishedAt - 5000));
  }
  db.prepare(
    `INSERT INTO jobs (input, inbox, rel_path, output_stem, sha256, size, mtime_ms, settings, state, outputs,
    created_at, updated_at, finished_at) VALUES ('/in/talk.wav', '/in', 'talk.wav', ?, 'sha', 1, 1, ?, 'done', ?, 1, ?, ?)`,
  ).run(join(outbox, 'talk'), JSON.stringify(DEFAULT_SETTINGS), JSON.stringify(outputs), finishedAt, finishedAt);
  migrate(db);
  const { outputFiles } = new JobStore(db);
  assert.equal(outputFiles.isOurs(outputs[0]!, '/in/talk.wav'), true);
  writeFileSync(outputs[1]!, 'edited after the job ended');
  utimesSync(outputs[1]!, new Date(finishedAt + 60_000), new Date(finishedAt + 60_000));
  assert.equal(outputFiles.isOurs(outputs[1]!, '/in/talk.wav'), false);
  db.close();
});
