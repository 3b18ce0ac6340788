// The team job source against a scripted queue (no PostgreSQL): a fetched job is leased as a local row by its id, a
// copy that has not synced is handed back, a lost lease stops the run and reports nothing, outcomes are reported
// once with outbox-relative outputs, and an unreachable database makes intake wait.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { silentLogger } from '../../../src/platform/log.js';
import { TeamOfflineError } from '../../../src/team/connectionError.js';
import { jobIdFor, jobKey, type TeamJob, type TeamResult } from '../../../src/team/teamJob.js';
import type { TeamQueue } from '../../../src/team/teamQueue.js';
import { TeamJobSource } from '../../../src/team/teamSource.js';
import { testConfig } from '../../helpers/env.js';
import { addJob, keptDocument, tempStore } from '../../helpers/store.js';

function setup(touch: 'ok' | 'lost' | 'canceled' = 'ok') {
  const config = testConfig({ team: { heartbeatSec: 10 } });
  const inbox = config.inboxes[0]!;
  mkdirSync(inbox, { recursive: true });
  const jobs = tempStore();
  const calls: string[] = [];
  const results: TeamResult[] = [];
  let fetchable: TeamJob[] = [];
  let offline = false;
  const queue = {
    online: true,
    fetch: async (n: number) => fetchable.splice(0, n),
    release: async (t: TeamJob) => (calls.push(`release ${t.id}`), 'recorded'),
    touch: async (t: TeamJob) => (calls.push(`touch ${t.id}`), touch),
    finish: async (t: TeamJob, r: TeamResult) => (calls.push(`finish ${t.id}`), results.push(r), 'recorded'),
    outputRelTaken: async () => false,
    enqueue: async () => {
      if (offline) throw new TeamOfflineError();
      return { status: 'queued', id: 'aaaaaaaa-0000' };
    },
    stop: async () => {},
  } as unknown as TeamQueue;
  const source = new TeamJobSource(queue, {
    config,
    jobs,
    runs: jobs.runs,
    outputFiles: jobs.outputFiles,
    log: silentLogger,
    host: 'mac-a',
    owner: 'mac-a:1',
    leaseMs: 60_000,
    running: () => 0,
  });
  /** A file in the inbox and the team job for it (`sha` other than its content: a copy not synced yet). */
  const teamJob = (name: string, sha?: string): TeamJob => {
    writeFileSync(join(inbox, name), `content of ${name}`);
    const real = createHash('sha256').update(`content of ${name}`).digest('hex');
    return {
      id: `id-${name}`,
      key: `${name}#${real}`,
      attempt: 0,
      relPath: name,
      inboxIndex: 0,
      sha256: sha ?? real,
      size: `content of ${name}`.length,
      mtimeMs: 1,
      outputRel: name.replace(/\.\w+$/, ''),
      settings: { ...DEFAULT_SETTINGS },
      enqueuedBy: 'mac-b',
    };
  };
  const offer = (...t: TeamJob[]) => (fetchable = t);
  return { config, jobs, source, calls, results, teamJob, offer, goOffline: () => (offline = true) };
}

test('a fetched team job runs as a local row leased by its id; finishing reports outbox-relative outputs once', async () => {
  const { config, jobs, source, calls, results, teamJob, offer } = setup();
  addJob(jobs); // an older local row: the team job's mirror is leased, not the next queued row
  offer(teamJob('talk.wav'));
  const [job] = await source.claim(2);
  assert.equal(job!.relPath, 'talk.wav', 'the mirror, not the older local row');
  assert.equal(jobs.get(job!.id)!.state, 'running');
  const txt = join(config.outbox, 'talk.txt');
  await source.finish(job!, { outputs: [txt], degraded: [], notes: [], document: keptDocument('hello') });
  assert.deepEqual(calls, ['finish id-talk.wav']);
  assert.deepEqual([results[0]!.outcome, results[0]!.outputs, results[0]!.host], ['done', ['talk.txt'], 'mac-a']);
  assert.equal(jobs.get(job!.id)!.state, 'done');
});

test('a copy that has not synced here is handed back, and this host leaves the queue alone for a while', async () => {
  const { source, calls, teamJob, offer } = setup();
  offer(teamJob('late.wav', 'f'.repeat(64)));
  assert.deepEqual(await source.claim(1), []);
  assert.deepEqual(calls, ['release id-late.wav']);
  offer(teamJob('next.wav'));
  assert.deepEqual(await source.claim(1), [], 'paused after a hand-back');
  assert.ok(source.nextClaimAt()! >= Date.now() + 9000);
});

test('a lease lost to another host stops the run; its end is reported to nobody', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  const { jobs, source, calls, teamJob, offer } = setup('lost');
  offer(teamJob('talk.wav'));
  const [job] = await source.claim(1);
  assert.equal(await source.renew(job!), 'ok', 'the team lease is touched every few seconds, not every call');
  assert.deepEqual(calls, []);
  t.mock.timers.tick(2500);
  assert.equal(await source.renew(job!), 'stop');
  await source.canceled(job!);
  assert.deepEqual(calls, ['touch id-talk.wav']);
  assert.equal(jobs.get(job!.id)!.state, 'canceled');
});

test('a daemon stopping hands its job back; an unreachable database makes intake wait', async () => {
  const { config, jobs, source, calls, teamJob, offer, goOffline } = setup();
  offer(teamJob('talk.wav'));
  const [job] = await source.claim(1);
  await source.release(job!);
  assert.deepEqual(calls, ['release id-talk.wav']);
  assert.equal(jobs.get(job!.id)!.state, 'canceled', 'the local mirror ends; the team job goes to another host');
  const file = { ...teamJob('new.wav'), input: join(config.inboxes[0]!, 'new.wav'), inbox: config.inboxes[0]! };
  assert.equal(await source.enqueue({ ...file, settings: DEFAULT_SETTINGS }), 'queued');
  assert.equal(source.knows(file.input, file.size, file.mtimeMs), true);
  goOffline();
  assert.equal(await source.enqueue({ ...file, input: `${file.input}.2`, settings: DEFAULT_SETTINGS }), 'waiting');
});

test("retry and cancel from a local row (the web page) name the team job it mirrors, never the row's id", async () => {
  const { jobs, source, teamJob, offer } = setup();
  offer(teamJob('talk.wav'));
  const [running] = await source.claim(1);
  assert.equal(source.refOf(running!), 'id-talk.wav', 'the team job running here');
  const { job: done } = addJob(jobs, '/in/old.wav');
  const ref = source.refOf(done);
  assert.notEqual(ref, String(done.id));
  assert.equal(ref, jobIdFor(jobKey(0, 'old.wav', done.sha256)), 'the one id the team gives this file');
});

/** A file outside the inbox (beside it, in the test's temp root) and a team job pointing at it with `relPath`. */
function outsideJob(inbox: string, relPath: string, file = join(inbox, '..', 'outside.wav')): TeamJob {
  const content = readFileSync(file);
  return {
    id: `id-${relPath}`,
    key: `${relPath}#x`,
    attempt: 0,
    relPath,
    inboxIndex: 0,
    sha256: createHash('sha256').update(content).digest('hex'),
    size: content.length,
    mtimeMs: 1,
    outputRel: 'outside',
    settings: { ...DEFAULT_SETTINGS },
    enqueuedBy: 'mac-b',
  };
}

test('a team job whose path leads out of the inbox is failed with the reason; the next job still runs', async () => {
  const { config, jobs, source, results, teamJob, offer } = setup();
  const inbox = config.inboxes[0]!;
  writeFileSync(join(inbox, '..', 'outside.wav'), 'not in the inbox');
  mkdirSync(join(inbox, 'a'));
  const hostile = [
    outsideJob(inbox, '../outside.wav'),
    outsideJob(inbox, 'a/../../outside.wav'),
    outsideJob(inbox, join(inbox, '..', 'outside.wav')),
    outsideJob(inbox, '/etc/passwd', '/etc/passwd'),
    outsideJob(inbox, 'a\\..\\..\\outside.wav'),
  ];
  offer(...hostile, teamJob('good.wav'));
  const claimed = [];
  for (let i = 0; i <= hostile.length; i++) claimed.push(...(await source.claim(1))); // one a call, as the worker asks
  assert.deepEqual(
    claimed.map((j) => j.relPath),
    ['good.wav'],
    'only the job inside the inbox runs here',
  );
  assert.deepEqual(
    jobs.list(100).map((j) => j.relPath),
    ['good.wav'],
    'no local row for a refused job',
  );
  assert.equal(results.length, hostile.length, 'each refused job is reported to the team');
  for (const r of results) {
    assert.equal(r.outcome, 'failed');
    assert.match(r.error ?? '', /refused by mac-a: /);
  }
});

test('a symbolic link in the inbox pointing outside it is refused for a team job', async () => {
  const { config, jobs, source, results, offer } = setup();
  const inbox = config.inboxes[0]!;
  const outside = join(inbox, '..', 'secret.wav');
  writeFileSync(outside, 'a file outside the inbox');
  symlinkSync(outside, join(inbox, 'link.wav'));
  offer({ ...outsideJob(inbox, 'link.wav', outside), id: 'id-link' });
  assert.deepEqual(await source.claim(1), []);
  assert.equal(jobs.list(10).length, 0);
  assert.equal(results[0]?.outcome, 'failed');
  assert.match(results[0]?.error ?? '', /symbolic link out of the inbox/);
});

test("another host's settings: only the allow-list is taken; beside, paths and repositories come from this host", async () => {
  const { jobs, source, teamJob, offer } = setup();
  const sent = {
    ...DEFAULT_SETTINGS,
    backend: 'openai',
    model: '/tmp/evil-model',
    alignModel: 'evil/align-repo',
    separateModel: '/tmp/demucs-model',
    vocabularyFile: '/etc/passwd',
    output: { beside: true, languageSuffix: true },
    language: 'de',
    task: 'translate',
    speakers: 2,
    vocabulary: ['Zyphrex'],
    formats: ['srt'],
  };
  const hubModel = { ...DEFAULT_SETTINGS, model: 'evil/whisper-repo' };
  offer({ ...teamJob('a.wav'), settings: sent }, { ...teamJob('b.wav'), settings: hubModel });
  const [a, b] = await source.claim(2);
  const s = jobs.get(a!.id)!.settings;
  assert.deepEqual(
    [s.output.beside, s.model, s.alignModel, s.separateModel, s.vocabularyFile, s.backend],
    [false, DEFAULT_SETTINGS.model, null, DEFAULT_SETTINGS.separateModel, null, DEFAULT_SETTINGS.backend],
    "this host's own values for what names a path, a repository, a backend or a write beside the recording",
  );
  assert.deepEqual(
    [s.language, s.task, s.speakers, s.vocabulary, s.formats, s.output.languageSuffix],
    ['de', 'translate', 2, ['Zyphrex'], ['srt'], true],
    'the transcript settings of the allow-list are taken',
  );
  assert.equal(jobs.get(b!.id)!.settings.model, DEFAULT_SETTINGS.model, 'a repository is not a known model name');
});
