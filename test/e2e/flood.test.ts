// A flood: many files dropped at once (FLOOD_FILES, 10,000 in the bench) (hard links of three short clips, so nearly all are duplicates). Every one
// gets its job and its outputs, jobs are queued in the order intake saw the files (its debug log says), the
// daemon's peak RSS stays under 200 MB; jobs per second and the `status` time are printed for BENCHMARKS.md.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { test } from 'node:test';
import { readJobsDb } from '../helpers/jobsDb.js';
import { CORPUS } from '../helpers/env.js';
import { DAEMON_NODE_FLAGS } from '../../src/platform/nodeFlags.js';
import { cli, DaemonProcess, startDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';

// npm test floods 500 files (the test-time budget); `npm run test:flood` (in .ci/run) floods the 10,000.
const FILES = Number(process.env.FLOOD_FILES ?? 500);
const CLIPS = ['en_cmu_arctic_a0024.wav', 'en_librispeech_1272-128104-0000.wav', 'jfk.flac'];
const PEAK_RSS_LIMIT = 200 * 2 ** 20;

interface Row {
  id: number;
  relPath: string;
  state: string;
  outputs: string | null;
}

function rows(dataDir: string): Row[] {
  return readJobsDb<Row>(dataDir, 'SELECT id, rel_path AS relPath, state, outputs FROM jobs ORDER BY id');
}

/** The daemon's peak resident memory (VmHWM), from /proc. */
function peakRss(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

test(`a flood of ${FILES} files: every one a job with outputs, in intake order, peak RSS under 200 MB`, async () => {
  const t = testDaemon({ job: { model: 'tiny.en', speakers: 'off', formats: ['txt', 'json'] } });
  // Intake logs each file it sees, in order; node runs with the flags the agent's plist and unit give it.
  t.daemon = new DaemonProcess(t.configFile, { DROPSCRIBE_LOG_LEVEL: 'debug' }, DAEMON_NODE_FLAGS);
  await startDaemon(t.daemon, t.inbox);
  const originals = join(t.root, 'clips');
  mkdirSync(originals);
  CLIPS.forEach((c) => copyFileSync(join(CORPUS, c), join(originals, c)));
  const names = Array.from({ length: FILES }, (_, i) => `f${String(i).padStart(5, '0')}${extname(CLIPS[i % 3]!)}`);
  const started = Date.now();
  names.forEach((name, i) => linkSync(join(originals, CLIPS[i % 3]!), join(t.inbox, name)));
  const done = await waitFor(
    `${FILES} jobs done`,
    () => {
      const r = rows(t.dataDir);
      if (process.env.FLOOD_TRACE)
        console.log(
          `# ${((Date.now() - started) / 1000).toFixed(0)} s: ${r.length} jobs, ${r.filter((j) => j.state === 'done').length} done`,
        );
      return r.length === FILES && r.every((j) => j.state === 'done') ? r : undefined;
    },
    Math.max(600_000, FILES * 150),
    1000,
  ).catch(t.daemon.fail);
  const seconds = (Date.now() - started) / 1000;
  const peak = peakRss(t.daemon.child!.pid!);
  // `status` three times each way (the whole CLI process: node's start, loading, the queries, printing).
  const statusMs: number[] = [];
  const jsonMs: number[] = [];
  let status = { code: -1, stdout: '' };
  let json = { code: -1, stdout: '' };
  for (let i = 0; i < 3; i++) {
    const s0 = Date.now();
    status = await cli(['status', '--config', t.configFile]);
    statusMs.push(Date.now() - s0);
    const j0 = Date.now();
    json = await cli(['status', '--json', '--config', t.configFile]);
    jsonMs.push(Date.now() - j0);
  }
  await t.daemon.stop();
  assert.equal(status.code, 0);
  assert.equal(json.code, 0);
  // A summary by state and the latest jobs, not a line per job.
  assert.match(status.stdout, new RegExp(`jobs: 0 queued, 0 running, ${FILES} done, 0 failed, 0 canceled`));
  assert.ok(status.stdout.split('\n').length < 300, `status printed ${status.stdout.split('\n').length} lines`);
  assert.equal((JSON.parse(json.stdout) as { counts: { done: number } }).counts.done, FILES);

  // A file seen again after its job was made (a 'change' event: the next hard link changes its link count) is known.
  const seenLines = t.daemon.output.split('\n').filter((l) => l.includes('"msg":"seen"'));
  const seen = [...new Set(seenLines.map((l) => relative(t.inbox, (JSON.parse(l) as { path: string }).path)))];
  assert.equal(seen.length, FILES);
  assert.deepEqual(
    done.map((j) => j.relPath),
    seen,
    'jobs are queued in the order intake saw the files',
  );
  const moved = seen.filter((name, i) => name !== names[i]).length;
  for (const j of done) {
    const stem = j.relPath.replace(/\.[^.]+$/, '');
    assert.ok(existsSync(join(t.outbox, `${stem}.txt`)) && existsSync(join(t.outbox, `${stem}.json`)), j.relPath);
  }
  assert.ok(peak < PEAK_RSS_LIMIT, `daemon peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`);
  console.log(
    `# flood: ${FILES} files in ${seconds.toFixed(1)} s (${(FILES / seconds).toFixed(0)} jobs/s), ` +
      `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB, status ${statusMs.join('/')} ms, status --json ${jsonMs.join('/')} ms; ` +
      `the watcher reported ${moved} files out of the order they were made`,
  );
});
