// Team mode's composition: the shared queue for a team URL, and the team job source a daemon (with the host
// heartbeat) or a CLI command (as a client) takes its jobs from. Imported only when a team URL is configured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { hideInLogs, type Logger } from '../platform/log.js';
import { PACKAGE_ROOT } from '../platform/paths.js';
import { teamHost } from '../config/teamSettings.js';
import { HostBeat } from './hostBeat.js';
import { TeamQueue } from './teamQueue.js';
import { TeamJobSource, type TeamSourceOptions } from './teamSource.js';
import { passwordForms, redactUrl, resolveTeamUrl } from './teamUrl.js';

/** The team queue for a CLI command or a daemon, or undefined when no team URL is configured. */
export function teamQueueFor(
  config: Config,
  log: Logger,
  o: { flag?: string; client?: boolean } = {},
): TeamQueue | undefined {
  const t = config.team;
  const resolved = resolveTeamUrl({ flag: o.flag, configUrl: t.url, envFile: t.envFile, keychain: t.keychain });
  if (!resolved) return undefined;
  hideInLogs(...passwordForms(resolved.url));
  return new TeamQueue({
    url: resolved.url,
    settings: t,
    host: teamHost(t),
    log,
    client: o.client,
    pendingFile: o.client ? undefined : join(config.dataDir, 'team-pending.json'),
  });
}

/** The daemon's job source in team mode: connected, with this host's heartbeat; undefined without a team URL. */
export async function startTeamSource(
  o: Omit<TeamSourceOptions, 'host' | 'beforeClose'> & { teamFlag?: string },
): Promise<TeamJobSource | undefined> {
  const c = o.config;
  const queue = teamQueueFor(c, o.log, { flag: o.teamFlag });
  if (!queue) return undefined;
  const host = teamHost(c.team);
  o.log.info({ team: redactUrl(queue.url), host }, 'team mode: jobs come from the shared queue');
  await queue.start();
  const beat = new HostBeat({
    queue,
    host,
    beatSec: c.team.hostBeatSec,
    load: () => ({ running: o.running(), capacity: c.jobs.concurrency }),
    version: packageVersion(),
  });
  beat.start();
  queue.on('online', () => void beat.beat());
  return new TeamJobSource(queue, { ...o, host, beforeClose: () => beat.stop() });
}

/** A CLI command's job source in team mode (enqueue, retry, cancel): a client of the shared queue, no heartbeat. */
export async function teamClientSource(
  config: Config,
  stores: Pick<TeamSourceOptions, 'jobs' | 'runs' | 'outputFiles'>,
  log: Logger,
): Promise<TeamJobSource> {
  const queue = teamQueueFor(config, log, { client: true });
  if (!queue) throw new Error('team mode: no team URL is configured');
  await queue.start();
  return new TeamJobSource(queue, {
    config,
    ...stores,
    log,
    host: teamHost(config.team),
    owner: `${teamHost(config.team)}:${process.pid}`,
    leaseMs: 0,
    running: () => 0,
  });
}

export function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}
