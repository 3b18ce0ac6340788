// Three real daemons (separate data folders, one inbox, one outbox, one PostgreSQL): 12 recordings are each
// transcribed once; kill -9 of a daemon mid-job hands its job to another; PostgreSQL stopped for 20 s mid-batch.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../src/platform/log.js';
import { TeamQueue } from '../../src/team/teamQueue.js';
import { TeamSettings } from '../../src/config/teamSettings.js';
import { listTeamJobs, type TeamJobView } from '../../src/team/teamStatus.js';
import { cli, waitFor } from '../helpers/daemonProcess.js';
import { tempDir } from '../helpers/env.js';
import { PgCluster, SKIP_NO_POSTGRES } from './pgCluster.js';
import {
  expectedOutputs,
  makeClips,
  outboxFiles,
  startTeam,
  takenBy,
  waitConnected,
  type Team,
} from './teamFixture.js';

const N = 12;
let cluster: PgCluster;
let clips: string[] = [];
const teams: Team[] = [];
const clients: TeamQueue[] = [];

async function client(schema: string): Promise<TeamQueue> {
  const q = new TeamQueue({
    url: cluster.url(),
    settings: TeamSettings.parse({ schema }),
    host: 'test',
    log: silentLogger,
    client: true,
  });
  await q.start();
  clients.push(q);
  return q;
}

function drop(t: Team): void {
  const staging = tempDir();
  for (const c of clips) {
    const staged = join(staging, basename(c));
    renameSync(c, staged); // the clip moves: make fresh copies for the next test
    renameSync(staged, join(t.inbox, basename(c)));
  }
}

async function allDone(q: TeamQueue, timeoutMs = 300_000): Promise<TeamJobView[]> {
  return waitFor(
    `${N} team jobs done`,
    async () => {
      const jobs = await q.call(() => listTeamJobs(q)).catch(() => []);
      return jobs.length === N && jobs.every((j) => j.state === 'done') && jobs;
    },
    timeoutMs,
    500,
  );
}

function assertEachOnce(t: Team, jobs: TeamJobView[]): void {
  assert.deepEqual(outboxFiles(t.outbox), expectedOutputs(N), 'exactly 12 x 4 outputs and no other files');
  for (const j of jobs) assert.match(j.host ?? '', /^mac-[123]$/, `job ${j.relPath} host ${j.host}`);
}

describe('three daemons share one inbox through PostgreSQL', { skip: SKIP_NO_POSTGRES, timeout: 900_000 }, () => {
  before(async () => {
    cluster = await PgCluster.create();
  });
  after(async () => {
    for (const t of teams) await Promise.all(t.daemons.map((d) => d.stop('SIGKILL')));
    for (const q of clients) await q.stop();
    cluster?.destroy();
  });

  test('12 recordings: each transcribed once across the team, 12 x 4 outputs, status from any daemon lists hosts', async () => {
    const t = startTeam(cluster, 'plain', 3);
    teams.push(t);
    await waitConnected(t);
    clips = makeClips(tempDir(), N);
    const started = Date.now();
    drop(t);
    const q = await client('plain');
    const jobs = await allDone(q);
    const sec = (Date.now() - started) / 1000;
    await waitFor('every output published', () => outboxFiles(t.outbox).length >= N * 4, 30_000);
    assertEachOnce(t, jobs);
    const taken = takenBy(t);
    assert.equal(taken.size, N);
    for (const [id, hosts] of taken) assert.equal(hosts.length, 1, `team job ${id} taken by daemons ${hosts}`);
    assert.ok(jobs.every((j) => j.attempts === 1));
    const perHost = Object.fromEntries(
      ['mac-1', 'mac-2', 'mac-3'].map((h) => [h, jobs.filter((j) => j.host === h).length]),
    );
    console.log(`# 12 recordings on 3 daemons: ${sec.toFixed(1)} s; jobs per host ${JSON.stringify(perHost)}`);
    for (const file of t.configFiles) {
      const r = await cli(['status', '--json', '--config', file]);
      assert.equal(r.code, 0, r.stderr);
      const status = JSON.parse(r.stdout) as {
        team: { url: string; hosts: { host: string }[] };
        jobs: { state: string; host: string }[];
      };
      assert.equal(status.jobs.filter((j) => j.state === 'done' && /^mac-[123]$/.test(j.host)).length, N);
      assert.deepEqual(
        status.team.hosts.map((h) => h.host),
        ['mac-1', 'mac-2', 'mac-3'],
      );
    }
    await Promise.all(t.daemons.map((d) => d.stop()));
  });

  test('kill -9 of a daemon in the middle of a job: the job finishes on another daemon, once', async () => {
    const t = startTeam(cluster, 'killed', 3);
    teams.push(t);
    await waitConnected(t);
    clips = makeClips(tempDir(), N);
    drop(t);
    const q = await client('killed');
    const victim = await waitFor(
      'a daemon running a job',
      async () => {
        const running = (await listTeamJobs(q)).find(
          (j) => j.state === 'running' && j.host && j.stage === 'transcribe',
        );
        return running;
      },
      120_000,
      100,
    );
    const index = Number(victim.host!.slice(4)) - 1;
    await t.daemons[index]!.stop('SIGKILL');
    const jobs = await allDone(q);
    await waitFor('every output published', () => outboxFiles(t.outbox).length >= N * 4, 30_000);
    assertEachOnce(t, jobs);
    const moved = jobs.find((j) => j.id === victim.id)!;
    assert.notEqual(moved.host, victim.host, "the killed daemon's job finished elsewhere");
    assert.equal(moved.attempts, 2);
    const taken = takenBy(t);
    for (const [id, hosts] of taken) {
      const expected = victim.id.startsWith(id) ? 2 : 1;
      assert.equal(hosts.length, expected, `team job ${id} taken by daemons ${hosts}`);
    }
    await Promise.all(t.daemons.map((d) => d.stop()));
  });

  test('PostgreSQL stopped for 20 s in the middle of a batch: all finish, none twice', async () => {
    const t = startTeam(cluster, 'outage', 3, { heartbeatSec: 60 });
    teams.push(t);
    await waitConnected(t);
    clips = makeClips(tempDir(), N);
    drop(t);
    const q = await client('outage');
    await waitFor(
      'a few jobs done and some running',
      async () => {
        const jobs = await listTeamJobs(q);
        return (
          jobs.length === N &&
          jobs.filter((j) => j.state === 'done').length >= 2 &&
          jobs.some((j) => j.state === 'running')
        );
      },
      180_000,
      200,
    );
    cluster.stop();
    const downAt = Date.now();
    await waitFor(
      'a daemon noticing the outage',
      () => t.daemons.some((d) => d.output.includes('team database unreachable')),
      30_000,
    );
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - downAt))));
    cluster.start();
    const jobs = await allDone(q);
    await waitFor('every output published', () => outboxFiles(t.outbox).length >= N * 4, 30_000);
    assertEachOnce(t, jobs);
    for (const [id, hosts] of takenBy(t)) assert.equal(hosts.length, 1, `team job ${id} taken by daemons ${hosts}`);
    assert.ok(
      jobs.every((j) => j.attempts === 1),
      JSON.stringify(jobs.map((j) => [j.relPath, j.attempts])),
    );
    assert.ok(
      t.daemons.some((d) => d.output.includes('team result replayed after reconnecting')),
      'a job that finished during the outage had its result replayed',
    );
    await Promise.all(t.daemons.map((d) => d.stop()));
  });
});
