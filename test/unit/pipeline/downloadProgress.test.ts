import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDownload, downloadEtaSec } from '../../../src/pipeline/downloadProgress.js';

test('a download in words: MB so far and in all, speed, time left', () => {
  const d = { model: 'Systran/faster-whisper-small', bytes: 120_400_000, totalBytes: 484_000_000, bytesPerSec: 3.1e6 };
  assert.equal(
    describeDownload(d),
    'downloading model Systran/faster-whisper-small: 120.4 of 484.0 MB, 3.1 MB/s, 118 s left',
  );
  assert.ok(Math.abs(downloadEtaSec(d)! - 117.29) < 0.01);
});

test('before its speed is known a download has no time left', () => {
  const d = { model: 'org/m', bytes: 0, totalBytes: 1e6, bytesPerSec: 0 };
  assert.equal(describeDownload(d), 'downloading model org/m: 0.0 of 1.0 MB, 0.0 MB/s');
  assert.equal(downloadEtaSec(d), null);
});
