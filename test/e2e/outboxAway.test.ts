// The outbox goes away and comes back: its folder renamed away (a volume unmounted) across a restart, read-only,
// full. Each job waits as `waiting for outbox` with the reason in `status`, the outbox is never created again (nor
// any folder above it), and the job publishes as soon as the outbox is back, without transcribing again.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CORPUS, tempDir } from '../helpers/env.js';
import { cli, DaemonProcess, startDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';
import { cannotMount, fill, remount, tmpfs } from '../helpers/tmpfs.js';

interface JobJson {
  id: number;
  state: string;
  outputs: string[];
  waiting: { for: string; reason: string } | null;
}

async function jobsOf(configFile: string): Promise<JobJson[]> {
  const r = await cli(['status', '--json', '--config', configFile]);
  return r.code === 0 ? (JSON.parse(r.stdout) as { jobs: JobJson[] }).jobs : [];
}

function waitingFor(configFile: string, id: number, reason: RegExp) {
  return waitFor(
    `job ${id} waiting for the outbox (${reason})`,
    async () => {
      const job = (await jobsOf(configFile)).find((j) => j.id === id);
      return job?.waiting?.for === 'outbox' && reason.test(job.waiting.reason) ? job : undefined;
    },
    120_000,
  );
}

function transcribeRuns(dataDir: string): number {
  const db = new Database(join(dataDir, 'jobs.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM stage_runs WHERE stage = 'transcribe'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test(
  'an outbox whose volume went away is waited for across a restart, never created again, and published to once back',
  { timeout: 300_000 },
  async (ctx) => {
    const volume = join(tempDir(), 'Volumes', 'Drive');
    mkdirSync(volume, { recursive: true }); // the folder above the outbox exists at start
    const outbox = join(volume, 'outbox');
    const t = testDaemon({ job: { model: 'tiny.en', speakers: 'off' }, outbox });
    copyFileSync(join(CORPUS, 'jfk.flac'), join(t.root, 'staged.flac'));
    let daemon = t.daemon;
    await startDaemon(daemon, t.inbox);
    await waitFor('the outbox made at start', () => existsSync(outbox), 30_000).catch(daemon.fail);

    renameSync(volume, `${volume}-away`); // the drive is unplugged
    renameSync(join(t.root, 'staged.flac'), join(t.inbox, 'jfk.flac'));
    const waiting = await waitingFor(t.configFile, 1, /not there/).catch(daemon.fail);
    assert.equal(waiting.state, 'queued');
    const text = await cli(['status', '--config', t.configFile]);
    assert.match(
      text.stdout,
      /#1 {2}waiting for outbox {2}jfk\.flac\n {6}waiting for outbox: the outbox folder .* is not there/,
    );
    assert.equal(existsSync(volume), false, 'nothing created where the drive comes back');

    assert.equal(await daemon.stop(), 0);
    daemon = new DaemonProcess(t.configFile);
    await startDaemon(daemon, t.inbox);
    await waitingFor(t.configFile, 1, /not there/).catch(daemon.fail);
    assert.equal(existsSync(volume), false, 'a restart does not create it either');

    renameSync(`${volume}-away`, volume); // plugged in again
    const txt = join(outbox, 'jfk.txt');
    const back = Date.now();
    await waitFor('the outputs on the drive', () => existsSync(txt), 60_000).catch(daemon.fail);
    const publishSec = (Date.now() - back) / 1000;
    assert.ok(publishSec < 15, `published ${publishSec.toFixed(1)} s after the outbox came back`);
    ctx.diagnostic(`published ${publishSec.toFixed(1)} s after the outbox came back`);
    await daemon.stop();
    assert.equal(transcribeRuns(t.dataDir), 1, 'transcribed once: the wait reused the finished stages');
  },
);

test(
  'a read-only outbox and a full one: the job waits with the reason, and publishes when the outbox is writable again',
  { timeout: 300_000, skip: cannotMount() },
  async () => {
    const outbox = tmpfs('outbox', 4);
    const t = testDaemon({ job: { model: 'tiny.en', speakers: 'off' }, outbox });
    await startDaemon(t.daemon, t.inbox);

    remount(outbox, 'ro');
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(t.inbox, 'arctic.wav'));
    await waitingFor(t.configFile, 1, /read-only/).catch(t.daemon.fail);
    remount(outbox, 'rw');
    await waitFor('published once writable', () => existsSync(join(outbox, 'arctic.txt')), 60_000).catch(t.daemon.fail);

    const filler = fill(outbox);
    copyFileSync(join(CORPUS, 'en_librispeech_1272-128104-0000.wav'), join(t.inbox, 'libri.wav'));
    await waitingFor(t.configFile, 2, /the disk is full where the outbox .* is/).catch(t.daemon.fail);
    rmSync(filler);
    await waitFor('published once there is space', () => existsSync(join(outbox, 'libri.txt')), 60_000).catch(
      t.daemon.fail,
    );
    await t.daemon.stop();
    const jobs = await jobsOf(t.configFile);
    assert.deepEqual(
      jobs.map((j) => [j.id, j.state, j.waiting]),
      [
        [2, 'done', null],
        [1, 'done', null],
      ],
    );
  },
);
