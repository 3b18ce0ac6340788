// `dropscribe restore-db`: put the newest good nightly backup in place of a damaged job database.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { acquireLock, describeHolder, LockError, lockHolder } from '../../daemon/lock.js';
import { restoreLatestBackup } from '../../store/backup.js';
import { resolveConfig, withCommon, type CommonOpts } from '../common.js';

export function addDbCommands(program: Command): void {
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
}
