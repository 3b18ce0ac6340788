// The dispatcher with a scripted pipeline: slots, publishing, failure reports, cancel requests, shutdown.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { Dispatcher } from '../../../src/daemon/dispatcher.js';
import type { TranscriptDocument } from '../../../src/output/render/index.js';
import type { PipelineResult } from '../../../src/pipeline/pipeline.js';
import { silentLogger } from '../../../src/platform/log.js';
import { LocalJobSource } from '../../../src/queue/localSource.js';
import { MemoryScheduler } from '../../../src/resources/scheduler.js';
import { StageError } from '../../../src/stages/stageError.js';
import type { Job } from '../../../src/store/jobs.js';
import { testConfig } from '../../helpers/env.js';
import { keptDocument, tempStore } from '../../helpers/store.js';

const DOC: TranscriptDocument = keptDocument('ask not');

interface Call {
  resolve: (r: PipelineResult) => void;
  reject: (err: Error) => void;
}

const diskFullError = () => Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });

/** A local source whose writes of a job's end meet a full database while `full` is set. */
class FillingSource extends LocalJobSource {
  full = false;
  ends = 0;
  override finish(...args: Parameters<LocalJobSource['finish']>) {
    this.ends++;
    return this.full ? Promise.reject(diskFullError()) : super.finish(...args);
  }
  override retryLater(...args: Parameters<LocalJobSource['retryLater']>) {
    return this.full ? Promise.reject(diskFullError()) : super.retryLater(...args);
  }
  override fail(...args: Parameters<LocalJobSource['fail']>) {
    return this.full ? Promise.reject(diskFullError()) : super.fail(...args);
  }
}

function setup(concurrency: number) {
  const config = testConfig({ jobs: { concurrency } });
  mkdirSync(config.outbox); // made by the daemon at start
  const jobs = tempStore();
  const calls = new Map<number, Call>();
  const pauses: boolean[] = [];
  const source = new FillingSource({
    jobs,
    outbox: config.outbox,
    log: silentLogger,
    owner: 'test:1',
    leaseMs: 120_000,
  });
  const dispatcher = new Dispatcher({
    config,
    source,
    stores: jobs,
    pipelineStores: jobs,
    scheduler: new MemoryScheduler(2 ** 33, silentLogger),
    log: silentLogger,
    workRoot: join(config.dataDir, 'work'),
    warm: undefined,
    pauseIntakeForDisk: (paused) => pauses.push(paused),
    intake: () => ({ paused: false, pendingCount: 2 }),
    pipeline: (job: Job, _deps, signal) =>
      new Promise<PipelineResult>((resolve, reject) => {
        calls.set(job.id, { resolve, reject });
        signal.addEventListener('abort', () =>
          reject(
            new StageError('canceled', 'was canceled', {
              jobId: job.id,
              file: job.input,
              stage: 'transcribe',
              elapsedMs: 1,
            }),
          ),
        );
      }),
  });
  let n = 0;
  const add = () => {
    const name = `rec${++n}`;
    return jobs.enqueue({
      input: `/nowhere/${name}.wav`,
      inbox: '/nowhere',
      relPath: `${name}.wav`,
      outputStem: join(config.outbox, name),
      sha256: `sha-${name}`,
      size: 1,
      mtimeMs: 1,
      settings: { ...DEFAULT_SETTINGS, formats: ['txt', 'srt'] },
    }).job;
  };
  /** Wait until the job reaches `state` (the dispatcher ends a job a few promise turns after its pipeline). */
  const until = async (id: number, state: Job['state']) => {
    for (let i = 0; i < 1000 && jobs.get(id)!.state !== state; i++) await new Promise((r) => setImmediate(r));
    assert.equal(jobs.get(id)!.state, state, `job ${id}`);
  };
  return { config, jobs, calls, dispatcher, add, until, pauses, source };
}

test('claims as many jobs as there are slots, publishes a finished one and starts the next; status file written', async () => {
  const { config, jobs, calls, dispatcher, add, until } = setup(2);
  const [a, b, c] = [add(), add(), add()];
  await dispatcher.pump();
  assert.deepEqual([...calls.keys()], [a.id, b.id]);
  assert.equal(dispatcher.running, 2);
  calls.get(a.id)!.resolve({ document: DOC, degraded: ['align: native timings'], notes: [] });
  await until(a.id, 'done');
  assert.deepEqual(jobs.get(a.id)!.outputs.sort(), [join(config.outbox, 'rec1.srt'), join(config.outbox, 'rec1.txt')]);
  assert.match(readFileSync(join(config.outbox, 'rec1.txt'), 'utf8'), /ask not/);
  assert.deepEqual(jobs.get(a.id)!.degraded, ['align: native timings']);
  assert.ok(calls.has(c.id), 'the freed slot takes the next job');
  const status = JSON.parse(readFileSync(join(config.dataDir, 'status.json'), 'utf8'));
  assert.deepEqual([status.pendingFiles, status.memory.budgetBytes], [2, 2 ** 33]);
  await dispatcher.drain();
  assert.deepEqual([jobs.get(b.id)!.state, jobs.get(c.id)!.state], ['queued', 'queued'], 'shutdown puts them back');
  dispatcher.removeStatusFile();
  assert.equal(existsSync(join(config.dataDir, 'status.json')), false);
});

test('a failed job gets its error report; a cancel request stops a running job at the next tend', async () => {
  const { config, jobs, calls, dispatcher, add, until } = setup(2);
  const [a, b] = [add(), add()];
  await dispatcher.pump();
  calls.get(a.id)!.reject(
    new StageError('config', 'the model folder is missing', {
      jobId: a.id,
      file: a.input,
      stage: 'transcribe',
      elapsedMs: 1,
    }),
  );
  await until(a.id, 'failed');
  const failed = jobs.get(a.id)!;
  assert.equal(failed.errorKind, 'config');
  assert.deepEqual(failed.outputs, [join(config.outbox, 'rec1.error.txt')]);
  assert.match(
    readFileSync(failed.outputs[0]!, 'utf8'),
    /could not transcribe rec1\.wav[\s\S]*model folder is missing/,
  );
  assert.equal(jobs.cancel(b.id), 'requested');
  await dispatcher.tend();
  await until(b.id, 'canceled');
  for (let i = 0; i < 100 && dispatcher.running > 0; i++) await new Promise((r) => setImmediate(r)); // slot freed after
  assert.equal(dispatcher.running, 0);
  dispatcher.halt();
});

test('an outbox that went away: the job waits for it with the reason, and publishes as soon as it is back', async () => {
  const { config, jobs, calls, dispatcher, add, until } = setup(1);
  const a = add();
  await dispatcher.pump();
  renameSync(config.outbox, `${config.outbox}-away`);
  calls.get(a.id)!.resolve({ document: DOC, degraded: [], notes: [] });
  await until(a.id, 'queued');
  const waiting = jobs.get(a.id)!;
  assert.equal(waiting.errorKind, 'outbox');
  assert.match(waiting.error!, /^waiting for outbox: the outbox folder .* is not there/);
  assert.ok(waiting.notBefore > Date.now(), 'backs off');
  assert.equal(existsSync(config.outbox), false, 'the outbox is not created again');
  calls.clear();
  await dispatcher.tend();
  assert.equal(calls.size, 0, 'still away: nothing to do');
  renameSync(`${config.outbox}-away`, config.outbox);
  (dispatcher.waits as unknown as { lastProbe: number }).lastProbe = 0; // the next probe is due
  await dispatcher.tend();
  await dispatcher.pump(); // the claim the probe started
  assert.ok(calls.has(a.id), 'woken before its back-off ran out');
  calls.get(a.id)!.resolve({ document: DOC, degraded: [], notes: [] });
  await until(a.id, 'done');
  assert.ok(existsSync(join(config.outbox, 'rec1.txt')));
  dispatcher.halt();
});

test('a full disk makes the job wait for space (not fail) and pauses intake', async () => {
  const { jobs, calls, dispatcher, add, until, pauses } = setup(1);
  const a = add();
  await dispatcher.pump();
  calls.get(a.id)!.reject(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }));
  await until(a.id, 'queued');
  assert.equal(jobs.get(a.id)!.errorKind, 'disk-full');
  assert.match(jobs.get(a.id)!.error!, /^waiting for disk space: .*Free some space/);
  assert.deepEqual(pauses, [true]);
  assert.equal(dispatcher.waits.waitingForSpace, true);
  dispatcher.halt();
});

test('a full disk when a job ends: its end is recorded as soon as there is space, with its outputs, not run again', async () => {
  const { config, jobs, calls, dispatcher, add, until, source } = setup(1);
  const a = add();
  await dispatcher.pump();
  source.full = true;
  calls.get(a.id)!.resolve({ document: DOC, degraded: [], notes: [] });
  for (let i = 0; i < 200 && source.ends === 0; i++) await new Promise((r) => setImmediate(r));
  assert.equal(source.ends, 1, 'the end was tried once');
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(jobs.get(a.id)!.state, 'running', 'still unrecorded while the disk is full');
  assert.equal(dispatcher.running, 1, 'the job keeps its slot (and its lease) while its end waits');
  assert.ok(existsSync(join(config.outbox, 'rec1.txt')), 'the outputs stay published');
  calls.clear();
  source.full = false; // space is back: the wait probe sees it at the next tend
  await dispatcher.tend();
  await until(a.id, 'done');
  assert.deepEqual(jobs.get(a.id)!.outputs.sort(), [join(config.outbox, 'rec1.srt'), join(config.outbox, 'rec1.txt')]);
  assert.equal(calls.size, 0, 'the job was not run again');
  assert.equal(jobs.get(a.id)!.attempts, 1);
  dispatcher.halt();
});

test("a retry keeps the user's corrections: they are published, the new transcript is kept as the original", async () => {
  const { config, jobs, calls, dispatcher, add, until } = setup(1);
  const a = add();
  await dispatcher.pump();
  calls.get(a.id)!.resolve({ document: DOC, degraded: [], notes: [] });
  await until(a.id, 'done');
  jobs.corrections.save(a.id, keptDocument('ask Zanzibar'));
  jobs.retry(a.id);
  await dispatcher.pump();
  calls.get(a.id)!.resolve({ document: keptDocument('ask again'), degraded: [], notes: [] });
  await until(a.id, 'done');
  assert.match(readFileSync(join(config.outbox, 'rec1.txt'), 'utf8'), /ask Zanzibar/);
  assert.match(jobs.get(a.id)!.notes.join(), /kept the corrections made in the web page/);
  assert.match(jobs.corrections.original(a.id)!.segments[0]!.text, /ask again/);
  assert.equal(jobs.search.search('zanzibar')[0]?.jobId, a.id, 'search finds what is published');
  dispatcher.halt();
});
