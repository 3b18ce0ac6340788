// The local job source: claims up to n ready jobs by lease, a cancel request makes renew say stop, retry and cancel
// reply in plain words, and outcomes land on the local rows.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { silentLogger } from '../../../src/platform/log.js';
import { LocalJobSource } from '../../../src/queue/localSource.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, keptDocument, tempStore } from '../../helpers/store.js';

function setup() {
  let now = Date.UTC(2030, 0, 1);
  const jobs = tempStore(() => now);
  const source = new LocalJobSource({ jobs, outbox: '/out', log: silentLogger, owner: 'host:1', leaseMs: 1000 });
  return { jobs, source, advance: (ms: number) => (now += ms) };
}

test('claim takes at most n ready jobs, oldest first, leased to this daemon', async () => {
  const { jobs, source } = setup();
  const [a, b] = [addJob(jobs).job, addJob(jobs).job, addJob(jobs).job];
  const claimed = await source.claim(2);
  assert.deepEqual(
    claimed.map((j) => j.id),
    [a.id, b.id],
  );
  assert.deepEqual(
    claimed.map((j) => [j.state, j.attempts]),
    [
      ['running', 1],
      ['running', 1],
    ],
  );
  assert.equal((await source.claim(5)).length, 1);
  assert.deepEqual(await source.claim(5), []);
});

test('renew keeps the lease; a cancel request makes it say stop; canceled ends the row', async () => {
  const { jobs, source, advance } = setup();
  addJob(jobs);
  const [job] = await source.claim(1);
  advance(900);
  assert.equal(await source.renew(job!), 'ok');
  advance(900);
  assert.equal(jobs.reapStaleLeases(), 0, 'the renewed lease has not run out');
  assert.deepEqual(await source.cancel(String(job!.id)), {
    ok: true,
    message: `job ${job!.id} will stop within seconds`,
  });
  assert.equal(await source.renew(job!), 'stop');
  await source.canceled(job!);
  assert.equal(jobs.get(job!.id)!.state, 'canceled');
  assert.deepEqual(await source.retry(String(job!.id)), { ok: true, message: `job ${job!.id} queued again` });
  assert.equal((await source.retry('999')).ok, false);
  assert.equal((await source.cancel('999')).ok, false);
});

test('retryLater waits out its delay; release puts it back at once; finish and fail record the outcome', async () => {
  const { jobs, source, advance } = setup();
  const [x, y] = [addJob(jobs).job, addJob(jobs).job];
  const [cx, cy] = await source.claim(2);
  await source.retryLater(cx!, 5000, { message: 'outbox is away', kind: 'outbox' });
  assert.equal(source.nextClaimAt(), jobs.now() + 5000);
  assert.deepEqual(await source.claim(1), [], 'not before its delay');
  advance(5000);
  const [again] = await source.claim(1);
  assert.equal(again!.id, x.id);
  await source.finish(again!, { outputs: ['/out/x.txt'], degraded: [], notes: [], document: keptDocument('hi') });
  await source.release(cy!);
  assert.equal(jobs.get(y.id)!.state, 'queued');
  const [cy2] = await source.claim(1);
  await source.fail(cy2!, { message: 'bad input', kind: 'bad-input', outputs: ['/out/y.error.txt'] });
  assert.deepEqual(
    [jobs.get(x.id)!.state, jobs.get(y.id)!.state, jobs.get(y.id)!.errorKind],
    ['done', 'failed', 'bad-input'],
  );
});

/** A local source on a real outbox, and a way to queue a new recording `rel` with content `sha`. */
function onOutbox() {
  const outbox = tempDir();
  const jobs = tempStore();
  const source = new LocalJobSource({ jobs, outbox, log: silentLogger, owner: 'host:1', leaseMs: 1000 });
  const queue = async (rel: string, sha = `sha-${rel}`) => {
    await source.enqueue({
      input: `/in/${rel}`,
      inbox: '/in',
      relPath: rel,
      sha256: sha,
      size: 1,
      mtimeMs: 1,
      settings: DEFAULT_SETTINGS,
    });
    return relative(outbox, jobs.list(1)[0]!.outputStem);
  };
  return { outbox, jobs, queue };
}

const folded = (s: string) => s.normalize('NFC').toLowerCase();

test('Interview.wav and interview.mp3 get output names that differ on a Mac (case-folded)', async () => {
  const { queue } = onOutbox();
  const first = await queue('Interview.wav');
  const second = await queue('interview.mp3');
  assert.equal(first, 'Interview');
  assert.notEqual(folded(second), folded(first));
  const third = await queue('INTERVIEW.wav');
  assert.equal(new Set([first, second, third].map(folded)).size, 3, `${first} | ${second} | ${third}`);
});

test('Café.m4a in NFC and in NFD get output names that differ after normalization', async () => {
  const { queue } = onOutbox();
  const nfc = await queue('Caf\u00e9.m4a');
  const nfd = await queue('Cafe\u0301.m4a');
  assert.notEqual(folded(nfd), folded(nfc));
});

test('a folder named in another case is the same folder on a Mac: talks/a.wav and Talks/A.wav differ', async () => {
  const { queue } = onOutbox();
  const first = await queue('talks/a.wav');
  const second = await queue('Talks/A.wav');
  assert.notEqual(folded(second), folded(first));
});

test('after its job rows are pruned, files in the outbox still hold their name against a new recording', async () => {
  const { outbox, queue } = onOutbox();
  writeFileSync(join(outbox, 'talk.txt'), 'an old transcript whose job was pruned after 90 days');
  writeFileSync(join(outbox, 'Notes.SRT'), 'a subtitle put here by hand');
  assert.notEqual(await queue('talk.wav'), 'talk');
  assert.notEqual(folded(await queue('notes.wav')), 'notes');
  assert.equal(await queue('other.wav'), 'other', 'a name with no files is free');
});
