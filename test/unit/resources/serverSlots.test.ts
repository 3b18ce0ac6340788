// Server requests are admitted by their own slots (backends.openai.concurrency), not by the local memory budget.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { StageExecutor } from '../../../src/pipeline/stageExecutor.js';
import { WorkDir } from '../../../src/pipeline/workDir.js';
import { silentLogger } from '../../../src/platform/log.js';
import { MemoryScheduler } from '../../../src/resources/scheduler.js';
import { serverSlots } from '../../../src/resources/serverSlots.js';
import { tempDir, testConfig } from '../../helpers/env.js';
import { scriptedRunner } from '../../helpers/scriptedRunner.js';
import { addJob, tempStore } from '../../helpers/store.js';

test('a server request runs while the memory budget is full; the slots hold at most `concurrency`', async () => {
  const memory = new MemoryScheduler(100, silentLogger);
  const holdMemory = await memory.admit('a local stage holding all memory', 100, false);
  const slots = serverSlots(2, silentLogger);
  const jobs = tempStore();
  const { job } = addJob(jobs);
  const executor = new StageExecutor(
    {
      config: testConfig(),
      runs: jobs.runs,
      scheduler: memory,
      serverSlots: slots,
      runner: scriptedRunner({}).runner,
      delay: async () => {},
    },
    {
      job,
      work: new WorkDir(join(tempDir(), 'work')),
      signal: new AbortController().signal,
      log: silentLogger,
      hooks: { progress: () => {}, note: () => {}, timeoutMs: () => 60_000 },
    },
  );
  const request = (outDir: string) => ({
    stage: 'transcribe' as const,
    jobId: '1',
    outDir,
    heartbeatSeconds: 1,
    audio: 'a.wav',
    speech: null,
    backend: 'openai' as const,
    model: 'base',
    language: null,
    task: 'transcribe' as const,
    wordTimestamps: true,
    beamSize: 5,
    cpuThreads: 0,
    computeType: 'int8',
    languageMismatch: 'warn' as const,
  });
  const artifacts = await executor.run({ stage: 'transcribe', backend: 'openai', model: 'base', build: request });
  assert.equal(artifacts.backend, 'openai');
  assert.equal(memory.snapshot().waiting.length, 0, 'nothing waited for memory');
  holdMemory();

  const a = await slots.take('one');
  const b = await slots.take('two');
  let third = false;
  const c = slots.take('three').then((release) => {
    third = true;
    return release;
  });
  await Promise.resolve();
  assert.equal(third, false, 'a third request waits for a slot');
  a();
  (await c)();
  assert.equal(third, true);
  b();
});
