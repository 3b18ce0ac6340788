// Nothing lost: the daemon is killed with SIGKILL at 20 random moments across a multi-file batch.
// Every job must finish exactly once, with complete outputs, no duplicates and no temp files.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { CORPUS, tempDir, testConfig } from '../helpers/env.js';
import { cli, DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { readJobsDb } from '../helpers/jobsDb.js';
import { assertValidSrt, assertValidVtt } from '../helpers/subtitles.js';

const KILLS = 20;
const CLIPS = [
  'jfk.flac',
  'en_librispeech_1272-128104-0000.wav',
  'en_cmu_arctic_a0024.wav',
  'en_librivox_shakespeare_sonnet001.mp3',
  'de_picovoice_test_de.wav',
  'fr_picovoice_test_fr.wav',
];

/** The jobs' state and stage, read from the database in this process: polling `status` would start a node process
 *  four times a second, taking a core from the daemon being waited for. The outcome is still read through `status`.
 *  None while the database cannot be read (a daemon just killed or starting), as a failed `status` gave none. */
function jobRows(dataDir: string) {
  try {
    return readJobsDb<{ state: string; stage: string | null }>(dataDir, 'SELECT state, stage FROM jobs ORDER BY id');
  } catch {
    return [];
  }
}

/** A small seeded generator so a failing run can be repeated (seed printed in the test output). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

test(`kill -9 at ${KILLS} random moments: every job finishes once, outputs complete, no temp files`, async () => {
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 100000);
  console.log(`# chaos seed ${seed} (CHAOS_SEED=${seed} repeats it)`);
  const rand = random(seed);
  const root = tempDir();
  const config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
    stability: { quietMs: 300, pollMs: 100, rescanMinutes: 10 },
  });
  const file = writeConfigFile(config, root);
  let daemon = new DaemonProcess(file);
  daemon.start();
  await waitFor('inbox', () => existsSync(join(root, 'inbox')), 30_000);
  for (const c of CLIPS) copyFileSync(join(CORPUS, c), join(root, 'inbox', c));

  const killedAt: string[] = [];
  for (let i = 0; i < KILLS; i++) {
    await sleep(300 + rand() * 2500);
    killedAt.push(
      jobRows(config.dataDir)
        .filter((j) => j.state === 'running')
        .map((j) => j.stage ?? 'claim')
        .join('+') || 'idle',
    );
    assert.equal(await daemon.stop('SIGKILL'), 'SIGKILL');
    daemon = new DaemonProcess(file);
    daemon.start();
  }
  console.log(`# killed during: ${killedAt.join(', ')}`);
  const midStage = killedAt.filter((k) => /decode|separate|vad|transcribe|align/.test(k)).length;
  assert.ok(midStage >= 2, `at least some kills land in the middle of a stage (${midStage} of ${KILLS}; seed ${seed})`);

  await waitFor(
    'all jobs done',
    () => {
      const list = jobRows(config.dataDir);
      return list.length === CLIPS.length && list.every((j) => j.state === 'done' || j.state === 'failed');
    },
    300_000,
  );
  const status = await cli(['status', '--json', '--config', file]);
  assert.equal(status.code, 0, status.stderr);
  const jobs = JSON.parse(status.stdout).jobs as { state: string; input: string; outputs: string[] }[];
  await daemon.stop();

  assert.equal(jobs.length, CLIPS.length, 'one job per recording');
  assert.deepEqual(
    jobs.filter((j) => j.state !== 'done').map((j) => j.input),
    [],
    'every job finished',
  );
  const outbox = readdirSync(join(root, 'outbox'));
  const expected = CLIPS.flatMap((c) =>
    ['srt', 'vtt', 'txt', 'json'].map((f) => `${c.replace(/\.[^.]+$/, '')}.${f}`),
  ).sort();
  assert.deepEqual(outbox.sort(), expected, 'exactly the expected outputs: no duplicates, no temp files');
  for (const c of CLIPS) {
    const stem = join(root, 'outbox', c.replace(/\.[^.]+$/, ''));
    assertValidSrt(readFileSync(`${stem}.srt`, 'utf8'));
    assertValidVtt(readFileSync(`${stem}.vtt`, 'utf8'));
    assert.ok(JSON.parse(readFileSync(`${stem}.json`, 'utf8')).segments.length > 0);
  }
  assert.deepEqual(readdirSync(join(root, 'data', 'work')), [], 'work folders of finished jobs are removed');
});
