import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createOutbox,
  OutboxError,
  OutputRefusedError,
  probeOutbox,
  publish,
  sweepTemps,
  syncFolders,
} from '../../../src/output/outbox.js';
import { problemOf } from '../../../src/output/outboxError.js';
import { tempDir } from '../../helpers/env.js';

test('publish writes every file, into sub-folders, replacing old versions, leaving no temp file', () => {
  const out = tempDir();
  writeFileSync(join(out, 'a.srt'), 'old');
  publish(out, [
    { path: join(out, 'a.srt'), content: 'new' },
    { path: join(out, 'sub', 'a.vtt'), content: 'WEBVTT' },
  ]);
  assert.equal(readFileSync(join(out, 'a.srt'), 'utf8'), 'new');
  assert.equal(readFileSync(join(out, 'sub', 'a.vtt'), 'utf8'), 'WEBVTT');
  assert.deepEqual(readdirSync(out, { recursive: true }).map(String).sort(), ['a.srt', 'sub', 'sub/a.vtt']);
});

test('a batch leaves its folders to sync: publish names each folder it renamed into, once', () => {
  const out = tempDir();
  const unsynced = new Set<string>();
  publish(out, [{ path: join(out, 'a.txt'), content: 'a' }], { unsynced });
  publish(
    out,
    [
      { path: join(out, 'b.txt'), content: 'b' },
      { path: join(out, 'sub', 'b.json'), content: '{}' },
    ],
    { unsynced },
  );
  assert.deepEqual([...unsynced].sort(), [out, join(out, 'sub')]);
  assert.equal(readFileSync(join(out, 'sub', 'b.json'), 'utf8'), '{}');
  syncFolders(unsynced);
});

test('nothing is written outside the outbox', () => {
  const out = tempDir();
  assert.throws(() => publish(out, [{ path: join(out, '..', 'escape.srt'), content: 'x' }]), OutputRefusedError);
});

test(
  'a read-only outbox is a clear OutboxError and leaves no temp files',
  { skip: process.getuid?.() === 0 && 'root ignores permissions' },
  () => {
    const out = tempDir();
    chmodSync(out, 0o500);
    assert.throws(() => publish(out, [{ path: join(out, 'a.srt'), content: 'x' }]), /not writable/);
    chmodSync(out, 0o700);
    assert.deepEqual(readdirSync(out), []);
  },
);

test('a failure half-way removes the temps already written', () => {
  const out = tempDir();
  mkdirSync(join(out, 'b.srt')); // a folder where a file must go: the rename fails
  assert.throws(
    () =>
      publish(out, [
        { path: join(out, 'a.srt'), content: 'x' },
        { path: join(out, 'b.srt'), content: 'y' },
      ]),
    OutboxError,
  );
  assert.deepEqual(
    readdirSync(out).filter((f) => f.startsWith('.')),
    [],
  );
});

test('sweepTemps removes only our crash leftovers', () => {
  const out = tempDir();
  mkdirSync(join(out, 'sub'));
  writeFileSync(join(out, 'sub', '.a.srt.0badc0de.dropscribe.tmp'), 'half');
  writeFileSync(join(out, '.keep.tmp'), 'user file');
  assert.equal(sweepTemps(out), 1);
  assert.deepEqual(readdirSync(out, { recursive: true }).map(String).sort(), ['.keep.tmp', 'sub']);
});

test('an outbox that went away is waited for, never created again, nor any folder above it', () => {
  const root = tempDir();
  const out = join(root, 'Volumes', 'Drive', 'outbox');
  for (const path of [join(out, 'a.txt'), join(out, 'sub', 'deeper', 'a.txt')]) {
    assert.throws(
      () => publish(out, [{ path, content: 'x' }]),
      (err: unknown) =>
        err instanceof OutboxError && err.problem === 'missing' && /waiting for outbox: .* not there/.test(err.message),
    );
  }
  assert.deepEqual(readdirSync(root), [], 'no stray Volumes/Drive/outbox');
  assert.equal(probeOutbox(out)?.problem, 'missing');
});

test('the outbox is created at start only when the folder above it exists; sub-folders below it are made', () => {
  const root = tempDir();
  assert.equal(createOutbox(join(root, 'unmounted', 'outbox')), 'parent-missing');
  assert.deepEqual(readdirSync(root), []);
  const out = join(root, 'outbox');
  assert.equal(createOutbox(out), 'created');
  assert.equal(createOutbox(out), 'exists');
  assert.equal(probeOutbox(out), undefined);
  publish(out, [{ path: join(out, 'sub', 'deeper', 'a.txt'), content: 'x' }]);
  assert.equal(readFileSync(join(out, 'sub', 'deeper', 'a.txt'), 'utf8'), 'x');
});

test('write errors below the outbox classify themselves', () => {
  assert.equal(problemOf('ENOENT'), 'missing');
  assert.equal(problemOf('EROFS'), 'read-only');
  assert.equal(problemOf('ENOSPC'), 'full');
  assert.equal(problemOf('EACCES'), 'denied');
  assert.match(new OutboxError('full', '/o').message, /the disk is full where the outbox \/o is/);
});

test('a folder below the outbox that links out of it is refused, and nothing is written outside', () => {
  const out = tempDir();
  const outside = tempDir();
  symlinkSync(outside, join(out, 'talks'));
  mkdirSync(join(out, 'deeper'));
  symlinkSync(outside, join(out, 'deeper', 'link'));
  for (const path of [join(out, 'talks', 'a.srt'), join(out, 'deeper', 'link', 'sub', 'a.srt')]) {
    assert.throws(() => publish(out, [{ path, content: 'x' }]), /link/);
  }
  assert.deepEqual(readdirSync(outside), [], 'nothing written, not even a folder or a temp file');
  // A link that stays inside the outbox is a folder of the outbox like any other.
  mkdirSync(join(out, 'real'));
  symlinkSync(join(out, 'real'), join(out, 'alias'));
  publish(out, [{ path: join(out, 'alias', 'b.srt'), content: 'y' }]);
  assert.equal(readFileSync(join(out, 'real', 'b.srt'), 'utf8'), 'y');
});

test('an outbox that is itself a link (a synced folder) is written into', () => {
  const real = tempDir();
  const link = join(tempDir(), 'outbox');
  symlinkSync(real, link);
  publish(link, [{ path: join(link, 'sub', 'a.txt'), content: 'x' }]);
  assert.equal(readFileSync(join(real, 'sub', 'a.txt'), 'utf8'), 'x');
});
