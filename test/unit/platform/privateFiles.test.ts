// The data folder's modes: a tree an older version left 0755/0644 is narrowed to 0700/0600 (owner bits kept, links
// not followed, nothing widened); a private file is made 0600 and an existing one narrowed without being opened.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makePrivateFile, makePrivateFolder, makePrivateTree } from '../../../src/platform/privateFiles.js';
import { tempDir } from '../../helpers/env.js';

const mode = (p: string) => (lstatSync(p).mode & 0o777).toString(8);

test('makePrivateTree narrows folders to 0700 and files to their owner bits, leaving links and what they point to', () => {
  const root = tempDir();
  const data = join(root, 'data');
  mkdirSync(join(data, 'work', '1', 'decode'), { recursive: true });
  mkdirSync(join(data, 'backups'));
  const outside = join(root, 'outside.txt');
  writeFileSync(outside, 'not ours to change');
  chmodSync(outside, 0o644);
  const files = {
    'jobs.db': 0o644,
    'backups/jobs-1.db': 0o664,
    'work/1/decode/audio.wav': 0o644,
    'ui-token': 0o600,
    'run.sh': 0o755,
  };
  for (const [f, m] of Object.entries(files)) {
    writeFileSync(join(data, f), 'x');
    chmodSync(join(data, f), m);
  }
  symlinkSync(outside, join(data, 'link.txt'));
  for (const d of [data, join(data, 'work'), join(data, 'work', '1'), join(data, 'backups')]) chmodSync(d, 0o755);
  assert.equal(makePrivateTree(data), 9, '5 folders (work/1/decode was 755 by umask) and 4 files');
  for (const d of ['', 'work', 'work/1', 'work/1/decode', 'backups']) assert.equal(mode(join(data, d)), '700', d);
  assert.deepEqual(
    Object.keys(files).map((f) => mode(join(data, f))),
    ['600', '600', '600', '600', '700'],
  );
  assert.equal(mode(outside), '644', 'a link is not followed');
  assert.equal(makePrivateTree(data), 0, 'a second pass changes nothing');
  assert.equal(makePrivateTree(join(root, 'missing')), 0);
});

test('makePrivateFolder and makePrivateFile create 0700 and 0600, and narrow what exists', () => {
  const root = tempDir();
  const dir = join(root, 'a', 'data');
  makePrivateFolder(dir);
  assert.equal(mode(dir), '700');
  chmodSync(dir, 0o755);
  makePrivateFolder(dir);
  assert.equal(mode(dir), '700');
  const file = join(dir, 'jobs.db');
  makePrivateFile(file);
  assert.equal(mode(file), '600');
  writeFileSync(file, 'kept');
  chmodSync(file, 0o644);
  makePrivateFile(file);
  assert.equal(mode(file), '600');
  assert.equal(lstatSync(file).size, 4, 'an existing file keeps its content');
});
