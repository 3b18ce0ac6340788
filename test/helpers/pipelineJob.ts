// A job on a file in a temp folder, queued in a fresh store, with the dependencies to run the real pipeline on it.
import { basename, dirname, join } from 'node:path';
import { type Config, DEFAULT_SETTINGS, type JobSettings } from '../../src/config/config.js';
import { silentLogger } from '../../src/platform/log.js';
import { runPipeline } from '../../src/pipeline/pipeline.js';
import { processRunner } from '../../src/pipeline/stageExecutor.js';
import { MemoryScheduler } from '../../src/resources/scheduler.js';
import { tempStore } from './store.js';

/** Added to every stage process's environment (fixture modules on PYTHONPATH, their modes); this process's own
 * environment is never written. */
export type StageEnv = Record<string, string>;

/** `input` is queued from its own folder; outputs go to `out/` and work files to `work/` beside it. `run(env)` runs
 * the pipeline with the stages' environment `env` (by default the one given here). */
export function pipelineJob(
  input: string,
  config: Config,
  settings: Partial<JobSettings>,
  appleSilicon: boolean,
  env: StageEnv = {},
) {
  const dir = dirname(input);
  const jobs = tempStore();
  const job = jobs.enqueue({
    input,
    inbox: dir,
    relPath: basename(input),
    outputStem: join(dir, 'out', basename(input).replace(/\.[^.]+$/, '')),
    sha256: 'x',
    size: 1,
    mtimeMs: 1,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  }).job;
  const deps = {
    config,
    jobs,
    scheduler: new MemoryScheduler(8 * 2 ** 30, silentLogger),
    log: silentLogger,
    workRoot: join(dir, 'work'),
    appleSilicon,
  };
  const run = (stageEnv: StageEnv = env) => {
    const runner = processRunner({ python: config.python, openai: config.backends.openai, env: stageEnv });
    return runPipeline(jobs.get(job.id)!, { ...deps, runner }, new AbortController().signal);
  };
  return { job, deps, jobs, run };
}
