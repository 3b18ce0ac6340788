// `dropscribe start`: the daemon in the foreground, until a signal stops it.
import type { Command } from 'commander';
import { ConfigError } from '../../config/configError.js';
import { describeLocation } from '../../config/configLocation.js';
import { collect, resolveConfig, withCommon, type CommonOpts } from '../common.js';
import { ensurePythonFor } from './setup.js';

export function addDaemonCommands(program: Command): void {
  withCommon(program.command('start').description('run the daemon in the foreground'))
    .option('--inbox <dir>', 'folder to watch (repeatable; default ./inbox)', collect)
    .option('--outbox <dir>', 'folder for the outputs (default ./outbox)')
    .option(
      '--team <url>',
      'team mode: share the queue on this PostgreSQL (postgres://..., or `keychain`); a password in it is taken ' +
        'out of the command line at once (the safest place for it is DROPSCRIBE_TEAM_URL, team.envFile or the Keychain)',
    )
    .action(async (opts: CommonOpts & { team?: string }) => {
      const teamFlag = await teamUrlOutOfArgv(opts.team);
      const { config, location } = resolveConfig(opts);
      // Loaded here, not at the top: every other command (status above all) starts without the logger's modules.
      const [{ createLogger }, { handleSignals }, { makePrivateFolder, makePrivateTree }] = await Promise.all([
        import('../../platform/log.js'),
        import('../../daemon/signals.js'),
        import('../../platform/privateFiles.js'),
      ]);
      const log = createLogger();
      makePrivateFolder(config.dataDir);
      const tightened = makePrivateTree(config.dataDir);
      // debug: a start that loses the lock to a running daemon prints its one error line only (e2e/lock.test.ts)
      if (tightened) log.debug({ dataDir: config.dataDir, entries: tightened }, 'data folder made private (0700/0600)');
      ensurePythonFor(config, (line) => log.info(line));
      const { Daemon } = await import('../../daemon/daemon.js');
      const daemon = new Daemon(config, log, { teamFlag });
      handleSignals(() => daemon.stop(), log);
      await daemon.start();
      log.info(
        { config: describeLocation(location), inboxes: config.inboxes, outbox: config.outbox, dataDir: config.dataDir },
        'dropscribe is running; drop recordings into the inbox',
      );
    });
}

/** The team URL this daemon uses from --team or DROPSCRIBE_TEAM_URL, taken out of the process's environment so that
 * nothing it starts inherits it. A --team URL holding a password restarts this process without it in the command
 * line (platform/secretArgv.ts), the URL in DROPSCRIBE_TEAM_URL; a Node that cannot is refused with the other ways. */
async function teamUrlOutOfArgv(flag: string | undefined): Promise<string | undefined> {
  const { TEAM_URL_ENV, hasPassword } = await import('../../team/teamUrl.js');
  if (flag && flag !== 'keychain' && hasPassword(flag)) {
    const { restartWithoutOption } = await import('../../platform/secretArgv.js');
    restartWithoutOption('--team', TEAM_URL_ENV, flag);
    throw new ConfigError(
      `--team holds a password, which would stay readable by every user of this machine in the process list, and ` +
        `this Node (${process.version}) cannot take it out of its command line (Node 22.15 or later can). Give the ` +
        `URL in ${TEAM_URL_ENV}, in a file named by team.envFile (mode 600), or in the Keychain instead.`,
    );
  }
  const url = flag ?? process.env[TEAM_URL_ENV];
  delete process.env[TEAM_URL_ENV];
  return url;
}
