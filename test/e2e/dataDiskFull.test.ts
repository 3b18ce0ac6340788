// The data folder's disk fills up (a small tmpfs as the data folder): first before a job's decode can write, then in
// the middle of its transcription. The job waits for space instead of failing, intake pauses (a file dropped meanwhile
// waits in the inbox), the job database stays sound (PRAGMA integrity_check), and everything finishes once there is
// space again.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CORPUS } from '../helpers/env.js';
import { cli, startDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';
import { cannotMount, fill, tmpfs } from '../helpers/tmpfs.js';

interface Status {
  daemon: { live: { intakePaused?: boolean } | null };
  jobs: {
    id: number;
    state: string;
    stage: string | null;
    progress: number;
    waiting: { for: string; reason: string } | null;
  }[];
}

async function status(configFile: string): Promise<Status | undefined> {
  const r = await cli(['status', '--json', '--config', configFile]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Status) : undefined;
}

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, 'jobs.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

test(
  'a full data disk: the job waits for space, intake pauses, the database stays sound, work resumes with space',
  { timeout: 300_000, skip: cannotMount() },
  async (ctx) => {
    const dataDir = tmpfs('data', 48);
    const t = testDaemon({ job: { model: 'tiny.en' }, dataDir });
    await startDaemon(t.daemon, t.inbox);
    await waitFor('the job database', () => existsSync(join(dataDir, 'jobs.db')), 30_000).catch(t.daemon.fail);

    // 1. Too little room for the decoded audio (53 s = 1.7 MB): decode meets ENOSPC.
    const fillerA = fill(dataDir, 'filler-a', 400);
    copyFileSync(join(CORPUS, 'en_librivox_shakespeare_sonnet001.mp3'), join(t.inbox, 'sonnet.mp3'));
    const full = await waitFor(
      'the job waiting for disk space, intake paused',
      async () => {
        const s = await status(t.configFile);
        const job = s?.jobs.find((j) => j.id === 1);
        return job?.waiting?.for === 'disk space' && s?.daemon.live?.intakePaused ? job : undefined;
      },
      120_000,
    ).catch(t.daemon.fail);
    assert.match(full.waiting!.reason, /the disk of the data folder .* is full .*Free some space/);
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(t.inbox, 'arctic.wav'));
    await sleep(3000);
    assert.deepEqual(
      (await status(t.configFile))!.jobs.map((j) => j.id),
      [1],
      'a file dropped while the disk is full waits in the inbox',
    );
    assert.equal(integrity(dataDir), 'ok');

    // 2. Space back; then the disk fills up completely in the middle of the transcription.
    rmSync(fillerA);
    await waitFor(
      'the transcription under way',
      async () => (await status(t.configFile))?.jobs.find((j) => j.id === 1 && j.stage === 'transcribe'),
      120_000,
      100,
    ).catch(t.daemon.fail);
    const fillerB = fill(dataDir, 'filler-b');
    await waitFor(
      'the full disk noticed',
      () => /the disk is full: intake paused/.test(t.daemon.output.split('disk space is back').pop()!),
      120_000,
    ).catch(t.daemon.fail);
    await sleep(2000);
    assert.ok(!(await status(t.configFile))?.jobs.some((j) => j.state === 'failed'), 'nothing fails for a full disk');

    // 3. Space back: both recordings are transcribed.
    rmSync(fillerB);
    const back = Date.now();
    await waitFor(
      'both transcripts',
      () => existsSync(join(t.outbox, 'sonnet.txt')) && existsSync(join(t.outbox, 'arctic.txt')),
      180_000,
    ).catch(t.daemon.fail);
    ctx.diagnostic(`both transcripts ${((Date.now() - back) / 1000).toFixed(1)} s after space came back`);
    ctx.diagnostic(
      `while full: ${t.daemon.output.match(/"msg":"(the disk is full[^"]*|could not record the end of the job)"/g)?.join(', ')}`,
    );
    await t.daemon.stop();
    const end = (await status(t.configFile))!;
    assert.deepEqual(
      end.jobs.map((j) => [j.id, j.state]),
      [
        [2, 'done'],
        [1, 'done'],
      ],
    );
    assert.equal(integrity(dataDir), 'ok');
  },
);
