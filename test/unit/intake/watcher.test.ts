// The watcher reports every file in the inboxes once at start: what chokidar's first scan reported, and what it
// missed (a file that landed while it started), which the walk at 'ready' finds.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type chokidar from 'chokidar';
import { InboxWatcher } from '../../../src/intake/watcher.js';
import { silentLogger } from '../../../src/platform/log.js';
import { tempDir } from '../../helpers/env.js';

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
  assert.deepEqual(seen.sort(), [join(inbox, 'a.wav'), join(inbox, 'sub/b.mp3')]);
});

test('a file the first scan missed (it landed while the watcher started) is reported at ready', async () => {
  const inbox = inboxWith(['early.wav', 'late.wav']);
  // A watcher whose first scan saw early.wav only, and no event for late.wav.
  const missing = (() => {
    const w = new EventEmitter() as EventEmitter & { close(): Promise<void> };
    w.close = async () => {};
    setImmediate(() => {
      w.emit('add', join(inbox, 'early.wav'));
      w.emit('ready');
    });
    return w;
  }) as unknown as typeof chokidar.watch;
  const seen: string[] = [];
  const watcher = new InboxWatcher([inbox], (p) => seen.push(p), silentLogger, missing);
  await watcher.start();
  await watcher.stop();
  assert.deepEqual(seen, [join(inbox, 'early.wav'), join(inbox, 'late.wav')]);
});
