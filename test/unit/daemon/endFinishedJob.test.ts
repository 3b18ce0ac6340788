// How the dispatcher ends a finished run, applied to a job source that records what it is told: published and
// finished, canceled when the input changed, skipped before the run when a file of the user's is beside it.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, type JobSettings } from '../../../src/config/config.js';
import { endFinishedJob, skippedBeforeRun, type FinishedJobDeps } from '../../../src/daemon/endFinishedJob.js';
import { silentLogger } from '../../../src/platform/log.js';
import type { Finished, JobSource } from '../../../src/queue/jobSource.js';
import type { Job } from '../../../src/store/jobs.js';
import { testConfig } from '../../helpers/env.js';
import { keptDocument, tempStore } from '../../helpers/store.js';

const RUN = { document: keptDocument('ask not', { source: 'talk.wav' }), degraded: [], notes: ['checked'] };

function setup(settings: JobSettings = { ...DEFAULT_SETTINGS, formats: ['txt'] }) {
  const config = testConfig();
  const inbox = config.inboxes[0]!;
  mkdirSync(inbox);
  mkdirSync(config.outbox);
  const jobs = tempStore();
  const input = join(inbox, 'talk.wav');
  writeFileSync(input, 'recording');
  const st = statSync(input);
  const { job } = jobs.enqueue({
    input,
    inbox,
    relPath: 'talk.wav',
    outputStem: join(config.outbox, 'talk'),
    sha256: 'sha',
    size: st.size,
    mtimeMs: Math.round(st.mtimeMs),
    settings,
  });
  const told: { finished?: Finished; canceled?: string; removed: number[] } = { removed: [] };
  const source = {
    finish: async (_job: Job, result: Finished) => void (told.finished = result),
    canceled: async (_job: Job, reason?: string) => void (told.canceled = reason),
  } as unknown as JobSource;
  const deps: FinishedJobDeps = {
    config: { ...config, notify: false },
    source,
    stores: jobs,
    removeWorkDir: (j) => told.removed.push(j.id),
    recordEnd: (write) => write(),
  };
  return { config, inbox, job, deps, told };
}

test('the same input: its outputs are published and the job finished with them, its work folder removed', async () => {
  const { config, job, deps, told } = setup();
  assert.equal(await skippedBeforeRun(deps, job, silentLogger), false);
  await endFinishedJob(deps, { job, run: RUN, log: silentLogger });
  assert.deepEqual(told.finished?.outputs, [join(config.outbox, 'talk.txt')]);
  assert.deepEqual([told.finished?.notes, told.finished?.published], [['checked'], RUN.document]);
  assert.deepEqual(told.removed, [job.id]);
});

test('a changed input: canceled with the reason, nothing published', async () => {
  const { config, job, deps, told } = setup();
  writeFileSync(job.input, 'a longer recording now');
  await endFinishedJob(deps, { job, run: RUN, log: silentLogger });
  assert.match(told.canceled!, /nothing was published/);
  assert.deepEqual([told.finished, readdirSync(config.outbox)], [undefined, []]);
});

test('a file of the user beside a watched recording: skipped before the run, with the note', async () => {
  const beside = { ...DEFAULT_SETTINGS, language: 'en', output: { ...DEFAULT_SETTINGS.output, beside: true } };
  const { inbox, job, deps, told } = setup(beside);
  writeFileSync(join(inbox, 'talk.srt'), 'mine');
  assert.equal(await skippedBeforeRun(deps, job, silentLogger), true);
  assert.deepEqual(told.finished?.outputs, []);
  assert.match(told.finished!.notes[0]!, /^skipped: talk\.srt is already beside the recording/);
});
