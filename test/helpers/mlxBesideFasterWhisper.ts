// The real mlx-whisper (MLX's CPU backend on OpenBLAS, in python/.venv of a Linux clone) through the real daemon,
// beside faster-whisper with beam 1 on the same bundled base weights: each clip gives the same language, word error
// rates within 0.02 and word timings within 0.05 s median / 0.2 s max. The MLX stage blocks in one transcribe() call
// for seconds while the stall watchdog allows 3 s: its heartbeats flow from their thread. npm test runs it on one clip
// (test/e2e/mlxBackend.test.ts), test:quality on three in two languages (test/quality/mlxBackend.test.ts).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { corpus, CORPUS } from './env.js';
import { outputDoc, runForSuite, testDaemon, waitForOutputs } from './daemonProcess.js';
import { readJobsDb } from './jobsDb.js';
import { normalizeWords, wer } from './wer.js';

export interface Word {
  word: string;
  start: number;
  end: number;
}
export interface Doc {
  backend: string;
  language: string;
  notes: string[];
  degraded: string[];
  segments: { text: string; words: Word[] }[];
}

const stem = (clip: string) => clip.replace(/\.[^.]+$/, '');
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] ?? 0;
const wordsOf = (doc: Doc) => doc.segments.flatMap((s) => s.words);
export const textOf = (doc: Doc) => doc.segments.map((s) => s.text).join(' ');

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

/** A suite with one test, `title`: `clips` (corpus files) on both backends, compared clip by clip. */
export function mlxBesideFasterWhisper(title: string, clips: string[]): void {
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

    test(title, async () => {
      for (const folder of ['mlx', 'fw']) {
        mkdirSync(join(t.inbox, folder), { recursive: true });
        for (const clip of clips) copyFileSync(join(CORPUS, clip), join(t.inbox, folder, clip));
      }
      await waitForOutputs(
        t,
        ['mlx', 'fw'].flatMap((f) => clips.map((c) => join(f, stem(c)))),
      );
      for (const clip of clips) {
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
        assert.ok(
          diffs.length >= wordsOf(fw).length,
          `${clip}: words matched ${diffs.length / 2}/${wordsOf(fw).length}`,
        );
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
}
