// Range headers for the recording and media types by extension.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaType, parseRange } from '../../../src/ui/mediaRange.js';

test('ranges: from-to, from, suffix; past the end is unsatisfiable; malformed means the whole file', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=990-2000', 1000), { start: 990, end: 999 });
  assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
  assert.equal(parseRange('bytes=5-1', 1000), 'unsatisfiable');
  assert.equal(parseRange('bytes=0-1,5-9', 1000), undefined);
  assert.equal(parseRange(undefined, 1000), undefined);
});

test('media types', () => {
  assert.equal(mediaType('/a/b.MP3'), 'audio/mpeg');
  assert.equal(mediaType('x.mov'), 'video/quicktime');
  assert.equal(mediaType('x.caf'), 'application/octet-stream');
});
