// The watcher reports every file in the inboxes once at start, in name order: what chokidar's first scan reported (in
// the file system's order), and what it missed (a file that landed while it started), which the walk at 'ready' finds.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type chokidar from 'chokidar';
import { InboxWatcher } from '../../../src/intake/watcher.js';
import { silentLogger } from '../../../src/platform/log.js';
import { tempDir } from '../../helpers/env.js';

/** A chokidar `watch` whose first scan reports `adds` (paths in the inbox), in that order, and then is ready. */
function scanning(adds: string[]): typeof chokidar.watch {
  return (() => {
    const w = new EventEmitter() as EventEmitter & { close(): Promise<void> };
    w.close = async () => {};
    setImmediate(() => {
      for (const p of adds) w.emit('add', p);
      w.emit('ready');
    });
    return w;
  }) as unknown as typeof chokidar.watch;
}

function inboxWith(names: string[]): string {
  const inbox = join(tempDir(), 'inbox');
  mkdirSync(join(inbox, 'sub'), { recursive: true });
  for (const n of names) writeFileSync(join(inbox, n), 'x');
  return inbox;
}

test('files present at start are reported once each, not again by the walk at ready', async () => {
  const inbox = inboxWith(['a.wav', 'sub/b.mp3', '.hidden.wav']);
  const seen: string[] = [];
  const watcher = new InboxWatcher([inbox], (p) => seen.push(p), silentLogger);
  await watcher.start();
  await watcher.stop();
  assert.deepEqual(seen, [join(inbox, 'a.wav'), join(inbox, 'sub/b.mp3')]);
});

test('a file the first scan missed (it landed while the watcher started) is reported at ready', async () => {
  const inbox = inboxWith(['early.wav', 'late.wav']);
  const missing = scanning([join(inbox, 'early.wav')]); // no event for late.wav
  const seen: string[] = [];
  const watcher = new InboxWatcher([inbox], (p) => seen.push(p), silentLogger, missing);
  await watcher.start();
  await watcher.stop();
  assert.deepEqual(seen, [join(inbox, 'early.wav'), join(inbox, 'late.wav')]);
});

test("the first scan's files are reported in name order, and one it saw that is gone since still once", async () => {
  const inbox = inboxWith(['take 10.wav', 'take 2.wav', 'a.wav']);
  const order = ['take 10.wav', 'gone.wav', 'a.wav', 'take 2.wav'].map((n) => join(inbox, n));
  const seen: string[] = [];
  const watcher = new InboxWatcher([inbox], (p) => seen.push(p), silentLogger, scanning(order));
  await watcher.start();
  await watcher.stop();
  assert.deepEqual(
    seen,
    ['a.wav', 'take 2.wav', 'take 10.wav', 'gone.wav'].map((n) => join(inbox, n)),
  );
});
