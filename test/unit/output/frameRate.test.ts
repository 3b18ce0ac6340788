// A video's frame rate read from the recording with the stages' ffmpeg, for FCPXML: an NTSC video's 29.97, none for
// audio, none for a recording that is gone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { frameRateIn, videoFrameRate } from '../../../src/output/frameRate.js';
import { DEFAULT_PYTHON } from '../../../src/platform/python/location.js';
import { tempDir } from '../../helpers/env.js';
import { ffmpeg } from '../../helpers/ffmpeg.js';

test('29.97 fps from a video, nothing from audio or a missing file', () => {
  const dir = tempDir('dropscribe-fps-');
  const video = join(dir, 'clip.mp4');
  const audio = join(dir, 'talk.wav');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=30000/1001:duration=1', '-pix_fmt', 'yuv420p', video]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', audio]);
  assert.equal(videoFrameRate(video, DEFAULT_PYTHON), 29.97);
  assert.equal(videoFrameRate(audio, DEFAULT_PYTHON), undefined);
  assert.equal(videoFrameRate(join(dir, 'gone.mp4'), DEFAULT_PYTHON), undefined);
});

test('cover art is no video', () => {
  const art = '  Stream #0:1: Video: mjpeg (Baseline), yuvj420p, 500x500, 90k tbr, 90k tbn (attached pic)\n';
  assert.equal(frameRateIn(art), undefined);
  assert.equal(frameRateIn(`${art}  Stream #0:2: Video: h264, yuv420p, 1920x1080, 25 fps, 25 tbr\n`), 25);
});
