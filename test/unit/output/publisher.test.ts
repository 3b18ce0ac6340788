// The one publisher and its overwrite rule, through every path that writes outputs: a job's end (the dispatcher),
// duplicates, corrections and error reports. A file dropscribe did not write, or one the user changed since, is never
// written over: beside a recording the job is skipped with a note; in the outbox the whole set takes the next free name.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, type JobSettings } from '../../../src/config/config.js';
import { Dispatcher } from '../../../src/daemon/dispatcher.js';
import { publishReadyDuplicates } from '../../../src/output/duplicates.js';
import { publishCorrections } from '../../../src/output/republish.js';
import type { PipelineResult } from '../../../src/pipeline/pipeline.js';
import { silentLogger } from '../../../src/platform/log.js';
import { LocalJobSource } from '../../../src/queue/localSource.js';
import { MemoryScheduler } from '../../../src/resources/scheduler.js';
import type { Job } from '../../../src/store/jobs.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { keptDocument, tempStore } from '../../helpers/store.js';

const MINE = 'my own notes about the talk\n';
const sorted = (dir: string) => readdirSync(dir).sort();

/** A daemon's dispatcher whose pipeline transcribes every recording as `words` at once. */
function daemon(words = 'ask not') {
  const config = testConfig();
  mkdirSync(config.outbox);
  const inbox = config.inboxes[0]!;
  mkdirSync(inbox);
  const jobs = tempStore();
  const source = new LocalJobSource({ jobs, outbox: config.outbox, log: silentLogger, owner: 't:1', leaseMs: 60_000 });
  const result = (): PipelineResult => ({ document: keptDocument(words), degraded: [], notes: [] });
  const dispatcher = new Dispatcher({
    config,
    source,
    stores: jobs,
    pipelineStores: jobs,
    scheduler: new MemoryScheduler(2 ** 33, silentLogger),
    log: silentLogger,
    workRoot: join(config.dataDir, 'work'),
    warm: undefined,
    pauseIntakeForDisk: () => {},
    intake: () => ({ paused: false, pendingCount: 0 }),
    pipeline: async () => result(),
  });
  /** A recording `rel` below the inbox (made on disk), queued as intake would with `settings`. */
  const drop = (rel: string, settings: Partial<JobSettings> = {}, sha = `sha-${rel}`): Job => {
    const input = join(inbox, rel);
    mkdirSync(join(input, '..'), { recursive: true });
    writeFileSync(input, `audio of ${rel}`);
    const st = statSync(input);
    return jobs.enqueue({
      input,
      inbox,
      relPath: rel,
      outputStem: join(config.outbox, rel.replace(/\.[^.]+$/, '')),
      sha256: sha,
      size: st.size,
      mtimeMs: Math.round(st.mtimeMs),
      settings: { ...DEFAULT_SETTINGS, ...settings },
    }).job;
  };
  return { config, inbox, jobs, drop, dispatcher };
}

/** Run jobs one by one: each pump claims what is ready; wait until none runs. */
async function settle(d: ReturnType<typeof daemon>): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await d.dispatcher.pump();
    for (let i = 0; i < 1000 && d.dispatcher.running > 0; i++) await new Promise((r) => setImmediate(r));
  }
}

const BESIDE = { output: { ...DEFAULT_SETTINGS.output, beside: true } };

test("a user's talk.txt beside a watched recording survives: the job is skipped with a note", async () => {
  const d = daemon();
  mkdirSync(join(d.inbox, 'notes'));
  writeFileSync(join(d.inbox, 'notes', 'talk.txt'), MINE);
  const job = d.drop('notes/talk.mp4', BESIDE);
  await settle(d);
  d.dispatcher.halt();
  const done = d.jobs.get(job.id)!;
  assert.equal(readFileSync(join(d.inbox, 'notes', 'talk.txt'), 'utf8'), MINE);
  assert.deepEqual(sorted(join(d.inbox, 'notes')), ['talk.mp4', 'talk.txt'], 'nothing else written beside it');
  assert.deepEqual([done.state, done.outputs], ['done', []]);
  assert.match(done.notes.join('\n'), /skipped: talk\.txt is already beside the recording/);
});

test("a user's talk.json beside a recording also holds the name, whatever the case of its name", async () => {
  const d = daemon();
  writeFileSync(join(d.inbox, 'TALK.JSON'), '{"mine": true}');
  const job = d.drop('talk.mp4', BESIDE);
  await settle(d);
  d.dispatcher.halt();
  assert.equal(readFileSync(join(d.inbox, 'TALK.JSON'), 'utf8'), '{"mine": true}');
  assert.deepEqual(sorted(d.inbox), ['TALK.JSON', 'talk.mp4']);
  assert.match(d.jobs.get(job.id)!.notes.join('\n'), /skipped: TALK\.JSON is already beside/);
});

test('beside a recording our own earlier outputs are written over in place (a retry, a re-saved recording)', async () => {
  const d = daemon('first words');
  const job = d.drop('talk.mp4', { ...BESIDE, formats: ['txt', 'srt'] });
  await settle(d);
  assert.match(readFileSync(join(d.inbox, 'talk.txt'), 'utf8'), /first words/);
  d.jobs.retry(job.id);
  await settle(d);
  d.dispatcher.halt();
  assert.deepEqual(sorted(d.inbox), ['talk.mp4', 'talk.srt', 'talk.txt']);
  assert.deepEqual(d.jobs.get(job.id)!.notes, []);
});

test('an outbox file the user edited is never written over: the whole set takes talk (2).*, and the note says so', async () => {
  const d = daemon();
  const job = d.drop('talk.wav', { formats: ['txt', 'srt'] });
  await settle(d);
  assert.deepEqual(sorted(d.config.outbox), ['talk.srt', 'talk.txt']);
  writeFileSync(join(d.config.outbox, 'talk.txt'), MINE); // the user edits the transcript by hand
  d.jobs.retry(job.id);
  await settle(d);
  d.dispatcher.halt();
  assert.equal(readFileSync(join(d.config.outbox, 'talk.txt'), 'utf8'), MINE);
  assert.deepEqual(sorted(d.config.outbox), ['talk (2).srt', 'talk (2).txt', 'talk.srt', 'talk.txt']);
  const done = d.jobs.get(job.id)!;
  assert.deepEqual(
    done.outputs.sort(),
    ['talk (2).srt', 'talk (2).txt'].map((n) => join(d.config.outbox, n)),
  );
  assert.match(done.notes.join('\n'), /talk\.txt .*changed.*talk \(2\)/);
});

test('an outbox name held by a file dropscribe did not write: the set takes the next free name', async () => {
  const d = daemon();
  writeFileSync(join(d.config.outbox, 'talk.srt'), 'a subtitle someone put here');
  writeFileSync(join(d.config.outbox, 'talk (2).txt'), MINE);
  const job = d.drop('talk.wav', { formats: ['txt', 'srt'] });
  await settle(d);
  d.dispatcher.halt();
  assert.equal(readFileSync(join(d.config.outbox, 'talk.srt'), 'utf8'), 'a subtitle someone put here');
  assert.equal(readFileSync(join(d.config.outbox, 'talk (2).txt'), 'utf8'), MINE);
  assert.deepEqual(
    d.jobs.get(job.id)!.outputs.sort(),
    ['talk (3).srt', 'talk (3).txt'].map((n) => join(d.config.outbox, n)),
  );
});

test("a user's own talk.error.txt in the outbox is not removed when the job publishes", async () => {
  const d = daemon();
  writeFileSync(join(d.config.outbox, 'talk.error.txt'), MINE);
  d.drop('talk.wav', { formats: ['txt'] });
  await settle(d);
  d.dispatcher.halt();
  assert.equal(readFileSync(join(d.config.outbox, 'talk.error.txt'), 'utf8'), MINE);
});

test('duplicates go through the same rule: beside, skipped with a note; in the outbox, the next free name', async () => {
  const d = daemon('the same words');
  const original = d.drop('a.wav', { formats: ['txt'] }, 'same');
  await settle(d);
  mkdirSync(join(d.inbox, 'lib'));
  writeFileSync(join(d.inbox, 'lib', 'copy.txt'), MINE);
  writeFileSync(join(d.config.outbox, 'b.txt'), MINE);
  const beside = d.drop('lib/copy.wav', { ...BESIDE, formats: ['txt'] }, 'same');
  const inOutbox = d.drop('b.wav', { formats: ['txt'] }, 'same');
  assert.equal(beside.duplicateOf, original.id);
  assert.equal(publishReadyDuplicates({ stores: d.jobs, outbox: d.config.outbox, log: silentLogger }), 2);
  assert.equal(readFileSync(join(d.inbox, 'lib', 'copy.txt'), 'utf8'), MINE);
  assert.match(d.jobs.get(beside.id)!.notes.join('\n'), /skipped: copy\.txt is already beside/);
  assert.equal(readFileSync(join(d.config.outbox, 'b.txt'), 'utf8'), MINE);
  assert.deepEqual(d.jobs.get(inOutbox.id)!.outputs, [join(d.config.outbox, 'b (2).txt')]);
  assert.match(readFileSync(join(d.config.outbox, 'b (2).txt'), 'utf8'), /the same words/);
});

test('a correction never writes over an output the user edited: it is published as talk (2).*', async () => {
  const d = daemon();
  const job = d.drop('talk.wav', { formats: ['txt', 'srt'] });
  await settle(d);
  d.dispatcher.halt();
  writeFileSync(join(d.config.outbox, 'talk.srt'), MINE);
  const { written } = publishCorrections({
    config: d.config,
    stores: d.jobs,
    job: d.jobs.get(job.id)!,
    corrections: [{ kind: 'segment', segment: 0, text: 'ask not what your country' }],
  });
  assert.equal(readFileSync(join(d.config.outbox, 'talk.srt'), 'utf8'), MINE);
  assert.deepEqual(
    written.sort(),
    ['talk (2).srt', 'talk (2).txt'].map((n) => join(d.config.outbox, n)),
  );
  assert.match(readFileSync(join(d.config.outbox, 'talk (2).txt'), 'utf8'), /what your country/);
  assert.deepEqual(d.jobs.get(job.id)!.outputs.sort(), written.sort(), 'the job lists what it publishes now');
  // Our own unchanged files are written over in place: the next correction updates talk (2).*.
  const again = [{ kind: 'segment', segment: 0, text: 'ask again' }] as const;
  publishCorrections({ config: d.config, stores: d.jobs, job: d.jobs.get(job.id)!, corrections: again });
  assert.match(readFileSync(join(d.config.outbox, 'talk (2).txt'), 'utf8'), /ask again/);
  assert.deepEqual(sorted(d.config.outbox), ['talk (2).srt', 'talk (2).txt', 'talk.srt', 'talk.txt']);
});

test('a folder in the outbox that links out of it is refused: nothing is written outside', async () => {
  const d = daemon();
  const outside = tempDir();
  symlinkSync(outside, join(d.config.outbox, 'talks'));
  const job = d.drop('talks/talk.wav', { formats: ['txt'] });
  await settle(d);
  d.dispatcher.halt();
  assert.deepEqual(readdirSync(outside), [], 'nothing written through the link');
  const ended = d.jobs.get(job.id)!;
  assert.notEqual(ended.state, 'done');
  assert.match(ended.error ?? '', /link/);
  assert.equal(existsSync(join(d.config.outbox, 'talks', 'talk.txt')), false);
});
