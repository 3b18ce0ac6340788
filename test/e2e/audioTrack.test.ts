// A video whose default audio track is silent: the real daemon, with the default track choice (audioStream unset),
// transcribes the track with speech instead, and the JSON says which track it used and how to choose another. The
// track is the point, not the model or speakers: the small bundled English model, no speaker labelling.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpus, CORPUS, tempDir, testConfig } from '../helpers/env.js';
import { DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { ffmpeg } from '../helpers/ffmpeg.js';
import { wer } from '../helpers/wer.js';

test('a two-track MKV with a silent default track is transcribed from the track with speech, with a note', async () => {
  const root = tempDir();
  const inbox = join(root, 'inbox');
  const outbox = join(root, 'outbox');
  const config = testConfig({
    inboxes: [inbox],
    outbox,
    dataDir: join(root, 'data'),
    job: { model: 'tiny.en', speakers: 'off' },
  });
  mkdirSync(inbox, { recursive: true });
  // Track 0 (default): 11 s of digital silence. Track 1: the JFK clip.
  const made = join(root, 'interview.mkv');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'anullsrc=r=48000:cl=stereo',
    '-i',
    join(CORPUS, 'jfk.flac'),
    '-map',
    '0:a',
    '-map',
    '1:a',
    '-t',
    '11',
    '-c:a',
    'aac',
    '-disposition:a:0',
    'default',
    '-disposition:a:1',
    '0',
    made,
  ]);
  const daemon = new DaemonProcess(writeConfigFile(config, root));
  daemon.start();
  try {
    renameSync(made, join(inbox, 'interview.mkv'));
    await waitFor(
      'the transcript',
      () => existsSync(join(outbox, 'interview.json')) || existsSync(join(outbox, 'interview.error.txt')),
      180_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${daemon.output.slice(-3000)}`);
    });
  } finally {
    await daemon.stop();
  }
  const report = join(outbox, 'interview.error.txt');
  assert.ok(!existsSync(report), existsSync(report) ? readFileSync(report, 'utf8') : '');
  const jfk = corpus().find((c) => c.file === 'jfk.flac')!;
  const text = readFileSync(join(outbox, 'interview.txt'), 'utf8');
  const score = wer(jfk.reference, text);
  console.log(`# WER jfk from track 1 of a two-track MKV: ${score.toFixed(3)}`);
  assert.ok(score <= 0.15, `WER ${score.toFixed(3)} > 0.15: ${text}`);
  const doc = JSON.parse(readFileSync(join(outbox, 'interview.json'), 'utf8')) as { notes?: string[] };
  const note = (doc.notes ?? []).find((n) => n.includes('audio track'));
  assert.ok(note, `a note about the audio track in ${JSON.stringify(doc.notes)}`);
  assert.match(note, /stream 0 .*is silent; using stream 1/);
  assert.match(note, /audioStream/, 'says how to choose a track');
});
