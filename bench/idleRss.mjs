// Idle RSS of `dropscribe start` the ways a user starts it (issue 29 point 7: <= 85 MB with the page on): the global
// bin from `npm pack` + `npm install -g` into a temp prefix, `npm start`, and a clone's `node bin/dropscribe.js start`;
// and, for comparison, the clone's start kept from starting again with its flags (the behaviour before
// platform/nodeFlags.ts restartWithDaemonFlags). Each run: a fresh data folder, the page on (a free port), SETTLE
// seconds to go idle, then SAMPLES readings of VmRSS from /proc/<pid>/status one second apart, <pid> the daemon named
// in data/daemon.pid (npm start's node is a grandchild of the npm it spawns). Modes alternate over ROUNDS rounds.
// Prints a table (median MB per mode) and writes bench/results/idle-rss.json; BENCHMARKS.md is left to its editor.
// The install takes minutes (better-sqlite3 may build from source): BENCH_INSTALL=<prefix> reuses a prefix an earlier
// run installed into (it prints it), BENCH_INSTALL=link skips npm (a temp prefix whose bin/dropscribe links to this
// clone's bin, as `npm link` makes).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, PYTHON, REPO, tempRoot, waitFor } from './lib.mjs';
import { DAEMON_NODE_FLAGS, NODE_FLAGS_ENV } from '../dist/src/platform/nodeFlags.js';

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SETTLE = Number(process.env.SETTLE ?? 15);
const SAMPLES = Number(process.env.SAMPLES ?? 15);
const INSTALL = process.env.BENCH_INSTALL ?? 'npm';
const GOAL_MB = 85;

/** The package as a user installs it: `npm pack`, then `npm install -g` of the tarball into a temp prefix. Only
 * better-sqlite3's install script runs (its native module); dropscribe's postinstall, which builds the Python stage
 * environment, is not needed: the runs name the clone's venv in their config. Returns the prefix's bin. */
function installGlobal() {
  if (INSTALL !== 'npm' && INSTALL !== 'link') return join(INSTALL, 'bin', 'dropscribe');
  const root = tempRoot('dropscribe-idle-install-');
  const prefix = join(root, 'prefix');
  if (INSTALL === 'link') {
    mkdirSync(join(prefix, 'bin'), { recursive: true });
    symlinkSync(join(REPO, 'bin', 'dropscribe.js'), join(prefix, 'bin', 'dropscribe'));
    return join(prefix, 'bin', 'dropscribe');
  }
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: REPO, encoding: 'utf8' }),
  );
  const tarball = join(root, (Array.isArray(packed) ? packed[0] : Object.values(packed)[0]).filename);
  const t0 = Date.now();
  execFileSync('npm', ['install', '-g', '--no-audit', '--no-fund', '--allow-scripts=better-sqlite3', tarball], {
    env: { ...process.env, npm_config_prefix: prefix },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.error(`npm install -g: ${Math.round((Date.now() - t0) / 1000)} s (${prefix})`);
  return join(prefix, 'bin', 'dropscribe');
}

const globalBin = installGlobal();
const clean = { ...process.env, HF_HUB_OFFLINE: '1', DROPSCRIBE_LOG_LEVEL: 'warn' };
delete clean[NODE_FLAGS_ENV];
const MODES = {
  'global bin: dropscribe start': (config) => [globalBin, ['start', '--config', config], {}],
  'npm start': (config) => ['npm', ['start', '--silent', '--', '--config', config], {}],
  'clone: node bin/dropscribe.js start': (config) => [
    process.execPath,
    [join(REPO, 'bin', 'dropscribe.js'), 'start', '--config', config],
    {},
  ],
  'clone, not started again (before)': (config) => [
    process.execPath,
    [join(REPO, 'bin', 'dropscribe.js'), 'start', '--config', config],
    { [NODE_FLAGS_ENV]: '1' },
  ],
};

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const cmdline = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

/** One run of `mode` on a fresh data folder: its RSS samples, the daemon's node flags and whether it kept its pid. */
async function once(mode) {
  const root = tempRoot();
  const config = join(root, 'dropscribe.json');
  const settings = { inboxes: ['inbox'], outbox: 'outbox', dataDir: 'data', ui: { port: 0 }, python: PYTHON };
  writeFileSync(config, JSON.stringify(settings));
  const [file, args, env] = MODES[mode](config);
  const proc = spawn(file, args, { cwd: REPO, env: { ...clean, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const pidFile = join(root, 'data', 'daemon.pid');
  const ready = () => existsSync(join(root, 'data', 'status.json')) && existsSync(pidFile);
  const pid = await waitFor(() => ready() && JSON.parse(readFileSync(pidFile, 'utf8')).pid, 60_000);
  const flags = cmdline(pid).slice(1).filter((a) => a.startsWith('--') && DAEMON_NODE_FLAGS.some((f) => a.startsWith(f.split('=')[0])));
  await sleep(SETTLE * 1000);
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(rssMb(pid));
    await sleep(1000);
  }
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  process.kill(pid, 'SIGTERM');
  await exited;
  return { mode, pid, samePid: pid === proc.pid, flags, medianMb: median(samples), samples };
}

const runs = [];
const names = Object.keys(MODES);
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const mode of order) {
    const run = await once(mode);
    console.error(`round ${round + 1}: ${mode}: ${run.medianMb.toFixed(1)} MB (pid kept: ${run.samePid}, flags ${run.flags.join(' ') || 'none'})`);
    runs.push({ round, ...run });
  }
}

const rows = names.map((mode) => {
  const mine = runs.filter((r) => r.mode === mode);
  return {
    mode,
    medianMb: median(mine.flatMap((r) => r.samples)),
    runMediansMb: mine.map((r) => Number(r.medianMb.toFixed(1))),
    flags: mine[0].flags,
    samePid: mine.every((r) => r.samePid),
  };
});
const table = [
  `Idle RSS of \`dropscribe start\`, the page on (${ROUNDS} rounds, ${SETTLE} s to settle, median of ${SAMPLES} readings a run; goal <= ${GOAL_MB} MB; install: ${INSTALL}, node ${process.version})`,
  '',
  '| started as | node flags in the daemon | idle RSS, median | per run | pid kept |',
  '|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.mode} | ${r.flags.join(' ') || 'none'} | **${r.medianMb.toFixed(1)} MB** | ${r.runMediansMb.join(', ')} | ${r.mode === 'npm start' ? 'n/a (npm, sh, node)' : r.samePid ? 'yes' : 'no'} |`,
  ),
].join('\n');
mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'results', 'idle-rss.json'), JSON.stringify({ rows, runs }, null, 2));
console.log(table);
