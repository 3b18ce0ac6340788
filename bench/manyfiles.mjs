// Many short files: 50 short clips through the daemon (warm workers) vs a fresh Python process per file.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, cutClip, direct, jobStates, record, startDaemon, tempRoot, waitFor } from './lib.mjs';

const N = Number(process.env.FILES ?? 50);
const root = tempRoot();
const clips = join(root, 'clips');
mkdirSync(clips);
const sources = [['jfk.flac', 11], ['en_librispeech_1272-128104-0000.wav', 5.8], ['en_librivox_shakespeare_sonnet001.mp3', 53]];
const files = [];
for (let i = 0; i < N; i++) {
  const [src, len] = sources[i % sources.length];
  const seconds = 3 + (i % 4) * 0.5;
  const offset = ((i * 1.7) % Math.max(0.1, len - seconds));
  const file = join(clips, `clip${String(i).padStart(3, '0')}.wav`);
  cutClip(join(CORPUS, src), offset.toFixed(2), seconds, file);
  files.push(file);
}

// Dedupe is by content: count the distinct clips the daemon will turn into jobs.
const distinct = new Set(files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'))).size;

// Baseline: a fresh Python process per file (load the model every time), one after another.
const t0 = Date.now();
if (process.env.SKIP_DIRECT !== '1') for (const f of files) await direct([f]);
const baselineSec = (Date.now() - t0) / 1000;

/** All clips through a fresh daemon with `concurrency` jobs at a time; returns wall seconds and failures. */
async function throughDaemon(concurrency) {
  const dir = tempRoot();
  const daemon = await startDaemon(dir, { stability: { quietMs: 500, pollMs: 100 }, jobs: { concurrency } });
  try {
    return await timeJobs(dir);
  } finally {
    await daemon.stop(); // a timed-out run too: no daemon (and its warm workers) left behind
  }
}

/** Drop every clip into `dir`'s inbox and wait until each job is done or failed. */
async function timeJobs(dir) {
  const t = Date.now();
  for (const f of files) copyFileSync(f, join(dir, 'inbox', f.split('/').pop()));
  let last = [];
  await waitFor(async () => {
    last = await jobStates(dir);
    return last.length === distinct && last.every((j) => j.state === 'done' || j.state === 'failed');
  }, 1_200_000, 200).catch((err) => {
    const counts = last.reduce((n, j) => ({ ...n, [j.state]: (n[j.state] ?? 0) + 1 }), {});
    throw new Error(`${err.message}: ${last.length} jobs of ${distinct} expected, ${JSON.stringify(counts)} (data in ${dir})`);
  });
  const sec = (Date.now() - t) / 1000;
  const failed = (await jobStates(dir)).filter((j) => j.state !== 'done').length;
  return { sec, failed };
}
const one = await throughDaemon(1);
const two = await throughDaemon(2);
const daemonSec = two.sec;
const failed = one.failed + two.failed;
const speedup = (baselineSec / N) / (daemonSec / distinct);
record(`Many short files: ${N} clips of 3-4.5 s`, [
  '| run | wall s | files/min |',
  '|---|---|---|',
  `| fresh faster-whisper process per file (sequential) | ${baselineSec.toFixed(1)} | ${(N / baselineSec * 60).toFixed(1)} |`,
  `| daemon, warm workers, 1 job at a time (${distinct} distinct clips; includes the 0.5 s stability window) | ${one.sec.toFixed(1)} | ${(distinct / one.sec * 60).toFixed(1)} |`,
  `| daemon, warm workers, 2 jobs at a time (the default) | ${two.sec.toFixed(1)} | ${(distinct / two.sec * 60).toFixed(1)} |`,
  '',
  `Throughput ratio, default daemon vs a fresh process per file: **${speedup.toFixed(2)}x** (goal >= 2x); ` +
    `with one job at a time (warm workers alone, no parallelism): ${((baselineSec / N) / (one.sec / distinct)).toFixed(2)}x. Failed jobs: ${failed}.`,
].join('\n'), { N, baselineSec, daemonSec, speedup, failed });
