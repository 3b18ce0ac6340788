import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { walkFiles } from '../../../src/platform/walkFiles.js';
import { tempDir } from '../../helpers/env.js';

test('every file below a folder; enter chooses the sub-folders by path and depth; a missing folder has none', () => {
  const root = tempDir();
  for (const file of ['a.wav', 'x/b.wav', 'x/y/c.wav', 'x/y/z/d.wav', 'skip/e.wav']) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  }
  const rel = (files: Iterable<string>) => [...files].map((f) => relative(root, f)).sort();
  assert.deepEqual(rel(walkFiles(root)), ['a.wav', 'skip/e.wav', 'x/b.wav', 'x/y/c.wav', 'x/y/z/d.wav']);
  const depths: [string, number][] = [];
  const enter = (dir: string, depth: number) => {
    depths.push([relative(root, dir), depth]);
    return !dir.endsWith('skip') && depth <= 2;
  };
  assert.deepEqual(rel(walkFiles(root, enter)), ['a.wav', 'x/b.wav', 'x/y/c.wav']);
  assert.deepEqual(depths.sort(), [
    ['skip', 1],
    ['x', 1],
    ['x/y', 2],
    ['x/y/z', 3],
  ]);
  assert.deepEqual([...walkFiles(join(root, 'gone'))], []);
});

test('a folder is walked in name order, numbers by value, whatever order the file system lists it in', () => {
  const root = tempDir();
  const names = ['take 10.wav', 'b.wav', 'take 2.wav', 'A.wav', 'take 1.wav'];
  for (const n of names) writeFileSync(join(root, n), '');
  assert.deepEqual(
    [...walkFiles(root)].map((f) => relative(root, f)),
    ['A.wav', 'b.wav', 'take 1.wav', 'take 2.wav', 'take 10.wav'],
  );
});
