import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Intake, isDataless, type RefusedInput } from '../../../src/intake/intake.js';
import { silentLogger } from '../../../src/platform/log.js';
import { LocalJobSource } from '../../../src/queue/localSource.js';
import { CORPUS, tempDir, testConfig } from '../../helpers/env.js';
import { tempStore } from '../../helpers/store.js';

function setup() {
  const config = testConfig({ stability: { quietMs: 400, pollMs: 50, rescanMinutes: 10 } });
  const inbox = config.inboxes[0]!;
  mkdirSync(inbox, { recursive: true });
  let now = Date.UTC(2030, 0, 1);
  const clock = {
    advance: (ms: number) => {
      now += ms;
    },
  };
  const jobs = tempStore(() => now);
  let queued = 0;
  const refused: RefusedInput[] = [];
  const source = new LocalJobSource({ jobs, outbox: config.outbox, log: silentLogger, owner: 'test:1', leaseMs: 1000 });
  const intake = new Intake({
    config,
    source,
    refusals: jobs.refusals,
    log: silentLogger,
    onQueued: () => queued++,
    onRefused: (r) => refused.push(r),
    now: () => now, // the store's clock too: one fake clock drives both
  });
  return { config, inbox, jobs, intake, refused, clock, queued: () => queued };
}

test('a file still growing is queued only after it stays unchanged for the quiet period, once', async () => {
  const { inbox, intake, jobs, queued, clock, config } = setup();
  const quiet = config.stability.quietMs;
  const file = join(inbox, 'growing.wav');
  writeFileSync(file, 'a');
  intake.consider(file);
  for (let i = 0; i < 8; i++) {
    clock.advance(quiet - 1);
    appendFileSync(file, 'more bytes');
    await intake.poll();
  }
  assert.equal(jobs.list().length, 0, 'not queued while being written');
  clock.advance(quiet - 1);
  await intake.poll();
  assert.equal(jobs.list().length, 0, 'not queued before the quiet period is over');
  clock.advance(1);
  await intake.poll();
  intake.consider(file); // a late duplicate event
  clock.advance(quiet);
  await intake.poll();
  assert.equal(jobs.list().length, 1);
  assert.equal(jobs.list()[0]!.size, 1 + 8 * 'more bytes'.length);
  assert.equal(queued(), 1);
});

test('same content under two names is one original and a duplicate with its own outputs; outputs mirror sub-folders; name clashes get the extension', async () => {
  const { inbox, intake, jobs, config, queued } = setup();
  mkdirSync(join(inbox, 'es'));
  writeFileSync(join(inbox, 'es', 'a.mp3'), 'content-1');
  writeFileSync(join(inbox, 'es', 'copy.mp3'), 'content-1');
  writeFileSync(join(inbox, 'es', 'a.wav'), 'content-2');
  writeFileSync(join(inbox, 'es', 'a.m4a'), 'content-1');
  assert.equal(await intake.admit(join(inbox, 'es', 'a.mp3')), 'queued');
  assert.equal(await intake.admit(join(inbox, 'es', 'copy.mp3')), 'duplicate');
  assert.equal(await intake.admit(join(inbox, 'es', 'a.mp3')), 'known');
  assert.equal(await intake.admit(join(inbox, 'es', 'copy.mp3')), 'known');
  assert.equal(await intake.admit(join(inbox, 'es', 'a.wav')), 'queued');
  assert.equal(await intake.admit(join(inbox, 'es', 'a.m4a')), 'duplicate');
  assert.equal(queued(), 4, 'the daemon is woken for duplicates too: it publishes them');
  const stems = jobs
    .list()
    .map((j) => [j.relPath, j.outputStem.slice(config.outbox.length + 1), j.duplicateOf !== null])
    .sort();
  assert.deepEqual(stems, [
    [join('es', 'a.m4a'), join('es', 'a.m4a'), true],
    [join('es', 'a.mp3'), join('es', 'a'), false],
    [join('es', 'a.wav'), join('es', 'a.wav'), false],
    [join('es', 'copy.mp3'), join('es', 'copy'), true],
  ]);
});

test('a re-saved file cancels the job of its old content and keeps the same outputs', async () => {
  const { inbox, intake, jobs } = setup();
  const file = join(inbox, 'talk.m4a');
  writeFileSync(file, 'version 1');
  await intake.admit(file);
  writeFileSync(file, 'version 2, longer');
  assert.equal(await intake.admit(file), 'queued');
  const [newer, older] = jobs.list();
  assert.equal(older!.state, 'canceled');
  assert.equal(newer!.outputStem, older!.outputStem);
});

test('symlinks out of the inbox, folders named like recordings and paths outside inboxes are refused, never read, once', async () => {
  const { inbox, intake, jobs, refused, config } = setup();
  const outside = join(tempDir(), 'secret.wav');
  writeFileSync(outside, 'do not read me');
  symlinkSync(outside, join(inbox, 'link.wav'));
  mkdirSync(join(inbox, 'folder.mp3'));
  assert.equal(await intake.admit(join(inbox, 'link.wav')), 'refused');
  assert.equal(await intake.admit(join(inbox, 'folder.mp3')), 'refused');
  assert.equal(await intake.admit(outside), 'refused');
  assert.equal(jobs.list().length, 0, 'a refused input is not a job');
  const rows = jobs.refusals.list();
  assert.deepEqual(
    rows.map((r) => r.path).sort(),
    [join(inbox, 'folder.mp3'), join(inbox, 'link.wav'), outside].sort(),
  );
  assert.match(rows.map((r) => r.reason).join('\n'), /points outside the inbox/);
  assert.match(rows.map((r) => r.reason).join('\n'), /is a folder/);
  assert.equal(rows.find((r) => r.path === outside)?.inbox, outside, 'outside every inbox');
  assert.deepEqual(
    refused.map((r) => [r.relPath, r.outputStem]),
    [
      ['link.wav', join(config.outbox, 'link')],
      ['folder.mp3', join(config.outbox, 'folder')],
      ['secret.wav', join(config.outbox, 'secret')],
    ],
    'each report goes where its outputs would have gone',
  );
  assert.equal(await intake.admit(join(inbox, 'link.wav')), 'refused');
  assert.equal(refused.length, 3, 'a refusal is reported once');
  assert.equal(jobs.refusals.list().length, 3);
});

test('a symlink to a file inside the inbox is processed', async () => {
  const { inbox, intake } = setup();
  writeFileSync(join(inbox, 'real.wav'), 'audio');
  symlinkSync(join(inbox, 'real.wav'), join(inbox, 'alias.wav'));
  assert.equal(await intake.admit(join(inbox, 'alias.wav')), 'queued');
});

test('dataless cloud files (size but no blocks) are recognised on macOS only', () => {
  const st = { size: 1000, blocks: 0 } as import('node:fs').Stats;
  assert.equal(isDataless(st, 'darwin'), true);
  assert.equal(isDataless(st, 'linux'), false);
  assert.equal(isDataless({ size: 1000, blocks: 8 } as import('node:fs').Stats, 'darwin'), false);
});

test('a quiet WAV whose header promises more data waits; the rest arriving after a stall makes one job of the whole file', async () => {
  const { inbox, intake, jobs, config, clock } = setup();
  const file = join(inbox, 'stalled.wav');
  const whole = readFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'));
  writeFileSync(file, whole.subarray(0, 20_000));
  intake.consider(file);
  for (let i = 0; i < 3; i++) {
    clock.advance(config.stability.quietMs);
    await intake.poll();
  }
  assert.ok(
    config.stability.quietMs * 3 < config.stability.settleSec * 1000,
    'the stall is shorter than the settle time',
  );
  assert.equal(jobs.list().length, 0, 'not taken during the stall');
  assert.equal(intake.pendingCount, 1);
  appendFileSync(file, whole.subarray(20_000));
  intake.consider(file);
  clock.advance(config.stability.quietMs);
  await intake.poll();
  assert.equal(jobs.list().length, 1);
  assert.equal(jobs.list()[0]!.size, whole.length);
});
