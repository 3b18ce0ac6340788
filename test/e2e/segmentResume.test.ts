// kill -9 of the daemon in the middle of two windows transcribed at once: each restarted window continues after the
// last segment it committed (segments.ndjson), nothing committed is transcribed again, commits come at least every
// 30 s of speech, and the text matches an uninterrupted run's (WER within 0.01).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestDaemon, waitFor, type TestDaemon } from '../helpers/daemonProcess.js';
import { joinedRecording } from '../helpers/joinedRecording.js';
import { groupsAlive, stageGroups } from '../helpers/processGroups.js';
import { wer } from '../helpers/wer.js';

const SONNET = 'en_librivox_shakespeare_sonnet001.mp3';
const JFK = 'jfk.flac';
const LIBRI = 'en_librispeech_1272-128104-0000.wav';
const CLIPS = [SONNET, JFK, LIBRI, SONNET, JFK, LIBRI];
// About 150 s of speech in two windows of about 75 s, transcribed side by side.
const SETTINGS = {
  job: { model: 'tiny.en', speakers: 'off' }, // the resume is the point, not speaker labelling
  windows: { minSpeechSec: 40, maxSpeechSec: 90, workers: 2, prompt: false },
};
const RECOGNIZER_CHUNK_SEC = 30;
// A 30 s chunk of joined speech spans the 1 s pauses between the clips it holds (recording time, not speech).
const PAUSES_SEC = 3;

interface Committed {
  unit: string;
  start: number;
  ends: number[];
  done: { artifacts: { resumedAfterSec?: number | null } } | null;
}

/** Each window's committed segment ends and its done.json, read from the job's work folder. */
function committed(dataDir: string): Committed[] {
  const work = join(dataDir, 'work');
  if (!existsSync(work)) return [];
  return readdirSync(work).flatMap((job) => {
    const dir = join(work, job, 'transcribe');
    const vad = join(work, job, 'vad', 'done.json');
    if (!existsSync(dir) || !existsSync(vad)) return [];
    const windows = (JSON.parse(readFileSync(vad, 'utf8')) as { artifacts: { windows: { start: number }[] } }).artifacts
      .windows;
    return readdirSync(dir)
      .filter((u) => /^w\d+$/.test(u))
      .map((unit) => {
        const file = join(dir, unit, 'segments.ndjson');
        const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(1, -1) : [];
        const done = join(dir, unit, 'done.json');
        return {
          unit,
          start: windows[Number(unit.slice(1))]!.start,
          ends: lines.map((l) => (JSON.parse(l) as { end: number }).end),
          done: existsSync(done) ? (JSON.parse(readFileSync(done, 'utf8')) as Committed['done']) : null,
        };
      });
  });
}

async function drop(t: TestDaemon, recording: string): Promise<void> {
  renameSync(recording, join(t.inbox, 'long.wav'));
}

function text(t: TestDaemon): string {
  const doc = JSON.parse(readFileSync(join(t.outbox, 'long.json'), 'utf8')) as {
    segments: { text: string }[];
    degraded: string[];
  };
  assert.deepEqual(doc.degraded, []);
  return doc.segments.map((s) => s.text).join(' ');
}

test('kill -9 in the middle of two windows: each continues after its last committed segment', async () => {
  const clean = await startTestDaemon(SETTINGS);
  const reference = joinedRecording(CLIPS, 1, join(clean.root, 'long.wav'));
  await drop(clean, join(clean.root, 'long.wav'));
  await waitFor('the clean run', () => existsSync(join(clean.outbox, 'long.json')), 240_000).catch(clean.daemon.fail);
  await clean.daemon.stop();
  const cleanText = text(clean);

  const t = await startTestDaemon(SETTINGS);
  joinedRecording(CLIPS, 1, join(t.root, 'long.wav'));
  await drop(t, join(t.root, 'long.wav'));
  const atKill = await waitFor(
    'both windows in the middle: segments committed, not done',
    () => {
      const c = committed(t.dataDir);
      return c.length === 2 && c.every((w) => w.ends.length > 0 && !w.done) ? c : undefined;
    },
    240_000,
    50,
  ).catch(t.daemon.fail);
  const stages = stageGroups(t.daemon.child!.pid!);
  assert.equal(await t.daemon.stop('SIGKILL'), 'SIGKILL');
  // The stages outlive the daemon by the moment they take to see their stdin close; a segment they commit in that
  // moment is on disk too, so what was committed is read once they are gone.
  await waitFor('the stages gone after the kill', () => !groupsAlive(stages), 30_000, 20);
  const killed = committed(t.dataDir); // what was on disk when the daemon and its stages died
  t.daemon.start();
  await waitFor('outputs after the restart', () => existsSync(join(t.outbox, 'long.json')), 240_000).catch(
    t.daemon.fail,
  );
  await t.daemon.stop();

  assert.equal(atKill.length, 2);
  // The work folder goes when the job is done: where each window continued is in its 'stage done' log line.
  const resumedAfter = new Map(
    t.daemon.output
      .split('\n')
      .filter((l) => l.includes('"msg":"stage done"') && l.includes('transcribe window'))
      .map((l) => JSON.parse(l) as { stage: string; resumedAfterSec?: number })
      .map((l) => [`w00${Number(/window (\d+)/.exec(l.stage)![1]) - 1}`, l.resumedAfterSec ?? null]),
  );
  assert.equal(resumedAfter.size, 2, 'both windows logged as done');
  for (const w of killed) {
    if (w.done) continue; // finished between the check and the kill: not run again (its cache entry)
    assert.equal(resumedAfter.get(w.unit), w.ends.at(-1), `${w.unit} continues after its last committed segment`);
    const gaps = w.ends.map((e, i) => e - (i ? w.ends[i - 1]! : w.start));
    assert.ok(
      Math.max(...gaps) <= RECOGNIZER_CHUNK_SEC + PAUSES_SEC,
      `${w.unit} commits at least every 30 s of audio: ${gaps.map((g) => g.toFixed(1)).join(', ')}`,
    );
  }
  assert.ok(
    killed.some((w) => !w.done),
    'at least one window was killed in the middle',
  );
  const resumedText = text(t);
  assert.ok(
    wer(reference, resumedText) <= wer(reference, cleanText) + 0.01,
    `resumed WER ${wer(reference, resumedText).toFixed(3)} vs clean ${wer(reference, cleanText).toFixed(3)}`,
  );
});
