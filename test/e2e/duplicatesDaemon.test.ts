// End to end with the real daemon and model: the same recording under three names (one Unicode, one in a
// sub-folder, one queued by `dropscribe enqueue`) gives three sets of outputs from one transcription.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CORPUS } from '../helpers/env.js';
import { cli, startTestDaemon, waitFor } from '../helpers/daemonProcess.js';
import { assertValidSrt, assertValidVtt } from '../helpers/subtitles.js';

const FORMATS = ['srt', 'vtt', 'txt', 'json'];

test('one recording dropped under three names: three sets of outputs, one transcription, three jobs in status', async () => {
  const { inbox, outbox, config, configFile, daemon } = await startTestDaemon({
    job: { model: 'tiny.en', speakers: 'off' },
  });
  const clip = join(CORPUS, 'en_cmu_arctic_a0024.wav');
  const stems = ['interview', '日本語 テスト', join('talks', 'interview')];

  // Two names at once: one becomes the job, the other waits for it.
  copyFileSync(clip, join(inbox, 'interview.wav'));
  copyFileSync(clip, join(inbox, '日本語 テスト.wav'));
  await waitFor(
    'the first two sets of outputs',
    () => stems.slice(0, 2).every((s) => existsSync(join(outbox, `${s}.json`))),
    180_000,
  ).catch(daemon.fail);
  // A third name after the job is done, queued the Hazel way: exit 3 (duplicate), and its outputs still appear.
  mkdirSync(join(inbox, 'talks'));
  copyFileSync(clip, join(inbox, 'talks', 'interview.wav'));
  const enqueued = await cli(['enqueue', join(inbox, 'talks', 'interview.wav'), '--config', configFile]);
  assert.equal(enqueued.code, 3, enqueued.stdout + enqueued.stderr);
  await waitFor('the third set of outputs', () => existsSync(join(outbox, 'talks', 'interview.json')), 30_000).catch(
    daemon.fail,
  );

  const status = await cli(['status', '--json', '--config', configFile]);
  const text = await cli(['status', '--config', configFile]);
  await daemon.stop();

  const txt = readFileSync(join(outbox, 'interview.txt'), 'utf8');
  assert.match(txt, /reports from the north/i);
  for (const stem of stems) {
    for (const f of FORMATS) assert.ok(existsSync(join(outbox, `${stem}.${f}`)), `${stem}.${f}`);
    assertValidSrt(readFileSync(join(outbox, `${stem}.srt`), 'utf8'));
    assertValidVtt(readFileSync(join(outbox, `${stem}.vtt`), 'utf8'));
    assert.equal(readFileSync(join(outbox, `${stem}.txt`), 'utf8'), txt, 'the same words under every name');
    assert.equal(
      JSON.parse(readFileSync(join(outbox, `${stem}.json`), 'utf8')).source,
      `${stem}.wav`,
      'each JSON names its own file',
    );
  }

  const jobs = JSON.parse(status.stdout).jobs as {
    id: number;
    input: string;
    state: string;
    duplicateOf: number | null;
    outputs: string[];
  }[];
  assert.equal(jobs.length, 3, 'three jobs');
  assert.ok(
    jobs.every((j) => j.state === 'done' && j.outputs.length === 4),
    JSON.stringify(jobs),
  );
  const originals = jobs.filter((j) => j.duplicateOf === null);
  assert.equal(originals.length, 1);
  assert.ok(jobs.filter((j) => j.duplicateOf !== null).every((j) => j.duplicateOf === originals[0]!.id));
  assert.equal(text.stdout.match(new RegExp(`duplicate of #${originals[0]!.id}\\b`, 'g'))?.length, 2, text.stdout);

  const db = new Database(join(config.dataDir, 'jobs.db'), { readonly: true });
  const runs = db.prepare(`SELECT job_id AS jobId, stage, outcome FROM stage_runs`).all() as {
    jobId: number;
    stage: string;
    outcome: string;
  }[];
  db.close();
  assert.equal(runs.filter((r) => r.stage === 'transcribe' && r.outcome === 'ok').length, 1, 'one transcription');
  assert.ok(
    runs.every((r) => r.jobId === originals[0]!.id),
    'no stage ran for a duplicate',
  );
});
