// The background agent (LaunchAgent on macOS, systemd user unit on Linux): install, uninstall, restart, logs, and
// doctor, which checks the whole setup.
import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../../config/config.js';
import { describeLocation, locationJson } from '../../config/configLocation.js';
import { createOutbox } from '../../output/outbox.js';
import { writeFileAtomic } from '../../platform/atomicWrite.js';
import { servicePlatform } from '../../platform/paths.js';
import type { ServiceManager, ServicePaths } from '../../platform/service/index.js';
import { collect, resolveConfig, withCommon, type CommonOpts } from '../common.js';

/** Agent commands that only print what the service manager says. */
const SERVICE_ACTIONS: [name: string, description: string, act: (s: ServiceManager) => Promise<string[]>][] = [
  ['uninstall', 'stop and remove the background agent (config and data stay)', (s) => s.uninstall()],
  ['restart', 'restart the background agent', (s) => s.restart()],
];

export function addAgentCommands(program: Command): void {
  program
    .command('install')
    .description('install the background agent (LaunchAgent on macOS, systemd user unit on Linux)')
    .option('--inbox <dir>', 'folder to watch (repeatable; default ~/Dropscribe/Inbox)', collect)
    .option('--outbox <dir>', 'folder for the outputs (default ~/Dropscribe/Outbox)')
    .option('--dry-run', 'print the service definition and change nothing')
    .action(async (opts: { inbox?: string[]; outbox?: string; dryRun?: boolean }) => {
      const { installedPaths, serviceFor } = await import('../../platform/service/index.js');
      const service = serviceFor(servicePlatform());
      const paths = installedPaths(servicePlatform());
      if (opts.dryRun) {
        process.stdout.write(service.render(paths));
        return;
      }
      const created = ensureInstalledConfig(paths, opts);
      if (created) console.log(`wrote ${paths.config}`);
      const outbox = loadConfig({ config: paths.config }).outbox;
      if (outbox === defaultOutbox(paths)) mkdirSync(dirname(outbox), { recursive: true }); // ~/Dropscribe is ours
      if (createOutbox(outbox) === 'parent-missing')
        console.log(`the folder above the outbox ${outbox} does not exist yet; jobs will wait for it`);
      for (const line of await service.install(paths)) console.log(line);
    });

  for (const [name, description, act] of SERVICE_ACTIONS) {
    program
      .command(name)
      .description(description)
      .action(async () => {
        const { serviceFor } = await import('../../platform/service/index.js');
        for (const line of await act(serviceFor(servicePlatform()))) console.log(line);
      });
  }

  program
    .command('logs')
    .description("show the agent's logs")
    .option('-f, --follow', 'keep following')
    .action(async (opts: { follow?: boolean }) => {
      const { installedPaths, serviceFor } = await import('../../platform/service/index.js');
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
      const { serviceFor } = await import('../../platform/service/index.js');
      const { formatChecks, runDoctor } = await import('../doctor.js');
      const { config, location } = resolveConfig(opts);
      const checks = await runDoctor(config, serviceFor(servicePlatform()));
      console.log(
        opts.json
          ? JSON.stringify({ config: locationJson(location), checks })
          : `config: ${describeLocation(location)}\n${formatChecks(checks)}`,
      );
      process.exitCode = checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
    });
}

function defaultOutbox(paths: ServicePaths): string {
  return join(paths.home, 'Dropscribe', 'Outbox');
}

/** Create the installed config (standard folders) unless one exists; flags update inbox/outbox. */
function ensureInstalledConfig(paths: ServicePaths, opts: { inbox?: string[]; outbox?: string }): boolean {
  const exists = existsSync(paths.config);
  const current = exists ? (JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>) : {};
  const next = {
    inboxes: [join(paths.home, 'Dropscribe', 'Inbox')],
    outbox: defaultOutbox(paths),
    ...current,
    ...(opts.inbox ? { inboxes: opts.inbox.map((p) => resolve(p)) } : {}),
    ...(opts.outbox ? { outbox: resolve(opts.outbox) } : {}),
    dataDir: paths.dataDir,
  };
  writeFileAtomic(paths.config, JSON.stringify(next, null, 2) + '\n');
  loadConfig({ config: paths.config }); // validate before the agent uses it
  return !exists;
}
