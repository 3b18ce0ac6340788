// The `dropscribe` command line.
import { Command, Option } from 'commander';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../output/atomicWrite.js';
import { join, resolve } from 'node:path';
import { restoreLatestBackup } from '../store/backup.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { teamConfigured, teamJobCommand, teamStatus } from '../team/teamCli.js';
import { EXIT } from '../contract.js';
import { describeLocation, locateConfig, locationJson, type ConfigLocation } from '../configLocation.js';
import { DatabaseError, openDb } from '../store/db.js';
import { Intake } from '../intake/intake.js';
import { JobStore } from '../store/jobs.js';
import { acquireLock, describeHolder, LockError, lockHolder } from '../daemon/lock.js';
import { createLogger, silentLogger } from '../platform/log.js';
import { PACKAGE_ROOT, servicePlatform } from '../platform/paths.js';
import { reportRefusal } from '../output/report.js';
import { handleSignals } from '../daemon/signals.js';
import type { ServicePaths } from '../platform/service/index.js';
import { statusJson, statusText, whereLines } from './statusView.js';

/** Exit codes of `dropscribe enqueue`, for Hazel and scripts. */
export const ENQUEUE_EXIT = { queued: 0, duplicate: 3, refused: 4 } as const;

interface CommonOpts {
  config?: string;
  dataDir?: string;
  inbox?: string[];
  outbox?: string;
}

interface Resolved {
  config: Config;
  location: ConfigLocation;
  dbFile: string;
}

/** The config every command uses (see configLocation.ts for the lookup order), with the flags applied. */
function resolveConfig(opts: CommonOpts): Resolved {
  const location = locateConfig(opts.config);
  const config = loadConfig({ config: location.file, dataDir: opts.dataDir, inbox: opts.inbox, outbox: opts.outbox });
  return { config, location, dbFile: join(config.dataDir, 'jobs.db') };
}

/** The job store when its database exists; reading never creates a data folder. */
function openExistingStore(r: Resolved): JobStore | undefined {
  return existsSync(r.dbFile) ? new JobStore(openDb(r.dbFile)) : undefined;
}

/** The job store, created when missing only where a daemon would look: a config file or --data-dir names it. */
function openStoreForWriting(r: Resolved, opts: CommonOpts): JobStore {
  const store = openExistingStore(r);
  if (store) return store;
  if (r.location.source === 'defaults' && !opts.dataDir) {
    throw new ConfigError(
      `no config found (no --config, DROPSCRIBE_CONFIG, ./dropscribe.json or installed agent) and no database ${r.dbFile}; ` +
        'run `dropscribe install`, or pass --config FILE',
    );
  }
  return new JobStore(openDb(r.dbFile));
}

const noDatabase = (r: Resolved) => `database ${r.dbFile} does not exist`;

/** The store that should hold job `id`; without a database there is no such job (says so, exit 1). */
function storeWithJob(r: Resolved, id: number): JobStore | undefined {
  const jobs = openExistingStore(r);
  if (!jobs) {
    console.log(`job ${id} does not exist: ${noDatabase(r)}`);
    process.exitCode = 1;
  }
  return jobs;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('dropscribe')
    .description('Turns recordings dropped into a folder into SRT, VTT, TXT and JSON transcripts.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();
  const withCommon = (cmd: Command) =>
    cmd
      .option(
        '--config <file>',
        "JSON config file (default: $DROPSCRIBE_CONFIG, ./dropscribe.json, the installed agent's config)",
      )
      .option('--data-dir <dir>', "folder for the job database and work files (default: the config's dataDir)");

  withCommon(program.command('start').description('run the daemon in the foreground'))
    .option('--inbox <dir>', 'folder to watch (repeatable; default ./inbox)', collect)
    .option('--outbox <dir>', 'folder for the outputs (default ./outbox)')
    .option('--team <url>', 'team mode: share the queue on this PostgreSQL (postgres://..., or `keychain`)')
    .action(async (opts: CommonOpts & { team?: string }) => {
      const { config, location } = resolveConfig(opts);
      const log = createLogger();
      const { Daemon } = await import('../daemon/daemon.js');
      const daemon = new Daemon(config, log, { teamFlag: opts.team });
      handleSignals(() => daemon.stop(), log);
      await daemon.start();
      log.info(
        { config: describeLocation(location), inboxes: config.inboxes, outbox: config.outbox, dataDir: config.dataDir },
        'dropscribe is running; drop recordings into the inbox',
      );
    });

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
            ? JSON.stringify({ ...where, daemon: null, counts: {}, jobs: [] })
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
        (id) => reportRefusal(jobs, config.outbox, id, silentLogger),
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

  withCommon(program.command('retry').description('run a finished, failed or canceled job again'))
    .argument('<job>', 'job id (team mode: the id or its first characters)')
    .action(async (arg: string, opts: CommonOpts) => {
      const r = resolveConfig(opts);
      if (teamConfigured(r.config)) return teamReply(await teamJobCommand(r.config, 'retry', arg));
      const id = Number(arg);
      const jobs = storeWithJob(r, id);
      if (!jobs) return;
      const job = jobs.retry(id);
      console.log(job ? `job ${id} queued again` : `job ${id} is not finished, failed or canceled (or does not exist)`);
      process.exitCode = job ? 0 : 1;
      jobs.db.close();
    });

  withCommon(program.command('cancel').description('cancel a queued or running job'))
    .argument('<job>', 'job id (team mode: the id or its first characters)')
    .action(async (arg: string, opts: CommonOpts) => {
      const r = resolveConfig(opts);
      if (teamConfigured(r.config)) return teamReply(await teamJobCommand(r.config, 'cancel', arg));
      const id = Number(arg);
      const jobs = storeWithJob(r, id);
      if (!jobs) return;
      const outcome = jobs.cancel(id);
      console.log(
        outcome === 'canceled'
          ? `job ${id} canceled`
          : outcome === 'requested'
            ? `job ${id} will stop within seconds`
            : `job ${id} is not queued or running`,
      );
      process.exitCode = outcome === 'not-active' ? 1 : 0;
      jobs.db.close();
    });

  withCommon(
    program.command('restore-db').description('replace a damaged job database with the newest good nightly backup'),
  ).action((opts: CommonOpts) => {
    const { config, dbFile } = resolveConfig(opts);
    if (!existsSync(config.dataDir)) throw new Error(`no data folder ${config.dataDir}, so no backup to restore`);
    const holder = lockHolder(config.dataDir);
    if (holder) throw new LockError(`stop the daemon (${describeHolder(holder)}) before restoring its database`);
    const release = acquireLock(config.dataDir, 0); // no daemon may start while the file is swapped
    try {
      console.log(`restored the job database from ${restoreLatestBackup(config.dataDir, dbFile)}`);
    } finally {
      release();
    }
  });

  program
    .command('install')
    .description('install the background agent (LaunchAgent on macOS, systemd user unit on Linux)')
    .option('--inbox <dir>', 'folder to watch (repeatable; default ~/Dropscribe/Inbox)', collect)
    .option('--outbox <dir>', 'folder for the outputs (default ~/Dropscribe/Outbox)')
    .option('--dry-run', 'print the service definition and change nothing')
    .action(async (opts: { inbox?: string[]; outbox?: string; dryRun?: boolean }) => {
      const { installedPaths, serviceFor } = await import('../platform/service/index.js');
      const service = serviceFor(servicePlatform());
      const paths = installedPaths(servicePlatform());
      if (opts.dryRun) {
        process.stdout.write(service.render(paths));
        return;
      }
      const created = ensureInstalledConfig(paths, opts);
      if (created) console.log(`wrote ${paths.config}`);
      for (const line of await service.install(paths)) console.log(line);
    });

  program
    .command('uninstall')
    .description('stop and remove the background agent (config and data stay)')
    .action(async () => {
      const { serviceFor } = await import('../platform/service/index.js');
      for (const line of await serviceFor(servicePlatform()).uninstall()) console.log(line);
    });

  program
    .command('restart')
    .description('restart the background agent')
    .action(async () => {
      const { serviceFor } = await import('../platform/service/index.js');
      for (const line of await serviceFor(servicePlatform()).restart()) console.log(line);
    });

  program
    .command('logs')
    .description("show the agent's logs")
    .option('-f, --follow', 'keep following')
    .action(async (opts: { follow?: boolean }) => {
      const { installedPaths, serviceFor } = await import('../platform/service/index.js');
      const { execa } = await import('execa');
      const [cmd, ...args] = serviceFor(servicePlatform()).logsCommand(
        installedPaths(servicePlatform()),
        Boolean(opts.follow),
      );
      await execa(cmd!, args, { stdio: 'inherit', reject: false });
    });

  withCommon(program.command('doctor').description('check the setup and say how to fix each problem'))
    .option('--json', 'machine-readable output')
    .action(async (opts: CommonOpts & { json?: boolean }) => {
      const { serviceFor } = await import('../platform/service/index.js');
      const { formatChecks, runDoctor } = await import('./doctor.js');
      const { config, location } = resolveConfig(opts);
      const checks = await runDoctor(config, serviceFor(servicePlatform()));
      console.log(
        opts.json
          ? JSON.stringify({ config: locationJson(location), checks })
          : `config: ${describeLocation(location)}\n${formatChecks(checks)}`,
      );
      process.exitCode = checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
    });

  return program;
}

function teamReply(r: { message: string; ok: boolean }): void {
  console.log(r.message);
  process.exitCode = r.ok ? 0 : 1;
}

/** Create the installed config (standard folders) unless one exists; flags update inbox/outbox. */
function ensureInstalledConfig(paths: ServicePaths, opts: { inbox?: string[]; outbox?: string }): boolean {
  const exists = existsSync(paths.config);
  const current = exists ? (JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>) : {};
  const next = {
    inboxes: [join(paths.home, 'Dropscribe', 'Inbox')],
    outbox: join(paths.home, 'Dropscribe', 'Outbox'),
    ...current,
    ...(opts.inbox ? { inboxes: opts.inbox.map((p) => resolve(p)) } : {}),
    ...(opts.outbox ? { outbox: resolve(opts.outbox) } : {}),
    dataDir: paths.dataDir,
  };
  loadConfig({ config: writeJson(paths.config, next) }); // validate before the agent uses it
  return !exists;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function writeJson(file: string, value: unknown): string {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Run the CLI; known errors print one clear line instead of a stack trace. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseError || err instanceof LockError) {
      console.error(`dropscribe: ${err.message}`);
      process.exitCode = err instanceof ConfigError ? EXIT.config : EXIT.temporary;
      return;
    }
    console.error(`dropscribe: ${(err as Error).message ?? String(err)}`);
    process.exitCode = 1;
  }
}
