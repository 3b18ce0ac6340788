// Finished stages of one job's work folder copied into another job's, so a test about a later stage starts where a
// real earlier run of the same recording and settings left off (the stage cache, as after a restart).
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageName } from '../../src/core/contract.js';
import { workDirFor } from '../../src/pipeline/pipeline.js';

interface JobAt {
  job: { id: number };
  deps: { workRoot: string };
}

/** Copy the cached results of `stages` from the work folder of `from` into that of `to`; the files they name are
 * the copies, as if `to` had run them. A stage that `from` did not finish throws. */
export function seedStages(from: JobAt, to: JobAt, stages: StageName[]): void {
  const source = workDirFor(from.deps.workRoot, from.job.id);
  const target = workDirFor(to.deps.workRoot, to.job.id);
  const inJson = (path: string) => JSON.stringify(path).slice(1, -1);
  for (const stage of stages) {
    cpSync(join(source, stage), join(target, stage), { recursive: true });
    const results = readdirSync(join(target, stage), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f === 'done.json' || f.endsWith('/done.json'),
    );
    if (!results.length) throw new Error(`no finished ${stage} stage in ${source}`);
    for (const f of results) {
      const done = join(target, stage, f);
      writeFileSync(done, readFileSync(done, 'utf8').replaceAll(inJson(source), inJson(target)));
    }
  }
}
