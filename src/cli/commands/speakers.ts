// `dropscribe speakers JOB S1=Alice S2=Bob`: name a finished job's speakers and publish its outputs again.
import type { Command } from 'commander';
import { noDatabase, openExistingStore, resolveConfig, withCommon, type CommonOpts } from '../common.js';

function answer(ok: boolean, message: string): void {
  console.log(message);
  process.exitCode = ok ? 0 : 1;
}

export function addSpeakersCommand(program: Command): void {
  withCommon(program.command('speakers').description("name a finished job's speakers and re-publish its outputs"))
    .argument('<job>', 'job id')
    .argument('<names...>', 'SPEAKER=NAME pairs, for example S1=Alice S2=Bob')
    .action(async (arg: string, pairs: string[], opts: CommonOpts) => {
      // Loaded here: the renderers it re-publishes with are not for every command's start (`status`).
      const { parseNames, RenameError } = await import('../../output/renameSpeakers.js');
      const { publishCorrections } = await import('../../output/republish.js');
      const { CorrectionError } = await import('../../output/corrections.js');
      const { OutboxError } = await import('../../output/outboxError.js');
      const r = resolveConfig(opts);
      const id = Number(arg);
      const jobs = openExistingStore(r);
      if (!jobs) return answer(false, `job ${id} does not exist: ${noDatabase(r)}`);
      try {
        const job = jobs.get(id);
        if (!job || job.state !== 'done') return answer(false, `job ${id} is not done (or does not exist)`);
        const corrections = parseNames(pairs);
        const { written } = publishCorrections({ config: r.config, stores: jobs, job, corrections });
        answer(true, `renamed; published ${written.join(', ')}`);
      } catch (err) {
        if (!(err instanceof RenameError || err instanceof CorrectionError || err instanceof OutboxError)) throw err;
        answer(false, err.message);
      } finally {
        jobs.db.close();
      }
    });
}
