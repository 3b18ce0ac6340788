// The daemon's lifecycle: graceful SIGTERM requeues a running stage, one daemon per data folder, a damaged
// database is detected with a recovery path, an unusable outbox is retried, cancel stops a running job.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { CORPUS, FAKE_MODULES_PATH, tempDir, testConfig } from '../helpers/env.js';
import { cli, DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { readJobsDb } from '../helpers/jobsDb.js';

/** The lifecycle is not about the model or speakers: the small bundled model, no speaker labelling, unless `job` says. */
function setup(job: Record<string, unknown> = {}) {
  const root = tempDir();
  const config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
    job: { model: 'tiny.en', speakers: 'off', ...job },
  });
  const file = writeConfigFile(config, root);
  return { root, config, file, inbox: join(root, 'inbox'), outbox: join(root, 'outbox') };
}

async function statusJobs(configFile: string) {
  const r = await cli(['status', '--json', '--config', configFile]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).jobs as {
    id: number;
    state: string;
    stage: string | null;
    error: string | null;
    outputs: string[];
  }[];
}

/** The jobs' state and stage read from the database in this process: a wait that polls `status` would start a node
 *  process four times a second, taking a core from the daemon it waits for. What is asserted still goes through `status`. */
function jobRows(dataDir: string) {
  return readJobsDb<{ id: number; state: string; stage: string | null }>(
    dataDir,
    'SELECT id, state, stage FROM jobs ORDER BY id',
  );
}

describe('daemon lifecycle', () => {
  test('SIGTERM during a running stage stops it, requeues the job and exits quickly; the next start finishes it', async () => {
    const s = setup({ backend: 'mlx' });
    const env = { PYTHONPATH: FAKE_MODULES_PATH, FAKE_MLX_MODE: 'sleep' };
    const d1 = new DaemonProcess(s.file, env);
    d1.start();
    await waitFor('inbox', () => existsSync(s.inbox), 30_000);
    copyFileSync(join(CORPUS, 'jfk.flac'), join(s.inbox, 'jfk.flac'));
    await waitFor('transcribe stage running', () => jobRows(s.config.dataDir)[0]?.stage === 'transcribe', 60_000);
    await sleep(500);
    const t0 = Date.now();
    assert.equal(await d1.stop('SIGTERM'), 0);
    assert.ok(Date.now() - t0 < 10_000, 'well inside ExitTimeOut');
    const [job] = await statusJobs(s.file);
    assert.equal(job!.state, 'queued');
    assert.ok(!existsSync(join(s.config.dataDir, 'daemon.pid')), 'lock released');

    const d2 = new DaemonProcess(s.file, { PYTHONPATH: FAKE_MODULES_PATH, FAKE_MLX_MODE: 'ok' });
    d2.start();
    await waitFor('job done', () => jobRows(s.config.dataDir)[0]?.state === 'done', 120_000);
    assert.equal((await statusJobs(s.file))[0]?.state, 'done');
    await d2.stop();
    assert.deepEqual(readdirSync(s.outbox).sort(), ['jfk.json', 'jfk.srt', 'jfk.txt', 'jfk.vtt']);
  });

  test('a second daemon on the same data folder refuses to start, in one clear line', async () => {
    const s = setup();
    const d1 = new DaemonProcess(s.file);
    d1.start();
    await waitFor('lock', () => existsSync(join(s.config.dataDir, 'daemon.pid')), 30_000);
    const second = await cli(['start', '--config', s.file]);
    assert.equal(second.code, 75);
    assert.match(second.stderr, /another dropscribe daemon \(pid \d+\) already uses/);
    await d1.stop();
  });

  test('a damaged database is detected at start-up and restore-db brings back the backup', async () => {
    const s = setup();
    const d1 = new DaemonProcess(s.file);
    d1.start();
    await waitFor(
      'backup',
      () => existsSync(join(s.config.dataDir, 'backups')) && readdirSync(join(s.config.dataDir, 'backups')).length > 0,
      30_000,
    );
    await d1.stop();
    const dbFile = join(s.config.dataDir, 'jobs.db');
    writeFileSync(dbFile, Buffer.alloc(8192, 0x42));
    const broken = await cli(['start', '--config', s.file]);
    assert.equal(broken.code, 75);
    assert.match(broken.stderr, /damaged or unreadable.*dropscribe restore-db/);
    const restored = await cli(['restore-db', '--config', s.file]);
    assert.equal(restored.code, 0, restored.stderr);
    const db = new Database(dbFile, { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
    assert.ok(
      readdirSync(s.config.dataDir).some((f) => f.startsWith('jobs.db.damaged-')),
      'the damaged file is kept aside',
    );
  });

  test('a database locked by another process is reported at start-up in one clear line', async () => {
    const s = setup();
    mkdirSync(s.config.dataDir, { recursive: true });
    const holder = new Database(join(s.config.dataDir, 'jobs.db'));
    holder.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
    try {
      const r = await cli(['start', '--config', s.file]);
      assert.equal(r.code, 75);
      assert.match(r.stderr, /^dropscribe: the job database .* is locked by another process/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  test('an outbox that cannot be written is retried, and the job completes once it is fixed', async () => {
    const s = setup();
    mkdirSync(join(s.root), { recursive: true });
    writeFileSync(s.outbox, 'a file where the outbox folder should be');
    const d = new DaemonProcess(s.file);
    d.start();
    await waitFor('inbox', () => existsSync(s.inbox), 30_000);
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(s.inbox, 'arctic.wav'));
    await waitFor('publish failure', () => d.output.includes('could not publish; waiting for the outbox'), 60_000);
    const [job] = await statusJobs(s.file);
    assert.equal(job!.state, 'queued');
    assert.match(job!.error ?? '', /waiting for outbox: .* is not a folder/);
    rmSync(s.outbox);
    mkdirSync(s.outbox);
    await waitFor('job done', () => jobRows(s.config.dataDir)[0]?.state === 'done', 60_000);
    assert.equal((await statusJobs(s.file))[0]?.state, 'done');
    assert.equal(d.output.includes('job failed'), false, 'it was a retry, not a failure');
    await d.stop();
  });

  test('cancel stops a running job and removes its work files', async () => {
    const s = setup({ backend: 'mlx' });
    const d = new DaemonProcess(s.file, { PYTHONPATH: FAKE_MODULES_PATH, FAKE_MLX_MODE: 'sleep' });
    d.start();
    await waitFor('inbox', () => existsSync(s.inbox), 30_000);
    copyFileSync(join(CORPUS, 'jfk.flac'), join(s.inbox, 'jfk.flac'));
    const job = await waitFor('running', () => jobRows(s.config.dataDir).find((j) => j.stage === 'transcribe'), 60_000);
    const r = await cli(['cancel', String(job.id), '--config', s.file]);
    assert.match(r.stdout, /will stop within seconds/);
    await waitFor('canceled', () => jobRows(s.config.dataDir)[0]?.state === 'canceled', 20_000);
    assert.equal((await statusJobs(s.file))[0]?.state, 'canceled');
    await waitFor('work removed', () => !existsSync(join(s.config.dataDir, 'work', String(job.id))), 5000);
    await d.stop();
    assert.deepEqual(readdirSync(s.outbox), []);
  });
});

describe('daemon under faults', () => {
  test('a model that cannot be loaded fails its job with a report saying how to fix it; the next file still works', async () => {
    const s = setup();
    const config = JSON.parse(readFileSync(s.file, 'utf8'));
    config.rules = [{ folder: 'big', model: 'large-v3' }];
    writeFileSync(s.file, JSON.stringify(config));
    const d = new DaemonProcess(s.file);
    d.start();
    await waitFor('inbox', () => existsSync(s.inbox), 30_000);
    mkdirSync(join(s.inbox, 'big'));
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(s.inbox, 'big', 'arctic.wav'));
    const report = join(s.outbox, 'big', 'arctic.error.txt');
    await waitFor('error report', () => existsSync(report), 60_000);
    const text = readFileSync(report, 'utf8');
    assert.match(text, /cannot load faster-whisper model 'large-v3'/);
    assert.match(text, /stage:\s+transcribe \(backend faster-whisper, model large-v3\)/);
    assert.match(text, /kind: config/);
    copyFileSync(join(CORPUS, 'jfk.flac'), join(s.inbox, 'jfk.flac'));
    await waitFor('next job done', () => existsSync(join(s.outbox, 'jfk.json')), 60_000);
    await d.stop();
  });

  test('low disk space pauses intake (and status says so); files wait in the inbox', async () => {
    const s = setup();
    const config = JSON.parse(readFileSync(s.file, 'utf8'));
    config.housekeeping.minFreeDiskMb = 1e12;
    writeFileSync(s.file, JSON.stringify(config));
    const d = new DaemonProcess(s.file);
    d.start();
    await waitFor('paused', () => d.output.includes('intake paused'), 30_000);
    copyFileSync(join(CORPUS, 'jfk.flac'), join(s.inbox, 'jfk.flac'));
    await sleep(2500);
    assert.deepEqual(await statusJobs(s.file), []);
    const text = await cli(['status', '--config', s.file]);
    assert.match(text.stdout, /intake: PAUSED/);
    await d.stop();
  });

  test('a full outbox disk is retried until there is room again', async (t) => {
    const s = setup();
    mkdirSync(s.outbox, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', s.outbox], { stdio: 'ignore' });
    } catch {
      t.skip('cannot mount a small tmpfs here');
      return;
    }
    try {
      writeFileSync(join(s.outbox, 'filler.bin'), Buffer.alloc(60 * 1024));
      const d = new DaemonProcess(s.file);
      d.start();
      await waitFor('inbox', () => existsSync(s.inbox), 30_000);
      copyFileSync(join(CORPUS, 'en_librivox_shakespeare_sonnet001.mp3'), join(s.inbox, 'sonnet.mp3'));
      await waitFor('ENOSPC retry', () => d.output.includes('the disk is full'), 90_000);
      assert.deepEqual(readdirSync(s.outbox), ['filler.bin'], 'no half-written or temp file left on the full disk');
      rmSync(join(s.outbox, 'filler.bin'));
      await waitFor('job done', () => jobRows(s.config.dataDir)[0]?.state === 'done', 90_000);
      assert.equal((await statusJobs(s.file))[0]?.state, 'done');
      assert.deepEqual(readdirSync(s.outbox).sort(), ['sonnet.json', 'sonnet.srt', 'sonnet.txt', 'sonnet.vtt']);
      await d.stop();
    } finally {
      execFileSync('umount', [s.outbox]);
    }
  });
});
