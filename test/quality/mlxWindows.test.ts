// A long recording transcribed window by window on the real mlx backend, with MLX made to crash on a second
// transcribe() in one process (test/fixtures/mlx_second_call, as Metal does): every window runs in a fresh process,
// none crashes, none falls back; a kill -9 of the daemon after the first windows and a restart redo no finished one.
// In test:quality for its time (about 30 s of real MLX); npm test runs test/e2e/mlxBackend.test.ts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, tempDir, testConfig } from '../helpers/env.js';
import { DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { joinedRecording } from '../helpers/joinedRecording.js';
import { transcribeRuns } from '../helpers/stageRecords.js';
import { wer } from '../helpers/wer.js';

const ARCTIC = 'en_cmu_arctic_a0024.wav';
const LIBRI = 'en_librispeech_1272-128104-0000.wav';
// Three clips with 3 s pauses; windows of 3-7 s of speech hold one clip each: three windows.
const CLIPS = [ARCTIC, LIBRI, ARCTIC];
const SECOND_CALL_CRASHES = { PYTHONPATH: join(FIXTURES, 'mlx_second_call') };

test('MLX window by window: one transcribe() per process, resumed after a kill -9 without redoing a window', async () => {
  const root = tempDir();
  const config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
    job: { model: 'tiny.en', backend: 'mlx', speakers: 'off' },
    windows: { minSpeechSec: 3, maxSpeechSec: 7, workers: 1, prompt: false },
  });
  const file = writeConfigFile(config, root);
  const staged = join(root, 'long.wav');
  const reference = joinedRecording(CLIPS, 3, staged);
  let daemon = new DaemonProcess(file, SECOND_CALL_CRASHES);
  daemon.start();
  await waitFor('inbox', () => existsSync(join(root, 'inbox')), 30_000);
  renameSync(staged, join(root, 'inbox', 'long.wav'));
  const dataDir = join(root, 'data');
  await waitFor('a first window done', () => transcribeRuns(dataDir).some((r) => r.outcome === 'ok'), 120_000, 100);
  assert.equal(await daemon.stop('SIGKILL'), 'SIGKILL');
  const before = transcribeRuns(dataDir);
  const finished = new Set(before.filter((r) => r.outcome === 'ok').map((r) => r.unit));

  daemon = new DaemonProcess(file, SECOND_CALL_CRASHES);
  daemon.start();
  const outputs = join(root, 'outbox', 'long.json');
  await waitFor('outputs', () => existsSync(outputs), 240_000).catch(daemon.fail);
  await daemon.stop();

  const runs = transcribeRuns(dataDir);
  const after = runs.filter((r) => r.id > Math.max(...before.map((b) => b.id)));
  assert.deepEqual(
    after.filter((r) => finished.has(r.unit)),
    [],
    'no window finished before the kill runs again',
  );
  assert.deepEqual(
    runs.filter((r) => r.outcome !== 'ok' && r.outcome !== null),
    [],
    'no MLX process was asked for a second transcribe() (the fixture would have crashed it)',
  );
  assert.deepEqual(
    runs.filter((r) => r.outcome === 'ok').map((r) => `${r.unit}:${r.backend}`),
    ['w000:mlx', 'w001:mlx', 'w002:mlx'],
  );
  const doc = JSON.parse(readFileSync(outputs, 'utf8')) as { segments: { text: string }[]; degraded: string[] };
  assert.deepEqual(doc.degraded, []);
  assert.ok(wer(reference, doc.segments.map((s) => s.text).join(' ')) <= 0.15);
});
