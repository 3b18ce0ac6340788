// The real mlx-whisper (MLX's CPU backend on OpenBLAS, in python/.venv of a Linux clone) through the real daemon,
// beside faster-whisper with beam 1 on the same bundled weights: corpus clips in English, French and German give the
// same language, word error rates within 0.02 and word timings within 0.05 s median / 0.2 s max. The MLX stage blocks
// in one transcribe() call for seconds while the stall watchdog allows 3 s: its heartbeats flow from their thread.
// MLX missing from the environment, or its model not there offline: the job runs on faster-whisper and says why.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { corpus, CORPUS, NO_MLX_PATH, tempDir } from '../helpers/env.js';
import { BASE_FOLDER, startHub, TEST_REPO } from '../helpers/hubServer.js';
import { PYTHON_DIR } from '../../src/platform/paths.js';
import { cli, outputDoc, runForSuite, startTestDaemon, testDaemon, waitForOutputs } from '../helpers/daemonProcess.js';
import { readJobsDb } from '../helpers/jobsDb.js';
import { normalizeWords, wer } from '../helpers/wer.js';

const CLIPS = ['jfk.flac', 'fr_picovoice_test_fr.wav', 'de_picovoice_test_de.wav'];
const stem = (clip: string) => clip.replace(/\.[^.]+$/, '');

interface Word {
  word: string;
  start: number;
  end: number;
}
interface Doc {
  backend: string;
  language: string;
  notes: string[];
  degraded: string[];
  segments: { text: string; words: Word[] }[];
}

/** Start and end differences of the words both transcripts have, matched in order (longest common subsequence). */
export function timingDiffs(a: Word[], b: Word[]): number[] {
  const key = (w: Word) => normalizeWords(w.word).join(' ');
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const diffs: number[] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (key(a[i]!) === key(b[j]!)) {
      diffs.push(Math.abs(a[i]!.start - b[j]!.start), Math.abs(a[i]!.end - b[j]!.end));
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return diffs;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] ?? 0;
const wordsOf = (doc: Doc) => doc.segments.flatMap((s) => s.words);
const textOf = (doc: Doc) => doc.segments.map((s) => s.text).join(' ');

describe('the mlx backend on real audio', () => {
  const t = testDaemon({
    job: { model: 'base', speakers: 'off' },
    asr: { beamSize: 1, computeType: 'float32' }, // faster-whisper as close to MLX as it goes: greedy, same weights
    rules: [
      { folder: 'mlx', backend: 'mlx' },
      { folder: 'fw', backend: 'faster-whisper' },
    ],
    stages: { stallSec: 3 },
  });
  runForSuite(t);

  test('three clips in two languages: same language and text as faster-whisper beam 1, word timings within 0.05 s', async () => {
    for (const folder of ['mlx', 'fw']) {
      mkdirSync(join(t.inbox, folder), { recursive: true });
      for (const clip of CLIPS) copyFileSync(join(CORPUS, clip), join(t.inbox, folder, clip));
    }
    await waitForOutputs(
      t,
      ['mlx', 'fw'].flatMap((f) => CLIPS.map((c) => join(f, stem(c)))),
    );
    for (const clip of CLIPS) {
      const entry = corpus().find((c) => c.file === clip)!;
      const mlx = outputDoc(t, join('mlx', stem(clip))) as Doc;
      const fw = outputDoc(t, join('fw', stem(clip))) as Doc;
      assert.equal(mlx.backend, 'mlx', `${clip}: ${JSON.stringify(mlx.notes)}`);
      assert.equal(fw.backend, 'faster-whisper');
      assert.equal(mlx.language, entry.language);
      assert.equal(mlx.language, fw.language);
      const [werMlx, werFw] = [wer(entry.reference, textOf(mlx)), wer(entry.reference, textOf(fw))];
      const diffs = timingDiffs(wordsOf(mlx), wordsOf(fw));
      console.log(
        `# ${clip}: WER mlx ${werMlx.toFixed(3)} faster-whisper ${werFw.toFixed(3)}; word times ` +
          `median ${median(diffs).toFixed(3)} s max ${Math.max(...diffs).toFixed(3)} s over ${diffs.length / 2} words`,
      );
      assert.ok(Math.abs(werMlx - werFw) <= 0.02, `${clip}: WER ${werMlx} (mlx) vs ${werFw}\n${textOf(mlx)}`);
      assert.ok(diffs.length >= wordsOf(fw).length, `${clip}: words matched ${diffs.length / 2}/${wordsOf(fw).length}`);
      assert.ok(median(diffs) <= 0.05 && Math.max(...diffs) <= 0.2, `${clip}: ${JSON.stringify(diffs)}`);
    }
    const warned = t.daemon.output.match(/backend \\"mlx\\" on linux|backend "mlx" on linux/g) ?? [];
    assert.equal(
      warned.length,
      process.platform === 'linux' ? 1 : 0,
      'off Apple Silicon: one warning at start, not per job',
    );
    const runs = readJobsDb<{ backend: string; outcome: string; peak: number; ms: number }>(
      t.dataDir,
      `SELECT backend, outcome, peak_rss AS peak, finished_at - started_at AS ms FROM stage_runs
       WHERE stage = 'transcribe' ORDER BY id`,
    );
    assert.deepEqual(
      runs.filter((r) => r.outcome !== 'ok'),
      [],
      'no MLX run stalled: heartbeats flowed while transcribe() blocked',
    );
    for (const backend of ['mlx', 'faster-whisper']) {
      const mine = runs.filter((r) => r.backend === backend);
      console.log(
        `# ${backend}: transcribe peak RSS ${Math.max(...mine.map((r) => r.peak)) >> 20} MiB, ` +
          `stage time ${mine.map((r) => (r.ms / 1000).toFixed(1)).join(' / ')} s`,
      );
    }
  });
});

describe('the mlx backend falls back to faster-whisper, saying why', () => {
  test('MLX missing, and an MLX model not downloaded with downloads off: faster-whisper, a note, status', async () => {
    const missing = await startTestDaemon(
      { job: { backend: 'mlx', speakers: 'off', vad: false } },
      { PYTHONPATH: NO_MLX_PATH },
    );
    // A models folder where faster-whisper's model TEST_REPO was downloaded before, and MLX's never was.
    const models = tempDir();
    const fasterWhisper = join(models, 'hub', TEST_REPO.replace('/', '--'));
    mkdirSync(fasterWhisper, { recursive: true });
    for (const f of readdirSync(BASE_FOLDER)) symlinkSync(join(BASE_FOLDER, f), join(fasterWhisper, f));
    const offline = await startTestDaemon(
      { job: { backend: 'mlx', model: TEST_REPO, speakers: 'off', vad: false } },
      { HF_HUB_OFFLINE: '1', DROPSCRIBE_MODELS_DIR: models },
    );
    try {
      copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(missing.inbox, 'a.wav'));
      copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(offline.inbox, 'a.wav'));
      await waitForOutputs(missing, ['a']);
      await waitForOutputs(offline, ['a']);
      for (const [t, why] of [
        [missing, /mlx backend failed \(config: the mlx_whisper package is not installed/],
        [offline, /mlx backend failed \(config: the MLX model 'dropscribe-test\/whisper-base-copy' is not downloaded/],
      ] as const) {
        const doc = outputDoc(t, 'a') as Doc;
        assert.equal(doc.backend, 'faster-whisper');
        assert.match(doc.degraded.join('\n'), why);
        assert.match(doc.degraded.join('\n'), /fell back to faster-whisper/);
        const status = await cli(['status', '--config', t.configFile]);
        assert.match(status.stdout, why);
      }
    } finally {
      await Promise.all([missing.daemon.stop(), offline.daemon.stop()]);
    }
  });
});

describe('an MLX model that is not bundled', () => {
  test("comes through dropscribe's download path (the local hub), once, into its models folder", async () => {
    const repo = 'dropscribe-test/whisper-tiny.en-mlx';
    const folder = join(PYTHON_DIR, '.venv', 'share', 'dropscribe', 'models', 'mlx', 'whisper-tiny.en-float32');
    const hub = await startHub({ folder, repo });
    const models = tempDir();
    const t = await startTestDaemon(
      { job: { backend: 'mlx', model: repo, speakers: 'off', vad: false, language: 'en' } },
      { HF_HUB_OFFLINE: '0', HF_ENDPOINT: hub.endpoint, DROPSCRIBE_MODELS_DIR: models },
    );
    try {
      copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(t.inbox, 'a.wav'));
      await waitForOutputs(t, ['a']);
      const doc = outputDoc(t, 'a') as Doc;
      assert.equal(doc.backend, 'mlx', JSON.stringify(doc.degraded));
      const entry = corpus().find((c) => c.file === 'en_cmu_arctic_a0024.wav')!;
      assert.ok(wer(entry.reference, textOf(doc)) <= 0.15, textOf(doc));
      const weights = hub.served.filter((r) => r.file === 'weights.npz');
      assert.equal(weights.length, 1, 'the weights were fetched once, by dropscribe');
      assert.ok(existsSync(join(models, 'hub', 'mlx', repo.replace('/', '--'), 'weights.npz')));
    } finally {
      await t.daemon.stop();
      await hub.close();
    }
  });
});
