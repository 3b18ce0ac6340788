// The job commands: status, enqueue (for Hazel and scripts), retry and cancel, through the job source (jobSourceFor.ts).
// What only enqueue, retry and cancel use (intake, publishing, the job source) is imported by their actions, so
// `status` loads none of it (its time is mostly node's start and module loading: BENCHMARKS.md, Flood).
import { Command, Option } from 'commander';
import { existsSync, lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeLocation, locationJson } from '../../config/configLocation.js';
import type { Intake } from '../../intake/intake.js';
import type { Reply } from '../../queue/jobSource.js';
import type { JobStore } from '../../store/jobs.js';
import { teamConfigured } from '../../config/teamSettings.js';
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

/** Exit codes of `dropscribe enqueue`, for Hazel and scripts; 75 (EX_TEMPFAIL): not queued now, try again later. */
export const ENQUEUE_EXIT = { queued: 0, duplicate: 3, refused: 4, later: 75 } as const;

/** retry and cancel: one job source call on a job, one line of reply. */
const JOB_ACTIONS: [name: 'retry' | 'cancel', description: string][] = [
  ['retry', 'run a finished, failed or canceled job again'],
  ['cancel', 'cancel a queued or running job'],
];

export function addJobCommands(program: Command): void {
  withCommon(program.command('status').description('list jobs, progress and memory use'))
    .option('--json', 'machine-readable output')
    .addOption(new Option('--limit <n>', 'how many recent jobs to list').default('50').argParser(Number))
    .action(async (opts: CommonOpts & { json?: boolean; limit: number }) => {
      const r = resolveConfig(opts);
      const where = { config: locationJson(r.location), database: { file: r.dbFile, exists: existsSync(r.dbFile) } };
      if (teamConfigured(r.config.team)) {
        const { teamStatus } = await import('../teamCli.js');
        return console.log(await teamStatus(r.config, { where, json: Boolean(opts.json), limit: opts.limit }));
      }
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
      const stores = { jobs, refusals: jobs.refusals };
      console.log(
        opts.json
          ? JSON.stringify({ ...where, ...statusJson(stores, dataDir, opts.limit) })
          : [...header, statusText(stores, dataDir, opts.limit)].join('\n'),
      );
      jobs.db.close();
    });

  withCommon(
    program
      .command('enqueue')
      .description(
        `queue files now (exit ${ENQUEUE_EXIT.queued} queued, ${ENQUEUE_EXIT.duplicate} duplicate, ${ENQUEUE_EXIT.refused} refused, ${ENQUEUE_EXIT.later} try again later)`,
      ),
  )
    .argument('<files...>', 'recordings inside an inbox')
    .action(async (files: string[], opts: CommonOpts) => {
      const r = resolveConfig(opts);
      const config = r.config;
      const jobs = openStoreForWriting(r, opts);
      const [{ Intake }, { createOutbox }, { reportRefusal }, { silentLogger }, { withJobSource }] = await Promise.all([
        import('../../intake/intake.js'),
        import('../../output/outbox.js'),
        import('../../output/errorReports.js'),
        import('../../platform/log.js'),
        import('../jobSourceFor.js'),
      ]);
      // Like a daemon's start: the outbox is made when the folder above it exists, so a refusal's report has a place.
      createOutbox(config.outbox);
      const worst = await withJobSource(r, jobs, async (source) => {
        const intake = new Intake({
          config,
          source,
          refusals: jobs.refusals,
          log: silentLogger,
          onQueued: () => {},
          onRefused: (refused) =>
            reportRefusal({ refusals: jobs.refusals, outbox: config.outbox, refused, log: silentLogger }),
        });
        let worst: number = ENQUEUE_EXIT.queued;
        for (const f of files) worst = Math.max(worst, await enqueueFile(intake, f));
        return worst;
      }).catch((err: Error) => {
        // The job source could not be opened (the team database is unreachable): nothing was queued, and nothing is wrong with the files.
        console.error(`not queued now: ${err.message}; the files are untouched, run enqueue again later`);
        for (const f of files) console.log(`later\t${f}`);
        return ENQUEUE_EXIT.later;
      });
      jobs.db.close();
      process.exitCode = worst;
    });

  for (const [name, description] of JOB_ACTIONS) {
    withCommon(program.command(name).description(description))
      .argument('<job>', 'job id (team mode: the id or its first characters)')
      .action(async (arg: string, opts: CommonOpts) => {
        const r = resolveConfig(opts);
        const team = teamConfigured(r.config.team);
        const jobs = team ? openExistingStore(r) : storeWithJob(r, Number(arg));
        if (!jobs && !team) return;
        const { withJobSource } = await import('../jobSourceFor.js');
        reply(await withJobSource(r, jobs, (source) => source[name](arg)));
        jobs?.db.close();
      });
  }
}

/** Queue one file; print its status; its exit code. An error while queueing (not a refusal of the file) is temporary. */
export async function enqueueFile(intake: Pick<Intake, 'admit'>, f: string): Promise<number> {
  const path = resolve(f);
  let outcome: string;
  try {
    outcome = existsSync(path) || isLink(path) ? await intake.admit(path) : 'refused';
  } catch (err) {
    outcome = 'later';
    console.error(`${f}: not queued now: ${(err as Error).message}; run enqueue again later`);
  }
  const status =
    outcome === 'requeued' || outcome === 'queued'
      ? 'queued'
      : outcome === 'duplicate' || outcome === 'known'
        ? 'duplicate'
        : outcome === 'later'
          ? 'later'
          : 'refused';
  console.log(`${status}\t${f}`);
  return ENQUEUE_EXIT[status];
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
