// TeamQueue against a real PostgreSQL server: one job per file across hosts, capacity, hand-over when a host dies,
// cancel reaching the running host, retry, and a server stopped for 20 s mid-batch (nothing lost, nothing twice).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { silentLogger } from '../../src/platform/log.js';
import { TeamOfflineError } from '../../src/team/connectionError.js';
import { cancelTeamJob, retryTeamJob } from '../../src/team/teamCommands.js';
import { jobKey, type TeamJob, type TeamJobData } from '../../src/team/teamJob.js';
import { TeamQueue } from '../../src/team/teamQueue.js';
import { TeamSettings } from '../../src/config/teamSettings.js';
import { checkTeam, listTeamJobs } from '../../src/team/teamStatus.js';
import { TeamJobSource } from '../../src/team/teamSource.js';
import { waitFor } from '../helpers/daemonProcess.js';
import { tempDir, testConfig } from '../helpers/env.js';
import { tempStore } from '../helpers/store.js';
import { freePort, PgCluster, SKIP_NO_POSTGRES } from './pgCluster.js';

let cluster: PgCluster;
let schemaCount = 0;
const queues: TeamQueue[] = [];

function data(relPath: string, sha256 = `sha-${relPath}`): TeamJobData {
  return {
    relPath,
    inboxIndex: 0,
    sha256,
    size: 1,
    mtimeMs: 1,
    outputRel: relPath.replace(/\.\w+$/, ''),
    settings: {},
    enqueuedBy: 'test',
  };
}

/** Hosts sharing one fresh schema. */
async function team(hosts: string[], overrides: Partial<TeamSettings> = {}, pendingDir?: string): Promise<TeamQueue[]> {
  const settings = TeamSettings.parse({ schema: `t${++schemaCount}`, superviseSec: 1, ...overrides });
  const made = hosts.map(
    (host) =>
      new TeamQueue({
        url: cluster.url('s3cret'),
        settings,
        host,
        log: silentLogger,
        pendingFile: pendingDir ? join(pendingDir, `${host}.json`) : undefined,
      }),
  );
  for (const q of made) await q.start(); // one after the other: the first installs the schema
  queues.push(...made);
  return made;
}

describe('TeamQueue on a real PostgreSQL', { skip: SKIP_NO_POSTGRES, timeout: 180_000 }, () => {
  before(async () => {
    cluster = await PgCluster.create();
  });
  after(async () => {
    for (const q of queues) await q.stop();
    cluster?.destroy();
  });

  test('the same file enqueued by three hosts is one job; enqueued again after it is done it stays done', async () => {
    const [a, b, c] = await team(['mac-a', 'mac-b', 'mac-c']);
    const outcomes = await Promise.all([a!, b!, c!].map((q) => q.enqueue(data('talks/one.m4a', 'abc'))));
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['known', 'known', 'queued']);
    assert.equal(new Set(outcomes.map((o) => o.id)).size, 1);
    const [job] = await b!.fetch(5);
    assert.equal(job!.key, jobKey(0, 'talks/one.m4a', 'abc'));
    assert.equal(await b!.finish(job!, { host: 'mac-b', outcome: 'done', outputs: ['talks/one.srt'] }), 'recorded');
    assert.equal((await c!.enqueue(data('talks/one.m4a', 'abc'))).status, 'known');
    assert.deepEqual(await a!.fetch(5), []);
    const jobs = await listTeamJobs(a!);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.state, 'done');
    assert.equal(jobs[0]!.host, 'mac-b');
    assert.deepEqual(jobs[0]!.outputs, ['talks/one.srt']);
    // other content under the same name is another job
    assert.equal((await a!.enqueue(data('talks/one.m4a', 'def'))).status, 'queued');
  });

  test('fetch takes no more than the capacity it is given', async () => {
    const [a, b] = await team(['mac-a', 'mac-b']);
    for (let i = 0; i < 5; i++) await a!.enqueue(data(`f${i}.wav`));
    assert.deepEqual(await a!.fetch(0), []);
    assert.equal((await a!.fetch(2)).length, 2);
    assert.equal((await b!.fetch(1)).length, 1);
    assert.equal((await b!.fetch(10)).length, 2);
    const running = (await listTeamJobs(a!)).filter((j) => j.state === 'running');
    assert.deepEqual(running.map((j) => j.host).sort(), ['mac-a', 'mac-a', 'mac-b', 'mac-b', 'mac-b']);
  });

  test('a host that dies mid-job: its lease runs out and another host runs the job; the dead one cannot settle it', async () => {
    const [a, b] = await team(['mac-a', 'mac-b'], { heartbeatSec: 10 });
    await a!.enqueue(data('long.wav'));
    const [mine] = await a!.fetch(1);
    assert.equal(await a!.touch(mine!, 'transcribe', 0.3), 'ok');
    const died = Date.now();
    const taken = await waitFor('the job handed to mac-b', async () => (await b!.fetch(1))[0], 60_000, 500);
    const waitedSec = (Date.now() - died) / 1000;
    assert.ok(waitedSec >= 9, `handed over after ${waitedSec} s, before the 10 s heartbeat ran out`);
    assert.equal(taken.id, mine!.id);
    assert.equal(taken.attempt, mine!.attempt + 1);
    assert.equal(await a!.touch(mine!), 'lost');
    assert.equal(await a!.finish(mine!, { host: 'mac-a', outcome: 'done', outputs: [] }), 'lost');
    assert.equal(await b!.finish(taken, { host: 'mac-b', outcome: 'done', outputs: ['long.srt'] }), 'recorded');
    const [view] = await listTeamJobs(b!);
    assert.equal(view!.host, 'mac-b');
    assert.equal(view!.attempts, 2);
  });

  test('a released job (daemon stopping) goes to another host at once', async () => {
    const [a, b] = await team(['mac-a', 'mac-b']);
    await a!.enqueue(data('r.wav'));
    const [job] = await a!.fetch(1);
    assert.equal(await a!.release(job!), 'recorded');
    const [again] = await b!.fetch(1);
    assert.equal(again?.id, job!.id);
  });

  test('a cancel reaches the host that runs the job; retry runs a done job again', async () => {
    const [a, cliHost] = await team(['mac-a', 'cli']);
    const { id } = await cliHost!.enqueue(data('c.wav'));
    const [job] = await a!.fetch(1);
    assert.equal(await a!.touch(job!), 'ok');
    assert.equal(await cancelTeamJob(cliHost!, id), true);
    assert.equal(await a!.touch(job!), 'canceled');
    assert.equal((await listTeamJobs(cliHost!))[0]!.state, 'canceled');
    assert.equal(await retryTeamJob(cliHost!, id), true);
    const [again] = await a!.fetch(1);
    assert.equal(again?.id, id);
    assert.equal(await a!.finish(again!, { host: 'mac-a', outcome: 'done', outputs: ['c.srt'] }), 'recorded');
    assert.equal(await retryTeamJob(cliHost!, id), true);
    assert.equal((await listTeamJobs(cliHost!))[0]!.state, 'queued');
    assert.equal(await retryTeamJob(cliHost!, '00000000-0000-0000-0000-000000000000'), false);
  });

  test('doctor: connection, both schema versions and clock skew; an unreachable server is reported without the password', async () => {
    const [a] = await team(['mac-a']);
    const c = await checkTeam(a!);
    assert.equal(c.connected, true);
    assert.equal(c.teamSchemaVersion, c.expectedTeamSchemaVersion);
    assert.ok((c.queueSchemaVersion ?? 0) > 0);
    assert.ok(Math.abs(c.clockSkewMs!) < 1000, `skew ${c.clockSkewMs} ms on one machine`);
    assert.deepEqual(c.problems, []);
    const closed = new TeamQueue({
      url: `postgres://postgres:hunter2@127.0.0.1:${await freePort()}/postgres`,
      settings: TeamSettings.parse({}),
      host: 'x',
      log: silentLogger,
      client: true,
    });
    const err = await closed.start().then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err && !err.message.includes('hunter2'), err?.message);
    await closed.stop();
  });

  test('a second recording with the same name and another extension gets its own output stem', async () => {
    const [a] = await team(['mac-a']);
    const store = tempStore();
    const intake = new TeamJobSource(a!, {
      config: testConfig({ inboxes: ['/in'] }),
      jobs: store,
      runs: store.runs,
      outputFiles: store.outputFiles,
      log: silentLogger,
      host: 'mac-a',
      owner: 'mac-a:1',
      leaseMs: 1000,
      running: () => 0,
    });
    const job = (relPath: string, sha256: string) => ({
      input: `/in/${relPath}`,
      inbox: '/in',
      relPath,
      sha256,
      size: 1,
      mtimeMs: 1,
      settings: {} as never,
    });
    assert.equal(await intake.enqueue(job('talk.mp3', 'one')), 'queued');
    assert.equal(await intake.enqueue(job('talk.wav', 'two')), 'queued');
    assert.equal(await intake.enqueue(job('talk.mp3', 'three')), 'queued'); // new content, same file: same outputs
    const stems = (await a!.fetch(5)).map((j) => `${j.relPath}:${j.outputRel}`).sort();
    assert.deepEqual(stems, ['talk.mp3:talk', 'talk.mp3:talk', 'talk.wav:talk.wav']);
  });

  test('server stopped for 20 s mid-batch: running jobs finish, results wait and are replayed; nothing lost or twice', async () => {
    const pendingDir = tempDir();
    const [a, b] = await team(['mac-a', 'mac-b'], { heartbeatSec: 60 }, pendingDir);
    for (let i = 0; i < 6; i++) await a!.enqueue(data(`batch/${i}.wav`));
    const runs = new Map<string, string[]>(); // job id -> hosts that ran it
    const take = async (q: TeamQueue, host: string, n: number): Promise<TeamJob[]> => {
      const jobs = await q.fetch(n);
      for (const j of jobs) runs.set(j.id, [...(runs.get(j.id) ?? []), host]);
      return jobs;
    };
    const heldA = await take(a!, 'mac-a', 2);
    const heldB = await take(b!, 'mac-b', 2);
    cluster.stop();
    const stoppedAt = Date.now();
    // the jobs go on and finish while the server is away
    assert.equal(await a!.touch(heldA[0]!), 'offline');
    assert.equal(a!.online, false);
    for (const j of heldA)
      assert.equal(await a!.finish(j, { host: 'mac-a', outcome: 'done', outputs: [`${j.relPath}.srt`] }), 'pending');
    assert.equal(await b!.finish(heldB[0]!, { host: 'mac-b', outcome: 'done', outputs: [] }), 'pending');
    assert.equal(a!.pending.size, 2);
    await assert.rejects(a!.enqueue(data('batch/late.wav')), TeamOfflineError);
    assert.deepEqual(await b!.fetch(2), []);
    // a restart of the daemon during the outage keeps its outstanding results
    const reopened = new TeamQueue({
      url: cluster.url('s3cret'),
      settings: TeamSettings.parse({ schema: a!.schema }),
      host: 'mac-a',
      log: silentLogger,
      pendingFile: join(pendingDir, 'mac-a.json'),
    });
    assert.equal(reopened.pending.size, 2);
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - stoppedAt))));
    cluster.start();
    await waitFor(
      'both hosts back online with nothing pending',
      () => a!.online && b!.online && a!.pending.size === 0 && b!.pending.size === 0,
      30_000,
      200,
    );
    assert.equal(await b!.finish(heldB[1]!, { host: 'mac-b', outcome: 'done', outputs: [] }), 'recorded');
    await a!.enqueue(data('batch/late.wav'));
    for (let round = 0; round < 10; round++) {
      let took = 0;
      for (const [q, host] of [
        [a!, 'mac-a'],
        [b!, 'mac-b'],
      ] as const) {
        for (const j of await take(q, host, 2)) {
          took++;
          assert.equal(await q.finish(j, { host, outcome: 'done', outputs: [] }), 'recorded');
        }
      }
      if (!took) break;
    }
    const jobs = await listTeamJobs(a!);
    assert.equal(jobs.length, 7);
    assert.deepEqual(
      jobs.filter((j) => j.state !== 'done').map((j) => `${j.relPath}:${j.state}`),
      [],
    );
    for (const [id, hosts] of runs) assert.equal(hosts.length, 1, `job ${id} ran on ${hosts.join(', ')}`);
    assert.equal(runs.size, 7);
  });
});
