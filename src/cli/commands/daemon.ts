// `dropscribe start`: the daemon in the foreground, until a signal stops it.
import type { Command } from 'commander';
import { describeLocation } from '../../configLocation.js';
import { collect, resolveConfig, withCommon, type CommonOpts } from '../common.js';
import { ensurePythonFor } from './setup.js';

export function addDaemonCommands(program: Command): void {
  withCommon(program.command('start').description('run the daemon in the foreground'))
    .option('--inbox <dir>', 'folder to watch (repeatable; default ./inbox)', collect)
    .option('--outbox <dir>', 'folder for the outputs (default ./outbox)')
    .option('--team <url>', 'team mode: share the queue on this PostgreSQL (postgres://..., or `keychain`)')
    .action(async (opts: CommonOpts & { team?: string }) => {
      const { config, location } = resolveConfig(opts);
      // Loaded here, not at the top: every other command (status above all) starts without the logger's modules.
      const [{ createLogger }, { handleSignals }] = await Promise.all([
        import('../../platform/log.js'),
        import('../../daemon/signals.js'),
      ]);
      const log = createLogger();
      ensurePythonFor(config, (line) => log.info(line));
      const { Daemon } = await import('../../daemon/daemon.js');
      const daemon = new Daemon(config, log, { teamFlag: opts.team });
      handleSignals(() => daemon.stop(), log);
      await daemon.start();
      log.info(
        { config: describeLocation(location), inboxes: config.inboxes, outbox: config.outbox, dataDir: config.dataDir },
        'dropscribe is running; drop recordings into the inbox',
      );
    });
}
