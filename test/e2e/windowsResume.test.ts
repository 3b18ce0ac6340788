// kill -9 of the daemon at 60% of a long recording's windowed transcription: after the restart, windows that
// finished before the kill are not run again (checked from the stage records), so at most one window is redone.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir, testConfig } from '../helpers/env.js';
import { readJobsDb } from '../helpers/jobsDb.js';
import { DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { joinedRecording } from '../helpers/joinedRecording.js';
import { wer } from '../helpers/wer.js';

const JFK = 'jfk.flac';
const LIBRI = 'en_librispeech_1272-128104-0000.wav';
const ARCTIC = 'en_cmu_arctic_a0024.wav';
// Five clips with 3 s pauses; windows of 3-9 s of speech hold one clip each: five windows.
const CLIPS = [JFK, LIBRI, ARCTIC, JFK, LIBRI];
/** Windows done when the daemon is killed: 60% of them. */
const DONE_AT_KILL = Math.ceil(CLIPS.length * 0.6);

interface Run {
  id: number;
  unit: string | null;
  outcome: string | null;
}

function transcribeRuns(dataDir: string): Run[] {
  return readJobsDb<Run>(dataDir, `SELECT id, unit, outcome FROM stage_runs WHERE stage = 'transcribe' ORDER BY id`);
}

test('kill -9 at 60% of the windows: the restart redoes at most one window', { timeout: 300_000 }, async () => {
  const root = tempDir();
  const config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
    job: { model: 'tiny.en', speakers: 'off' }, // the windows are the point, not the model or speakers
    windows: { minSpeechSec: 3, maxSpeechSec: 9, workers: 1, prompt: false },
  });
  const file = writeConfigFile(config, root);
  const staged = join(root, 'long.wav');
  const reference = joinedRecording(CLIPS, 3, staged);
  let daemon = new DaemonProcess(file);
  daemon.start();
  await waitFor('inbox', () => existsSync(join(root, 'inbox')), 30_000);
  renameSync(staged, join(root, 'inbox', 'long.wav'));

  const dataDir = join(root, 'data');
  const doneBefore = await waitFor(
    `${DONE_AT_KILL} of ${CLIPS.length} windows done`,
    () => {
      const ok = transcribeRuns(dataDir).filter((r) => r.outcome === 'ok');
      return ok.length >= DONE_AT_KILL ? ok : undefined;
    },
    240_000,
    100,
  );
  assert.equal(await daemon.stop('SIGKILL'), 'SIGKILL');
  const before = transcribeRuns(dataDir);
  const mark = Math.max(...before.map((r) => r.id));
  assert.ok(doneBefore.length < CLIPS.length, 'killed before the last window');

  daemon = new DaemonProcess(file);
  daemon.start();
  const outputs = join(root, 'outbox', 'long.json');
  await waitFor('outputs', () => existsSync(outputs), 240_000);
  await daemon.stop();

  const after = transcribeRuns(dataDir).filter((r) => r.id > mark);
  const finished = new Set(before.filter((r) => r.outcome === 'ok').map((r) => r.unit));
  assert.deepEqual(
    after.filter((r) => finished.has(r.unit)),
    [],
    'no window finished before the kill runs again',
  );
  const redone = new Set(after.filter((r) => before.some((b) => b.unit === r.unit)).map((r) => r.unit));
  assert.ok(redone.size <= 1, `at most the window in flight is redone: ${[...redone].join(', ')}`);
  const all = transcribeRuns(dataDir)
    .filter((r) => r.outcome === 'ok')
    .map((r) => r.unit);
  assert.deepEqual(
    all,
    Array.from({ length: CLIPS.length }, (_, i) => `w${String(i).padStart(3, '0')}`),
    'every window once',
  );
  const doc = JSON.parse(readFileSync(outputs, 'utf8')) as { segments: { text: string }[]; degraded: string[] };
  assert.deepEqual(doc.degraded, []);
  assert.ok(wer(reference, doc.segments.map((s) => s.text).join(' ')) <= 0.15);
});
