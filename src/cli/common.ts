// What every command shares: the --config/--data-dir options, the resolved config, and opening the job store.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { locateConfig, type ConfigLocation } from '../config/configLocation.js';
import { jobsDbFile, openDb } from '../store/db.js';
import { JobStore } from '../store/jobs.js';

export interface CommonOpts {
  config?: string;
  dataDir?: string;
  inbox?: string[];
  outbox?: string;
}

export interface Resolved {
  config: Config;
  location: ConfigLocation;
  dbFile: string;
}

/** Add the options every command that reads the config takes. */
export function withCommon(cmd: Command): Command {
  return cmd
    .option(
      '--config <file>',
      "JSON config file (default: $DROPSCRIBE_CONFIG, ./dropscribe.json, the installed agent's config)",
    )
    .option('--data-dir <dir>', "folder for the job database and work files (default: the config's dataDir)");
}

/** A repeatable option's values in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The config every command uses (see configLocation.ts for the lookup order), with the flags applied. */
export function resolveConfig(opts: CommonOpts): Resolved {
  const location = locateConfig(opts.config);
  const config = loadConfig({ config: location.file, dataDir: opts.dataDir, inbox: opts.inbox, outbox: opts.outbox });
  return { config, location, dbFile: jobsDbFile(config.dataDir) };
}

/** The job store when its database exists; reading never creates a data folder. */
export function openExistingStore(r: Resolved): JobStore | undefined {
  return existsSync(r.dbFile) ? new JobStore(openDb(r.dbFile)) : undefined;
}

/** The job store, created when missing only where a daemon would look: a config file or --data-dir names it. */
export function openStoreForWriting(r: Resolved, opts: CommonOpts): JobStore {
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

export const noDatabase = (r: Resolved) => `database ${r.dbFile} does not exist`;
