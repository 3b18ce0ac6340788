import assert from 'node:assert/strict';
import { test } from 'node:test';
import { icloudPlaceholderTarget, skipFolder, skipReason } from '../../../src/intake/inputFilter.js';

test('recordings pass; partial downloads, AppleDouble, dot files and non-media are skipped', () => {
  for (const ok of [
    '/in/talk.mp3',
    '/in/My Talk (final).M4A',
    '/in/-rf.wav',
    '/in/vidéo 🎙.mov',
    '/in/$(rm -rf ~).flac',
  ]) {
    assert.equal(skipReason(ok), undefined, ok);
  }
  const skipped: Record<string, RegExp> = {
    '/in/a.mp3.part': /in progress/,
    '/in/a.mp4.crdownload': /in progress/,
    '/in/a.mov.download': /in progress/,
    '/in/._a.mp3': /AppleDouble/,
    '/in/.DS_Store': /hidden/,
    '/in/.a.mp3.icloud': /hidden/,
    '/in/notes.txt': /extension/,
    '/in/a.srt': /extension/,
  };
  for (const [path, why] of Object.entries(skipped)) assert.match(skipReason(path) ?? '', why, path);
  assert.ok(skipFolder('/in/.hidden') && skipFolder('/in/file.mp4.download') && !skipFolder('/in/es'));
});

test('old-style iCloud placeholders name the file they stand for', () => {
  assert.equal(icloudPlaceholderTarget('/in/.talk.m4a.icloud'), 'talk.m4a');
  assert.equal(icloudPlaceholderTarget('/in/talk.m4a'), undefined);
});
