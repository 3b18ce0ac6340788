// A job run through the real pipeline with a scripted stage runner (scriptedRunner.ts): no processes, milliseconds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { JobSettings } from '../../src/config/config.js';
import { runPipeline } from '../../src/pipeline/pipeline.js';
import { silentLogger } from '../../src/platform/log.js';
import { MemoryScheduler } from '../../src/resources/scheduler.js';
import { StageError } from '../../src/stages/stageError.js';
import { tempDir, testConfig } from './env.js';
import { scriptedRunner, type Step } from './scriptedRunner.js';
import { addJob, tempStore } from './store.js';

/** `run` runs the job; `runs` lists its stage runs as `stage:backend:outcome:kind`; `delays` the back-off waits. */
export function scriptedPipeline(
  script: Record<string, Step[]>,
  settings: Partial<JobSettings> = {},
  opts: { appleSilicon?: boolean; windows?: number; config?: Record<string, unknown>; input?: string } = {},
) {
  const config = testConfig({ stages: { maxAttempts: 3, backoffMs: 1000 }, ...opts.config });
  const jobs = tempStore();
  const { job } = addJob(jobs, opts.input, settings);
  const scripted = scriptedRunner(script, { windows: opts.windows });
  const delays: number[] = [];
  const deps = {
    config,
    jobs,
    log: silentLogger,
    workRoot: join(tempDir(), 'work'),
    appleSilicon: opts.appleSilicon ?? false,
    scheduler: new MemoryScheduler(8 * 2 ** 30, silentLogger),
    runner: scripted.runner,
    delay: async (ms: number) => {
      delays.push(ms);
    },
  };
  const run = () => runPipeline(jobs.get(job.id)!, deps, new AbortController().signal);
  const runs = () =>
    jobs.runs.of(job.id).map((r) => `${r.stage}:${r.backend ?? '-'}:${r.outcome}:${r.errorKind ?? ''}`);
  return { run, runs, delays, calls: scripted.calls, requests: scripted.requests };
}

/** The StageError a promise rejects with (fails the test if it resolves or rejects with something else). */
export async function rejection(p: Promise<unknown>): Promise<StageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof StageError, `expected a StageError, got ${String(err)}`);
  return err;
}
