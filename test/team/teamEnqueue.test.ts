// Two real daemons on one PostgreSQL, recordings queued with `dropscribe enqueue` (the Hazel path) right after they
// land in the inbox: each is transcribed once and published once; `retry` and `cancel` of one work from either host.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
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

const N = 4;
let cluster: PgCluster;
let team: Team | undefined;

interface StatusJob {
  id: string;
  input: string;
  state: string;
  host: string | null;
}

async function teamJobs(configFile: string): Promise<StatusJob[]> {
  const r = await cli(['status', '--json', '--config', configFile]);
  return r.code === 0 ? (JSON.parse(r.stdout) as { jobs: StatusJob[] }).jobs : [];
}

async function until(configFile: string, what: string, ok: (jobs: StatusJob[]) => boolean): Promise<StatusJob[]> {
  return waitFor(
    what,
    async () => {
      const jobs = await teamJobs(configFile);
      return ok(jobs) && jobs;
    },
    240_000,
    500,
  );
}

describe('dropscribe enqueue in team mode', { skip: SKIP_NO_POSTGRES, timeout: 600_000 }, () => {
  before(async () => {
    cluster = await PgCluster.create();
  });
  after(async () => {
    await Promise.all(team?.daemons.map((d) => d.stop('SIGKILL')) ?? []);
    cluster?.destroy();
  });

  test('files queued with enqueue are transcribed and published once; retry and cancel from either host', async () => {
    const t = startTeam(cluster, 'hazel', 2);
    team = t;
    await waitConnected(t);
    const [one, two] = t.configFiles as [string, string];
    for (const clip of makeClips(tempDir(), N)) {
      const dropped = join(t.inbox, basename(clip));
      copyFileSync(clip, dropped);
      const r = await cli(['enqueue', dropped, '--config', one]);
      // 3 (duplicate): the watcher of a daemon saw the file first and queued it on the team; either way one job
      assert.match(`${r.code} ${r.stdout}`, /^(0 queued|3 duplicate)\t/, `enqueue ${basename(clip)}: ${r.stderr}`);
    }
    const jobs = await until(
      one,
      `${N} team jobs done`,
      (js) => js.length === N && js.every((j) => j.state === 'done'),
    );
    assert.deepEqual(outboxFiles(t.outbox), expectedOutputs(N), 'each recording published once, nothing else');
    for (const [teamJob, hosts] of takenBy(t)) assert.equal(hosts.length, 1, `team job ${teamJob} taken once`);
    assert.equal(takenBy(t).size, N);

    // retry and cancel from either host act on the shared queue; the daemons stop first, so the job is surely queued
    // when cancel comes (a cancel reaching a running job: test/team/teamQueue.test.ts)
    await Promise.all(t.daemons.map((d) => d.stop()));
    const target = jobs.find((j) => j.input === 'clip-01.wav')!;
    const ref = target.id.slice(0, 8);
    const txt = join(t.outbox, 'clip-01.txt');
    const before = readFileSync(txt, 'utf8');
    const stateOf = async (file: string) => (await teamJobs(file)).find((j) => j.id === target.id)?.state;
    const retried = await cli(['retry', ref, '--config', two]);
    assert.equal(retried.code, 0, retried.stdout + retried.stderr);
    assert.match(retried.stdout, /queued again/);
    assert.equal(await stateOf(one), 'queued');
    const canceled = await cli(['cancel', ref, '--config', one]);
    assert.equal(canceled.code, 0, canceled.stdout + canceled.stderr);
    assert.match(canceled.stdout, /canceled/);
    assert.equal(await stateOf(two), 'canceled');
    const again = await cli(['retry', ref, '--config', one]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    for (const d of t.daemons) d.start();
    await until(two, 'the job done again', (js) => js.find((j) => j.id === target.id)?.state === 'done');
    assert.equal(readFileSync(txt, 'utf8'), before);
    assert.deepEqual(outboxFiles(t.outbox), expectedOutputs(N), 'still one set of outputs per recording');
    const nonce = await cli(['retry', 'ffffffff', '--config', two]);
    assert.equal(nonce.code, 1);
    assert.match(nonce.stdout, /no team job ffffffff/);
  });
});
