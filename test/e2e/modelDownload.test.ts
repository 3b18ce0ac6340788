// First use of a model that is not bundled, against a Hugging Face hub on 127.0.0.1 (HF_ENDPOINT) serving a copy of
// `base`: one download for two jobs, progress in `status` and the log, resumed after a dropped connection and after
// a kill -9 of the daemon (Range requests, no restart from zero); without a network the job fails fast with the fix.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CORPUS, corpus, tempDir } from '../helpers/env.js';
import { cli, startTestDaemon, waitFor, type TestDaemon } from '../helpers/daemonProcess.js';
import { closedPort, startHub, TEST_REPO } from '../helpers/hubServer.js';
import { wer } from '../helpers/wer.js';

const CLIPS = ['jfk.flac', 'en_librispeech_1272-128104-0000.wav'];

/** A daemon that may download, into its own models folder, from `endpoint`. */
function downloadingDaemon(endpoint: string): Promise<TestDaemon> {
  return startTestDaemon(
    { job: { model: TEST_REPO, vad: false }, jobs: { concurrency: 2 } },
    { HF_HUB_OFFLINE: '0', HF_ENDPOINT: endpoint, DROPSCRIBE_MODELS_DIR: tempDir() },
  );
}

interface StatusJob {
  state: string;
  stage: string | null;
  error: string | null;
}

async function statusJobs(t: TestDaemon): Promise<StatusJob[]> {
  const r = await cli(['status', '--json', '--config', t.configFile]);
  return r.code === 0 ? (JSON.parse(r.stdout) as { jobs: StatusJob[] }).jobs : [];
}

function transcribeAttempts(t: TestDaemon): number {
  const db = new Database(join(t.dataDir, 'jobs.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM stage_runs WHERE stage = 'transcribe'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function assertTranscribed(t: TestDaemon, clip: string): void {
  const stem = clip.replace(/\.[^.]+$/, '');
  const entry = corpus().find((c) => c.file === clip)!;
  const doc = JSON.parse(readFileSync(join(t.outbox, `${stem}.json`), 'utf8')) as {
    model: string;
    segments: { text: string }[];
  };
  assert.equal(doc.model, TEST_REPO);
  assert.ok(wer(entry.reference, doc.segments.map((s) => s.text).join(' ')) <= 0.15);
}

test('a connection dropped halfway: one download for two jobs, resumed, with progress in status', async () => {
  const hub = await startHub({ dropAt: 0.5, bytesPerSec: 40e6 });
  const t = await downloadingDaemon(hub.endpoint);
  try {
    for (const clip of CLIPS) copyFileSync(join(CORPUS, clip), join(t.inbox, clip));
    const shown = await waitFor(
      'download progress in status',
      async () => (await statusJobs(t)).find((j) => j.stage?.includes('downloading model'))?.stage ?? undefined,
      120_000,
      200,
    ).catch(t.daemon.fail);
    assert.match(shown, /downloading model dropscribe-test\/whisper-base-copy: [\d.]+ of 150\.2 MB, [\d.]+ MB\/s/);
    const outputs = CLIPS.map((c) => join(t.outbox, `${c.replace(/\.[^.]+$/, '')}.json`));
    await waitFor('both jobs done', () => outputs.every((o) => existsSync(o)), 240_000).catch(t.daemon.fail);
    CLIPS.forEach((c) => assertTranscribed(t, c));
    const model = hub.served.filter((s) => s.file === 'model.bin');
    assert.equal(model[0]!.start, 0);
    assert.ok(model.length >= 2 && model[1]!.start >= hub.modelBytes * 0.4, 'the rest was asked for with Range');
    const sent = model.reduce((n, s) => n + s.sent, 0);
    assert.ok(sent < hub.modelBytes * 1.05, `one download for both jobs: ${sent} bytes for ${hub.modelBytes}`);
    assert.match(t.daemon.output, /downloading model dropscribe-test\/whisper-base-copy/);
  } finally {
    await t.daemon.stop();
    await hub.close();
  }
});

test('a slow hub and a kill -9 of the daemon: the restart continues the download', async () => {
  const hub = await startHub({ bytesPerSec: 15e6 });
  const t = await downloadingDaemon(hub.endpoint);
  try {
    copyFileSync(join(CORPUS, CLIPS[0]!), join(t.inbox, CLIPS[0]!));
    const model = () => hub.served.filter((s) => s.file === 'model.bin');
    await waitFor('40% of model.bin sent', () => model()[0] && model()[0]!.sent > hub.modelBytes * 0.4, 120_000, 50);
    assert.equal(await t.daemon.stop('SIGKILL'), 'SIGKILL');
    const killedAt = model()[0]!.sent;
    const restarted = Date.now();
    t.daemon.start();
    const resumed = await waitFor('a ranged request after the restart', () => model()[1], 60_000, 50);
    await waitFor('outputs', () => existsSync(join(t.outbox, 'jfk.json')), 240_000).catch(t.daemon.fail);
    assertTranscribed(t, CLIPS[0]!);
    // The restart asks for what its partial file lacks. Sent is not received: what the socket buffers held and the
    // chunk not yet written died with the stage (several MB when the machine is loaded), so no tight bound on that.
    assert.ok(
      resumed.start >= hub.modelBytes * 0.3 && resumed.start <= killedAt,
      `resumed at ${resumed.start}, ${killedAt} sent before (40% was ${hub.modelBytes * 0.4})`,
    );
    const sent = model().reduce((n, s) => n + s.sent, 0);
    assert.ok(sent < hub.modelBytes * 1.1, `no restart from zero: ${sent} bytes for ${hub.modelBytes}`);
    console.log(`# resumed ${((resumed.at - restarted) / 1000).toFixed(1)} s after the restart, at ${resumed.start}`);
  } finally {
    await t.daemon.stop();
    await hub.close();
  }
});

test('no network: the job fails fast, saying to use a bundled model or a folder', async () => {
  const t = await downloadingDaemon(`http://127.0.0.1:${await closedPort()}`);
  try {
    const dropped = Date.now();
    copyFileSync(join(CORPUS, CLIPS[0]!), join(t.inbox, CLIPS[0]!));
    const failed = await waitFor(
      'the job failed',
      async () => (await statusJobs(t)).find((j) => j.state === 'failed'),
      60_000,
      200,
    ).catch(t.daemon.fail);
    assert.ok(Date.now() - dropped < 30_000, 'fails in seconds, not after retries');
    assert.match(failed.error ?? '', /cannot be reached/);
    assert.match(failed.error ?? '', /bundled model/);
    assert.match(failed.error ?? '', /folder/);
    assert.equal(transcribeAttempts(t), 1, 'a missing network is not retried');
  } finally {
    await t.daemon.stop();
  }
});
