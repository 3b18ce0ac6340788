// Ingest: 1,000 files dropped at once must be recorded within 5 s after the stability window;
// `status` must answer in under 200 ms with 100,000 job rows.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobStates, median, record, REPO, startDaemon, tempRoot, waitFor } from './lib.mjs';

const N = Number(process.env.FILES ?? 1000);
const QUIET_MS = 2000;
const root = tempRoot();
const daemon = await startDaemon(root, { stability: { quietMs: QUIET_MS, pollMs: 500 }, jobs: { concurrency: 1 } });
const t0 = Date.now();
// Not WAV: a RIFF header promising more than the file holds waits out stability.settleSec (intake/arrival.ts).
for (let i = 0; i < N; i++) writeFileSync(join(root, 'inbox', `drop${i}.mp3`), `not really audio #${i}\n`);
const written = Date.now();
await waitFor(async () => (await jobStates(root)).length >= N, 120_000, 100);
const recorded = Date.now();
await daemon.stop();
const afterWindowSec = (recorded - written - QUIET_MS) / 1000;

// status with 100,000 job rows
const { openDb } = await import(join(REPO, 'dist', 'src', 'store', 'db.js'));
const { JobStore } = await import(join(REPO, 'dist', 'src', 'store', 'jobs.js'));
const { DEFAULT_SETTINGS } = await import(join(REPO, 'dist', 'src', 'config.js'));
const big = tempRoot();
const store = new JobStore(openDb(join(big, 'data', 'jobs.db')));
store.db.transaction(() => {
  for (let i = 0; i < 100_000; i++) {
    store.enqueue({ input: `/in/f${i}.wav`, inbox: '/in', relPath: `f${i}.wav`, outputStem: `/out/f${i}`, sha256: `h${i}`,
      size: 1, mtimeMs: 1, settings: DEFAULT_SETTINGS });
  }
})();
store.db.exec(`UPDATE jobs SET state = 'done', outputs = '["/out/x.srt"]' WHERE id % 3 = 0`);
store.db.close();
const cfg = join(big, 'dropscribe.json');
writeFileSync(cfg, JSON.stringify({ dataDir: 'data' }));
const times = { json: [], text: [] };
for (let i = 0; i < 5; i++) {
  for (const mode of ['json', 'text']) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, [join(REPO, 'bin', 'dropscribe.js'), 'status', ...(mode === 'json' ? ['--json'] : []), '--config', cfg], { stdio: 'ignore' });
    times[mode].push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const nodeStart = [];
for (let i = 0; i < 5; i++) {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0']);
  nodeStart.push(Number(process.hrtime.bigint() - t) / 1e6);
}
record('Ingest and status', [
  `- ${N} files written at once in ${((written - t0) / 1000).toFixed(2)} s; all recorded as jobs **${afterWindowSec.toFixed(2)} s after the ${QUIET_MS / 1000} s stability window** (goal <= 5 s).`,
  `- \`dropscribe status\` with 100,000 job rows, whole CLI process (node start, open, query, print 50 rows), median of 5: ` +
    `**${median(times.json).toFixed(0)} ms** with --json, ${median(times.text).toFixed(0)} ms as text (goal < 200 ms). ` +
    `A bare \`node -e 0\` takes ${median(nodeStart).toFixed(0)} ms here.`,
].join('\n'), { N, afterWindowSec, statusMs: times, nodeStartMs: nodeStart });
