// The openai backend window by window against a real faster-whisper-server on 127.0.0.1: a 12-minute recording in
// windows of at most 120 s of speech with one request at a time survives a kill -9 of the daemon halfway, redoing at
// most the window in flight; a server that stops mid-job leaves the remaining windows to the local backend.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DaemonProcess, startDaemon, startTestDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';
import { freePort, FwsServer, SERVER_MODELS, serverMissing } from '../helpers/fwsServer.js';
import { joinedRecording } from '../helpers/joinedRecording.js';
import { ServerDouble } from '../helpers/serverDouble.js';
import { transcribeRuns } from '../helpers/stageRecords.js';
import { wer } from '../helpers/wer.js';

const JFK = 'jfk.flac';
const LIBRI = 'en_librispeech_1272-128104-0000.wav';
const ARCTIC = 'en_cmu_arctic_a0024.wav';
const SONNET = 'en_librivox_shakespeare_sonnet001.mp3';

const missing = serverMissing();
let server: FwsServer;

// tiny.en on the server keeps the 12 minutes quick on two shared cores; the corpus test serves base.
before(async () => {
  if (!missing) server = await new FwsServer(await freePort(), SERVER_MODELS['tiny.en'], 'tiny.en').start();
});
after(async () => server?.stop());

interface Doc {
  backend: string;
  degraded: string[];
  segments: { text: string }[];
}

/** About 12 minutes: the sonnet and the short clips again and again, 2 s pauses. */
function twelveMinutes(): string[] {
  const round = [SONNET, JFK, LIBRI, ARCTIC, SONNET, JFK, LIBRI];
  return Array.from({ length: 5 }, () => round).flat();
}

test(
  '12 minutes window by window through the server: a kill -9 halfway redoes at most the window in flight',
  {
    skip: missing,
    timeout: 900_000,
  },
  async () => {
    const t = testDaemon({
      job: { backend: 'openai', model: 'tiny.en' },
      windows: { minSpeechSec: 60, maxSpeechSec: 120, prompt: false },
      backends: { openai: { url: server.url, model: 'tiny.en', concurrency: 1, fallback: 'faster-whisper' } },
    });
    const staged = join(t.root, 'long.wav');
    const reference = joinedRecording(twelveMinutes(), 2, staged);
    await startDaemon(t.daemon, t.inbox);
    renameSync(staged, join(t.inbox, 'long.wav'));

    const halfway = await waitFor(
      'half of the windows done',
      () => {
        const ok = transcribeRuns(t.dataDir).filter((r) => r.outcome === 'ok');
        return ok.length >= 3 ? ok : undefined;
      },
      600_000,
      100,
    ).catch(t.daemon.fail);
    assert.equal(await t.daemon.stop('SIGKILL'), 'SIGKILL');
    const before = transcribeRuns(t.dataDir);
    const mark = Math.max(...before.map((r) => r.id));

    const restarted = new DaemonProcess(t.configFile);
    await startDaemon(restarted, t.inbox);
    const outputs = join(t.outbox, 'long.json');
    await waitFor('outputs', () => existsSync(outputs), 600_000).catch(restarted.fail);
    await restarted.stop();

    const all = transcribeRuns(t.dataDir);
    const windows = new Set(all.map((r) => r.unit));
    console.log(`# ${windows.size} windows, ${halfway.length} done before the kill`);
    assert.ok(windows.size >= 5 && halfway.length < windows.size, 'killed with windows left');
    const finished = new Set(before.filter((r) => r.outcome === 'ok').map((r) => r.unit));
    const afterKill = all.filter((r) => r.id > mark);
    assert.deepEqual(
      afterKill.filter((r) => finished.has(r.unit)),
      [],
      'no window finished before the kill runs again',
    );
    const redone = new Set(afterKill.filter((r) => before.some((b) => b.unit === r.unit)).map((r) => r.unit));
    assert.ok(redone.size <= 1, `at most the window in flight is redone: ${[...redone].join(', ')}`);
    assert.ok(
      all.every((r) => r.backend === 'openai'),
      'every window went to the server',
    );
    const doc = JSON.parse(readFileSync(outputs, 'utf8')) as Doc;
    assert.equal(doc.backend, 'openai');
    assert.ok(wer(reference, doc.segments.map((s) => s.text).join(' ')) <= 0.25);
  },
);

test(
  'the server stopped mid-job: the remaining windows run locally and the job is done, degraded with the reason',
  {
    skip: missing,
    timeout: 600_000,
  },
  async () => {
    const double = await new ServerDouble(server.url, { downAfter: 2 }).start();
    const t = await startTestDaemon({
      job: { backend: 'openai', model: 'tiny.en' },
      windows: { minSpeechSec: 3, maxSpeechSec: 9, workers: 1, prompt: false },
      backends: { openai: { url: double.url, model: 'tiny.en', concurrency: 1, fallback: 'faster-whisper' } },
    });
    const staged = join(t.root, 'five.wav');
    const reference = joinedRecording([JFK, LIBRI, ARCTIC, JFK, LIBRI], 3, staged);
    renameSync(staged, join(t.inbox, 'five.wav'));
    const outputs = join(t.outbox, 'five.json');
    await waitFor('outputs', () => existsSync(outputs), 480_000).catch(t.daemon.fail);
    await t.daemon.stop();

    const runs = transcribeRuns(t.dataDir);
    const ok = runs.filter((r) => r.outcome === 'ok');
    assert.deepEqual(
      ok.map((r) => [r.unit, r.backend]),
      [
        ['w000', 'openai'],
        ['w001', 'openai'],
        ['w002', 'faster-whisper'],
        ['w003', 'faster-whisper'],
        ['w004', 'faster-whisper'],
      ],
    );
    const askedAfterDown = runs.filter((r) => r.backend === 'openai' && r.unit !== 'w002' && r.outcome !== 'ok');
    assert.deepEqual(askedAfterDown, [], 'after the window it failed, the server is not asked again');
    const doc = JSON.parse(readFileSync(outputs, 'utf8')) as Doc;
    assert.equal(doc.degraded.length, 1, doc.degraded.join('\n'));
    assert.match(doc.degraded[0]!, /window 3: the openai backend failed \(temporary: cannot reach the server/);
    assert.match(doc.degraded[0]!, /fell back to faster-whisper/);
    assert.ok(wer(reference, doc.segments.map((s) => s.text).join(' ')) <= 0.25);
  },
);
