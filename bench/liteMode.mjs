// --lite-mode during work: the daemon's own CPU (its node process, not the Python stages) and peak RSS while it
// transcribes a 3-minute recording, with the default flags and without --lite-mode, alternating rounds.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, joinClips, jobStates, median, readManifest, record, startDaemon, tempRoot, waitFor } from './lib.mjs';
import { DAEMON_NODE_FLAGS } from '../dist/src/platform/nodeFlags.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const work = tempRoot();
const input = join(work, 'talk.wav');
const english = readManifest().filter((c) => c.language === 'en').map((c) => ({ ...c, path: join(CORPUS, c.file) }));
joinClips(english, 1, 180, input, work);

const FLAGS = { lite: DAEMON_NODE_FLAGS, 'no lite': DAEMON_NODE_FLAGS.filter((f) => f !== '--lite-mode') };
const stat = (pid) => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
};
const ownCpuSec = (pid) => (Number(stat(pid)[11]) + Number(stat(pid)[12])) / 100; // utime + stime, not children
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** One job through a fresh daemon with `flags`: wall seconds, the daemon's own CPU seconds, its peak RSS. */
async function once(flags) {
  const root = tempRoot();
  const daemon = await startDaemon(root, { ui: { enabled: false } }, flags);
  const pid = daemon.proc.pid;
  const cpu0 = ownCpuSec(pid);
  const t0 = Date.now();
  let peak = 0;
  copyFileSync(input, join(root, 'inbox', 'talk.wav'));
  await waitFor(async () => {
    peak = Math.max(peak, rssMb(pid));
    const jobs = await jobStates(root);
    return jobs.length === 1 && ['done', 'failed'].includes(jobs[0].state);
  }, 3_600_000, 250);
  const row = { wallSec: (Date.now() - t0) / 1000, cpuSec: ownCpuSec(pid) - cpu0, peakMb: peak, state: (await jobStates(root))[0].state };
  await daemon.stop();
  return row;
}

const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['lite', 'no lite'] : ['no lite', 'lite'];
  for (const name of order) rows.push({ round, name, ...(await once(FLAGS[name])) });
}
const summary = (name) => {
  const r = rows.filter((x) => x.name === name);
  return { cpu: median(r.map((x) => x.cpuSec)), peak: median(r.map((x) => x.peakMb)), wall: median(r.map((x) => x.wallSec)) };
};
const lite = summary('lite');
const full = summary('no lite');
record("--lite-mode during work: a 3-minute recording, the daemon's own process", [
  '| round | flags | job | wall s | daemon CPU s (its own process) | daemon peak RSS MB |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.round} | ${r.name === 'lite' ? FLAGS.lite.join(' ') : FLAGS['no lite'].join(' ')} | ${r.state} | ${r.wallSec.toFixed(1)} | ${r.cpuSec.toFixed(2)} | ${r.peakMb.toFixed(1)} |`),
  '',
  `Medians: daemon CPU **${lite.cpu.toFixed(2)} s with --lite-mode vs ${full.cpu.toFixed(2)} s without** ` +
    `(${(lite.cpu / full.cpu).toFixed(2)}x); peak RSS ${lite.peak.toFixed(1)} vs ${full.peak.toFixed(1)} MB; ` +
    `wall ${lite.wall.toFixed(1)} vs ${full.wall.toFixed(1)} s (the Python stages dominate the wall time).`,
].join('\n'), { rows });
