// End to end: the real daemon (CLI), real file watching, real ffmpeg, Silero and faster-whisper on corpus clips.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { corpus, CORPUS } from '../helpers/env.js';
import { cli, startDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';
import { assertValidSrt, assertValidVtt } from '../helpers/subtitles.js';
import { wer } from '../helpers/wer.js';

/** Copy a file in slices with pauses, like a slow download or network copy. */
async function slowCopy(from: string, to: string, slices = 6, pauseMs = 250): Promise<void> {
  const data = readFileSync(from);
  const fd = openSync(to, 'w');
  const step = Math.ceil(data.length / slices);
  for (let off = 0; off < data.length; off += step) {
    writeSync(fd, data, off, Math.min(step, data.length - off));
    await sleep(pauseMs);
  }
  closeSync(fd);
}

describe('daemon end to end', () => {
  const { root, inbox, daemon } = testDaemon({ stability: { quietMs: 1000, pollMs: 200, rescanMinutes: 10 } });
  const clips = ['jfk.flac', 'en_librispeech_1272-128104-0000.wav'];
  const manifest = corpus();

  before(async () => {
    await startDaemon(daemon, inbox);
    await sleep(1500);
  });
  after(async () => {
    await daemon.stop();
  });

  test('recordings dropped while still being written become valid SRT/VTT/TXT/JSON with WER <= 0.15', async () => {
    mkdirSync(join(root, 'inbox', 'talks'), { recursive: true });
    await Promise.all([
      slowCopy(join(CORPUS, clips[0]!), join(root, 'inbox', clips[0]!)),
      slowCopy(join(CORPUS, clips[1]!), join(root, 'inbox', 'talks', clips[1]!)),
    ]);
    const outputs = [join(root, 'outbox', 'jfk'), join(root, 'outbox', 'talks', 'en_librispeech_1272-128104-0000')];
    await waitFor('outputs', () => outputs.every((o) => existsSync(`${o}.json`)), 180_000).catch(daemon.fail);
    for (const [i, stem] of outputs.entries()) {
      const entry = manifest.find((m) => m.file === clips[i])!;
      const srt = readFileSync(`${stem}.srt`, 'utf8');
      const vtt = readFileSync(`${stem}.vtt`, 'utf8');
      const txt = readFileSync(`${stem}.txt`, 'utf8');
      const doc = JSON.parse(readFileSync(`${stem}.json`, 'utf8'));
      assertValidSrt(srt);
      assertValidVtt(vtt);
      const score = wer(entry.reference, txt);
      console.log(`# WER ${entry.file}: ${score.toFixed(3)}`);
      assert.ok(score <= 0.15, `WER ${score.toFixed(3)} > 0.15 for ${entry.file}: ${txt}`);
      assert.ok(wer(entry.reference, assertValidSrt(srt).join(' ')) <= 0.15, 'the SRT carries the same words');
      assert.equal(doc.language, 'en');
      assert.equal(doc.model, 'base');
      assert.ok(
        Math.abs(doc.durationSec - entry.durationSec) < 0.2,
        `duration ${doc.durationSec} vs ${entry.durationSec}`,
      );
      assert.ok(
        doc.segments.length > 0 && doc.segments.every((s: { words: unknown[] }) => s.words.length > 0),
        'segments carry words',
      );
      for (const s of doc.segments)
        for (const w of s.words) assert.ok(w.start <= w.end && w.start >= s.start - 0.5 && w.end <= s.end + 0.5);
    }
    const leftovers = readdirSync(join(root, 'outbox'), { recursive: true })
      .map(String)
      .filter((f) => f.includes('.tmp'));
    assert.deepEqual(leftovers, [], 'no temp files in the outbox');

    const status = await cli(['status', '--json', '--config', daemon.configFile]);
    assert.equal(status.code, 0, status.stderr);
    const jobs = JSON.parse(status.stdout).jobs as { input: string; state: string; outputs: string[] }[];
    assert.equal(jobs.length, 2, 'each recording became exactly one job, though it was written in slices');
    assert.ok(jobs.every((j) => j.state === 'done' && j.outputs.length === 4));
  });

  test('a dropped file that is not a recording ends in a plain error report', async () => {
    const bad = join(root, 'inbox', 'notes.mp3');
    const fd = openSync(bad, 'w');
    writeSync(fd, 'these are my meeting notes, not audio\n'.repeat(20));
    closeSync(fd);
    const report = join(root, 'outbox', 'notes.error.txt');
    await waitFor('error report', () => existsSync(report), 60_000);
    const text = readFileSync(report, 'utf8');
    assert.match(text, /could not transcribe notes\.mp3/);
    assert.match(text, /not a readable audio or video file/);
    assert.match(text, /dropscribe retry \d+/);
    const status = await cli(['status', '--config', daemon.configFile]);
    assert.match(status.stdout, /failed\s+notes\.mp3/);
  });
});
