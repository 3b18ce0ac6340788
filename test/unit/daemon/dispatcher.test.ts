// The dispatcher with a scripted pipeline: slots, publishing, failure reports, cancel requests, shutdown.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/config.js';
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

function setup(concurrency: number) {
  const config = testConfig({ jobs: { concurrency } });
  const jobs = tempStore();
  const calls = new Map<number, Call>();
  const dispatcher = new Dispatcher({
    config,
    source: new LocalJobSource({ jobs, outbox: config.outbox, log: silentLogger, owner: 'test:1', leaseMs: 120_000 }),
    jobs,
    scheduler: new MemoryScheduler(2 ** 33, silentLogger),
    log: silentLogger,
    workRoot: join(config.dataDir, 'work'),
    warm: undefined,
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
  return { config, jobs, calls, dispatcher, add, until };
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
  assert.equal(dispatcher.running, 0);
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
