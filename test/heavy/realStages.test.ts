// The real daemon with the real whisperx and demucs (python/.venv-heavy, made by scripts/setup-heavy.mjs) on tiny
// local models with random weights: a rule folder with separate + whisperx alignment finishes with nothing degraded,
// whisperx aligns the words of a real clip; a 1 s align limit and missing or corrupt model folders degrade the job to
// native timings with a clear reason; the hybrid (real MLX, then real WhisperX) aligns, or keeps MLX's timings when
// WhisperX runs out of time. The random demucs leaves noise, not speech: word checks use a folder without it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Config } from '../../src/config/config.js';
import type { TranscriptDocument } from '../../src/output/render/index.js';
import { openDb } from '../../src/store/db.js';
import { JobStore } from '../../src/store/jobs.js';
import { cli, DaemonProcess, waitFor } from '../helpers/daemonProcess.js';
import { corpus, CORPUS, REPO, tempDir, testConfig } from '../helpers/env.js';

const HEAVY_VENV = process.env.DROPSCRIBE_HEAVY_VENV ?? join(REPO, 'python', '.venv-heavy');
const HEAVY_PYTHON = join(HEAVY_VENV, 'bin', 'python');
const CLIP = 'en_librispeech_1272-128104-0000.wav';

interface TinyModels {
  demucsRepo: string;
  demucsName: string;
  wav2vec2: string;
  nltkData: string;
}
interface JobView {
  id: number;
  input: string;
  state: string;
  degraded: string[];
  notes: string[];
  error: string | null;
}

let models: TinyModels;

before(() => {
  assert.ok(existsSync(HEAVY_PYTHON), `no heavy environment at ${HEAVY_VENV}: run node scripts/setup-heavy.mjs`);
  const dir = tempDir('dropscribe-tiny-models-');
  const text = join(dir, 'corpus.txt');
  writeFileSync(
    text,
    corpus()
      .map((c) => c.reference)
      .join('\n'),
  );
  const out = execFileSync(HEAVY_PYTHON, [join(REPO, 'test', 'heavy', 'tiny_models.py'), join(dir, 'models'), text], {
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_OFFLINE: '1' },
  });
  models = JSON.parse(out.trim().split('\n').at(-1)!) as TinyModels;
});

/** Starts the daemon on the heavy Python, drops the clip into each folder, and returns the jobs once all have ended. */
async function runJobs(overrides: Record<string, unknown>, folders: string[]) {
  const root = tempDir();
  const config: Config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
    job: { model: 'tiny.en', language: 'en' },
    ...overrides,
  });
  const configFile = join(root, 'dropscribe.json');
  writeFileSync(configFile, JSON.stringify({ ...config, python: HEAVY_PYTHON }, null, 2));
  const daemon = new DaemonProcess(configFile, { NLTK_DATA: models.nltkData });
  daemon.start();
  const fail = (err: Error) => {
    throw new Error(`${err.message}\n--- daemon log ---\n${daemon.output.slice(-6000)}`);
  };
  try {
    await waitFor('the inbox', () => existsSync(join(root, 'inbox')), 30_000).catch(fail);
    for (const folder of folders) {
      mkdirSync(join(root, 'inbox', folder), { recursive: true });
      copyFileSync(join(CORPUS, CLIP), join(root, 'inbox', folder, CLIP));
    }
    const jobs = await waitFor(
      'all jobs to end',
      async () => {
        const status = JSON.parse((await cli(['status', '--json', '--config', configFile])).stdout) as {
          jobs: JobView[];
        };
        return (
          status.jobs.length === folders.length &&
          status.jobs.every((j) => ['done', 'failed'].includes(j.state)) &&
          status.jobs
        );
      },
      480_000,
      1000,
    ).catch(fail);
    return { jobs, root, log: daemon.output };
  } finally {
    await daemon.stop();
  }
}

function jobIn(jobs: JobView[], folder: string): JobView {
  const job = jobs.find((j) => j.input.includes(`/${folder}/`));
  assert.ok(job, `a job for ${folder}: ${JSON.stringify(jobs)}`);
  return job;
}

function documentOf(root: string, folder: string): TranscriptDocument {
  return JSON.parse(
    readFileSync(join(root, 'outbox', folder, CLIP.replace('.wav', '.json')), 'utf8'),
  ) as TranscriptDocument;
}

function stageRuns(root: string, jobId: number) {
  const db = openDb(join(root, 'data', 'jobs.db'));
  try {
    return new JobStore(db).runs.of(jobId);
  } finally {
    db.close();
  }
}

test('separate + whisperx align with local tiny models: done with nothing degraded; whisperx times the words; missing and corrupt folders degrade naming the folder', async () => {
  const corrupt = join(tempDir(), 'broken-wav2vec2');
  mkdirSync(corrupt);
  writeFileSync(join(corrupt, 'config.json'), '{ not json');
  const missingDemucs = join(tempDir(), 'no-such-demucs');
  const { jobs, root } = await runJobs(
    {
      rules: [
        {
          folder: 'full',
          separate: true,
          separateModel: models.demucsRepo,
          align: 'whisperx',
          alignModel: models.wav2vec2,
        },
        { folder: 'align', align: 'whisperx', alignModel: models.wav2vec2 },
        { folder: 'missing', separate: true, separateModel: missingDemucs, align: 'whisperx', alignModel: corrupt },
      ],
    },
    ['full', 'align', 'missing'],
  );

  const full = jobIn(jobs, 'full');
  assert.equal(full.state, 'done', full.error ?? '');
  assert.deepEqual(full.degraded, []);
  const runs = stageRuns(root, full.id);
  for (const stage of ['separate', 'align']) {
    assert.ok(
      runs.some((r) => r.stage === stage && r.outcome === 'ok'),
      `${stage} ran and succeeded: ${JSON.stringify(runs)}`,
    );
  }
  assert.equal(documentOf(root, 'full').alignment, 'whisperx');

  const aligned = jobIn(jobs, 'align');
  assert.equal(aligned.state, 'done', aligned.error ?? '');
  assert.deepEqual(aligned.degraded, []);
  const doc = documentOf(root, 'align');
  assert.equal(doc.alignment, 'whisperx');
  const words = doc.segments.flatMap((s) => s.words.map((w) => ({ ...w, seg: s })));
  assert.ok(words.length >= 5, `aligned words: ${words.length}`);
  for (const w of words) assert.ok(w.seg.start <= w.start && w.start <= w.end && w.end <= w.seg.end, JSON.stringify(w));

  const missing = jobIn(jobs, 'missing');
  assert.equal(missing.state, 'done', missing.error ?? '');
  const reasons = missing.degraded.join('\n');
  assert.match(reasons, new RegExp(escape(missingDemucs)), 'the missing demucs folder is named');
  assert.match(reasons, new RegExp(escape(corrupt)), 'the corrupt alignment model folder is named');
  assert.equal(documentOf(root, 'missing').alignment, 'native');
});

test('a 1 s align limit degrades the job to the native word timings', async () => {
  const { jobs, root } = await runJobs(
    {
      stages: { alignTimeoutFloorSec: 1, alignTimeoutPerAudioSec: 0.001 },
      rules: [{ folder: 'slow', align: 'whisperx', alignModel: models.wav2vec2 }],
    },
    ['slow'],
  );
  const job = jobIn(jobs, 'slow');
  assert.equal(job.state, 'done', job.error ?? '');
  assert.equal(job.degraded.length, 1, JSON.stringify(job.degraded));
  assert.match(job.degraded[0]!, /WhisperX/);
  assert.ok(
    stageRuns(root, job.id).some((r) => r.stage === 'align' && r.errorKind === 'timeout'),
    'the align run timed out',
  );
  const doc = documentOf(root, 'slow');
  assert.equal(doc.alignment, 'native');
  assert.ok(
    doc.segments.some((s) => s.words.length > 0),
    'native word timings are kept',
  );
});

test('the hybrid: real MLX transcribes, then real WhisperX aligns in its own process; a 1 s limit falls back to MLX timings', async () => {
  const hybrid = await runJobs(
    { rules: [{ folder: 'hybrid', backend: 'mlx', align: 'whisperx', alignModel: models.wav2vec2 }] },
    ['hybrid'],
  );
  const job = jobIn(hybrid.jobs, 'hybrid');
  assert.equal(job.state, 'done', job.error ?? '');
  assert.deepEqual(job.degraded, []);
  const runs = stageRuns(hybrid.root, job.id).map((r) => `${r.stage}:${r.backend}:${r.outcome}`);
  assert.ok(runs.includes('transcribe:mlx:ok'), JSON.stringify(runs));
  assert.ok(runs.includes('align:whisperx:ok'), JSON.stringify(runs));
  const doc = documentOf(hybrid.root, 'hybrid');
  assert.equal(doc.backend, 'mlx');
  assert.equal(doc.alignment, 'whisperx');
  const reference = corpus()
    .find((c) => c.file === CLIP)!
    .reference.toLowerCase();
  assert.ok(
    doc.segments.some((s) => reference.includes(s.text.trim().split(' ')[0]!.toLowerCase())),
    'MLX words',
  );

  const slow = await runJobs(
    {
      stages: { alignTimeoutFloorSec: 1, alignTimeoutPerAudioSec: 0.001 },
      rules: [{ folder: 'slow', backend: 'mlx', align: 'whisperx', alignModel: models.wav2vec2 }],
    },
    ['slow'],
  );
  const late = jobIn(slow.jobs, 'slow');
  assert.equal(late.state, 'done', late.error ?? '');
  assert.match(late.degraded.join('\n'), /WhisperX/);
  const lateDoc = documentOf(slow.root, 'slow');
  assert.equal(lateDoc.backend, 'mlx');
  assert.equal(lateDoc.alignment, 'native');
  assert.ok(
    lateDoc.segments.some((s) => s.words.length > 0),
    "MLX's own word timings are kept",
  );
});

test('doctor reports that the optional stages really import, with versions', async () => {
  const root = tempDir();
  const config = testConfig({ job: { align: 'whisperx', separate: true } });
  const configFile = join(root, 'dropscribe.json');
  writeFileSync(configFile, JSON.stringify({ ...config, python: HEAVY_PYTHON }, null, 2));
  const r = await cli(['doctor', '--json', '--config', configFile]);
  const checks = (JSON.parse(r.stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks;
  for (const [name, pkg] of [
    ['whisperx', /whisperx 3\.\d+\.\d+/],
    ['demucs', /demucs 4\.\d+\.\d+/],
  ] as const) {
    const check = checks.find((c) => c.name === name);
    assert.ok(check?.ok, `${name}: ${JSON.stringify(check)}`);
    assert.match(check.detail, pkg);
    assert.match(check.detail, /torch 2\.\d+/);
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
