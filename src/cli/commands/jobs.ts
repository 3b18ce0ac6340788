// The job commands: status, enqueue (for Hazel and scripts), retry and cancel; in team mode on the shared queue.
import { Command, Option } from 'commander';
import { existsSync, lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeLocation, locationJson } from '../../configLocation.js';
import { Intake } from '../../intake/intake.js';
import { reportRefusal } from '../../output/report.js';
import { parseNames, RenameError, renameSpeakers } from '../../output/renameSpeakers.js';
import { silentLogger } from '../../platform/log.js';
import type { JobStore } from '../../store/jobs.js';
import { teamConfigured, teamJobCommand, teamStatus } from '../../team/teamCli.js';
import {
  noDatabase,
  openExistingStore,
  openStoreForWriting,
  resolveConfig,
  withCommon,
  type CommonOpts,
  type Resolved,
} from '../common.js';
import { statusJson, statusText, whereLines } from '../statusView.js';

/** Exit codes of `dropscribe enqueue`, for Hazel and scripts. */
export const ENQUEUE_EXIT = { queued: 0, duplicate: 3, refused: 4 } as const;

type Reply = { message: string; ok: boolean };

/** retry and cancel: one store call on a job, one line of reply (team mode: on the shared queue). */
const JOB_ACTIONS: [name: 'retry' | 'cancel', description: string, act: (jobs: JobStore, id: number) => Reply][] = [
  [
    'retry',
    'run a finished, failed or canceled job again',
    (jobs, id) =>
      jobs.retry(id)
        ? { ok: true, message: `job ${id} queued again` }
        : { ok: false, message: `job ${id} is not finished, failed or canceled (or does not exist)` },
  ],
  [
    'cancel',
    'cancel a queued or running job',
    (jobs, id) => {
      const outcome = jobs.cancel(id);
      if (outcome === 'canceled') return { ok: true, message: `job ${id} canceled` };
      if (outcome === 'requested') return { ok: true, message: `job ${id} will stop within seconds` };
      return { ok: false, message: `job ${id} is not queued or running` };
    },
  ],
];

export function addJobCommands(program: Command): void {
  withCommon(program.command('status').description('list jobs, progress and memory use'))
    .option('--json', 'machine-readable output')
    .addOption(new Option('--limit <n>', 'how many recent jobs to list').default('50').argParser(Number))
    .action(async (opts: CommonOpts & { json?: boolean; limit: number }) => {
      const r = resolveConfig(opts);
      const where = { config: locationJson(r.location), database: { file: r.dbFile, exists: existsSync(r.dbFile) } };
      if (teamConfigured(r.config))
        return console.log(await teamStatus(r.config, where, Boolean(opts.json), opts.limit));
      const header = whereLines(describeLocation(r.location), r.dbFile);
      const jobs = openExistingStore(r);
      if (!jobs) {
        console.log(
          opts.json
            ? JSON.stringify({ ...where, daemon: null, counts: {}, jobs: [], refused: [] })
            : [...header, `no jobs yet; ${noDatabase(r)}`].join('\n'),
        );
        return;
      }
      const dataDir = r.config.dataDir;
      console.log(
        opts.json
          ? JSON.stringify({ ...where, ...statusJson(jobs, dataDir, opts.limit) })
          : [...header, statusText(jobs, dataDir, opts.limit)].join('\n'),
      );
      jobs.db.close();
    });

  withCommon(
    program
      .command('enqueue')
      .description(
        `queue files now (exit ${ENQUEUE_EXIT.queued} queued, ${ENQUEUE_EXIT.duplicate} duplicate, ${ENQUEUE_EXIT.refused} refused)`,
      ),
  )
    .argument('<files...>', 'recordings inside an inbox')
    .action(async (files: string[], opts: CommonOpts) => {
      const r = resolveConfig(opts);
      const config = r.config;
      const jobs = openStoreForWriting(r, opts);
      const intake = new Intake(
        config,
        jobs,
        silentLogger,
        () => {},
        (refused) => reportRefusal(jobs.refusals, config.outbox, refused, silentLogger),
      );
      let worst: number = ENQUEUE_EXIT.queued;
      for (const f of files) {
        const path = resolve(f);
        let outcome: string;
        try {
          outcome = existsSync(path) || isLink(path) ? await intake.admit(path) : 'refused';
        } catch (err) {
          outcome = 'refused';
          console.error(`${f}: ${(err as Error).message}`);
        }
        const status =
          outcome === 'requeued' || outcome === 'queued'
            ? 'queued'
            : outcome === 'duplicate' || outcome === 'known'
              ? 'duplicate'
              : 'refused';
        console.log(`${status}\t${f}`);
        worst = Math.max(worst, ENQUEUE_EXIT[status]);
      }
      jobs.db.close();
      process.exitCode = worst;
    });

  for (const [name, description, act] of JOB_ACTIONS) {
    withCommon(program.command(name).description(description))
      .argument('<job>', 'job id (team mode: the id or its first characters)')
      .action(async (arg: string, opts: CommonOpts) => {
        const r = resolveConfig(opts);
        if (teamConfigured(r.config)) return reply(await teamJobCommand(r.config, name, arg));
        const id = Number(arg);
        const jobs = storeWithJob(r, id);
        if (!jobs) return;
        reply(act(jobs, id));
        jobs.db.close();
      });
  }
}

/** `dropscribe speakers JOB S1=Alice S2=Bob`: name a finished job's speakers and publish its outputs again. */
export function addSpeakersCommand(program: Command): void {
  withCommon(program.command('speakers').description("name a finished job's speakers and re-publish its outputs"))
    .argument('<job>', 'job id')
    .argument('<names...>', 'SPEAKER=NAME pairs, for example S1=Alice S2=Bob')
    .action((arg: string, pairs: string[], opts: CommonOpts) => {
      const r = resolveConfig(opts);
      const id = Number(arg);
      const jobs = storeWithJob(r, id);
      if (!jobs) return;
      try {
        const job = jobs.get(id);
        if (!job || job.state !== 'done')
          return reply({ ok: false, message: `job ${id} is not done (or does not exist)` });
        const written = renameSpeakers(
          job,
          r.config.outbox,
          job.settings.formats,
          parseNames(pairs),
          r.config.subtitles,
        );
        reply({ ok: true, message: `renamed; published ${written.join(', ')}` });
      } catch (err) {
        if (!(err instanceof RenameError)) throw err;
        reply({ ok: false, message: err.message });
      } finally {
        jobs.db.close();
      }
    });
}

/** The store that should hold job `id`; without a database there is no such job (says so, exit 1). */
function storeWithJob(r: Resolved, id: number): JobStore | undefined {
  const jobs = openExistingStore(r);
  if (!jobs) {
    console.log(`job ${id} does not exist: ${noDatabase(r)}`);
    process.exitCode = 1;
  }
  return jobs;
}

/** Print the reply; exit 1 when it says no. */
function reply(r: Reply): void {
  console.log(r.message);
  process.exitCode = r.ok ? 0 : 1;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
