// `dropscribe speakers JOB S1=Alice S2=Bob`: name a finished job's speakers and publish its outputs again.
import type { Command } from 'commander';
import { CorrectionError } from '../../output/corrections.js';
import { OutboxError } from '../../output/outboxError.js';
import { parseNames, RenameError } from '../../output/renameSpeakers.js';
import { publishCorrections } from '../../output/republish.js';
import { noDatabase, openExistingStore, resolveConfig, withCommon, type CommonOpts } from '../common.js';

function answer(ok: boolean, message: string): void {
  console.log(message);
  process.exitCode = ok ? 0 : 1;
}

export function addSpeakersCommand(program: Command): void {
  withCommon(program.command('speakers').description("name a finished job's speakers and re-publish its outputs"))
    .argument('<job>', 'job id')
    .argument('<names...>', 'SPEAKER=NAME pairs, for example S1=Alice S2=Bob')
    .action((arg: string, pairs: string[], opts: CommonOpts) => {
      const r = resolveConfig(opts);
      const id = Number(arg);
      const jobs = openExistingStore(r);
      if (!jobs) return answer(false, `job ${id} does not exist: ${noDatabase(r)}`);
      try {
        const job = jobs.get(id);
        if (!job || job.state !== 'done') return answer(false, `job ${id} is not done (or does not exist)`);
        const { written } = publishCorrections(r.config, jobs, job, parseNames(pairs));
        answer(true, `renamed; published ${written.join(', ')}`);
      } catch (err) {
        if (!(err instanceof RenameError || err instanceof CorrectionError || err instanceof OutboxError)) throw err;
        answer(false, err.message);
      } finally {
        jobs.db.close();
      }
    });
}
