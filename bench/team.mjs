// Team mode: throughput of 3 daemons sharing one PostgreSQL queue against 1 daemon, on a batch of short clips.
// Each daemon has its own data folder (its own warm workers); all share one inbox and outbox, as Macs on a synced folder.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { CORPUS, cutClip, record, REPO, tempRoot, treeCpuSec, waitFor } from './lib.mjs';
import { PgCluster, SKIP_NO_POSTGRES } from '../dist/test/team/pgCluster.js';
import { TeamQueue } from '../dist/src/team/teamQueue.js';
import { TeamSettings } from '../dist/src/team/teamSettings.js';
import { listTeamJobs } from '../dist/src/team/teamStatus.js';
import { silentLogger } from '../dist/src/platform/log.js';

if (SKIP_NO_POSTGRES) {
  console.log(SKIP_NO_POSTGRES);
  process.exit(0);
}
const N = Number(process.env.FILES ?? 24);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 2);
const root = tempRoot();
const clips = join(root, 'clips');
mkdirSync(clips);
const sources = [['jfk.flac', 11], ['en_librispeech_1272-128104-0000.wav', 5.8], ['en_librivox_shakespeare_sonnet001.mp3', 53]];
for (let i = 0; i < N; i++) {
  const [src, len] = sources[i % sources.length];
  const seconds = 3 + (i % 4) * 0.5;
  cutClip(join(CORPUS, src), ((i * 1.7) % Math.max(0.1, len - seconds)).toFixed(2), seconds, join(clips, `clip${String(i).padStart(3, '0')}.wav`));
}

const cluster = await PgCluster.create();
const BIN = join(REPO, 'bin', 'dropscribe.js');

/** All clips through `hosts` team daemons on a fresh schema; wall seconds from the drop to the last job done. */
async function run(hosts, schema) {
  const dir = tempRoot();
  for (const sub of ['inbox', 'outbox', 'staging']) mkdirSync(join(dir, sub));
  const procs = [];
  for (let h = 1; h <= hosts; h++) {
    const config = join(dir, `host${h}.json`);
    writeFileSync(config, JSON.stringify({
      inboxes: [join(dir, 'inbox')], outbox: join(dir, 'outbox'), dataDir: join(dir, `data${h}`), job: { model: 'tiny.en' },
      jobs: { concurrency: CONCURRENCY }, stability: { quietMs: 500, pollMs: 100 },
      team: { url: cluster.url(), host: `mac-${h}`, schema, pollMs: 250 },
    }));
    procs.push(spawn(process.execPath, [BIN, 'start', '--config', config], {
      env: { ...process.env, HF_HUB_OFFLINE: '1', DROPSCRIBE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'],
    }));
  }
  const q = new TeamQueue({ url: cluster.url(), settings: TeamSettings.parse({ schema }), host: 'bench', log: silentLogger, client: true });
  await waitFor(async () => q.start().then(() => true, () => false), 60_000, 500);
  await waitFor(() => q.db().executeSql(`SELECT count(*)::int AS n FROM ${schema}.hosts`).then((r) => r.rows[0].n === hosts, () => false),
    60_000, 200);
  const cpuBefore = procs.map((p) => treeCpuSec(p.pid));
  const t = Date.now();
  for (let i = 0; i < N; i++) {
    const name = `clip${String(i).padStart(3, '0')}.wav`;
    renameSync(join(clips, name), join(dir, 'staging', name));
    renameSync(join(dir, 'staging', name), join(dir, 'inbox', name));
  }
  const jobs = await waitFor(async () => {
    const list = await listTeamJobs(q, 1000);
    return list.length === N && list.every((j) => j.state === 'done' || j.state === 'failed') && list;
  }, 1_800_000, 200);
  const sec = (Date.now() - t) / 1000;
  const cpuSec = procs.reduce((s, p, i) => s + (treeCpuSec(p.pid) - cpuBefore[i]), 0);
  for (const name of jobs.map((j) => j.relPath)) renameSync(join(dir, 'inbox', name), join(clips, name)); // for the next run
  const perHost = {};
  for (const j of jobs) perHost[j.host] = (perHost[j.host] ?? 0) + 1;
  await q.stop();
  await Promise.all(procs.map((p) => new Promise((resolve) => { p.once('exit', resolve); p.kill('SIGTERM'); })));
  return { sec, cpuSec, failed: jobs.filter((j) => j.state !== 'done').length, perHost };
}

try {
  const one = await run(1, 'one');
  const three = await run(3, 'three');
  const row = (label, r) => `| ${label} | ${r.sec.toFixed(1)} | ${(N / r.sec * 60).toFixed(1)} | ${r.cpuSec.toFixed(0)} | ${JSON.stringify(r.perHost)} |`;
  record(`Team mode: ${N} clips of 3-4.5 s, 1 vs 3 daemons on one PostgreSQL`, [
    `Each daemon: tiny.en, ${CONCURRENCY} jobs at a time, its own data folder and warm workers; one shared inbox and outbox.`,
    '',
    '| daemons | wall s (drop to last done) | files/min | CPU s (all daemons and stages) | jobs per host |',
    '|---|---|---|---|---|',
    row('1', one),
    row('3', three),
    '',
    `Throughput, 3 daemons / 1: **${(one.sec / three.sec).toFixed(2)}x**. Failed jobs: ${one.failed + three.failed}. ` +
      `Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`,
  ].join('\n'), { N, CONCURRENCY, one, three });
} finally {
  cluster.destroy();
}
