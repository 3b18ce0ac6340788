// The real mlx-whisper through the real daemon beside faster-whisper beam 1 on the same weights, on two short clips
// in two languages (English, German; the three-clip comparison is in test:quality: test/quality/mlxBackend.test.ts).
// MLX missing from the environment, or its model not there offline: the job runs on faster-whisper and says why.
// An MLX model not bundled comes through dropscribe's download path.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { corpus, CORPUS, NO_MLX_PATH, tempDir } from '../helpers/env.js';
import { BASE_FOLDER, startHub, TEST_REPO } from '../helpers/hubServer.js';
import { PYTHON_DIR } from '../../src/platform/paths.js';
import { cli, outputDoc, startTestDaemon, waitForOutputs } from '../helpers/daemonProcess.js';
import { mlxBesideFasterWhisper, textOf, type Doc } from '../helpers/mlxBesideFasterWhisper.js';
import { wer } from '../helpers/wer.js';

// Two MLX jobs, so the warning of MLX off Apple Silicon is seen to come once, not per job.
mlxBesideFasterWhisper(
  'two clips in two languages: same language and text as faster-whisper beam 1, word timings within 0.05 s',
  ['en_cmu_arctic_a0024.wav', 'de_picovoice_test_de.wav'],
);

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
