// Team mode for the daemon: when a team URL is configured, connect the shared queue, the host heartbeat, the team
// intake and the team dispatcher; otherwise nothing (the local SQLite queue is used alone).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../platform/log.js';
import { PACKAGE_ROOT } from '../platform/paths.js';
import { HostBeat } from './hostBeat.js';
import { TeamDispatcher, type DispatchDeps } from './teamDispatch.js';
import { TeamIntake } from './teamIntake.js';
import { TeamQueue } from './teamQueue.js';
import { teamHost } from '../teamSettings.js';
import { redactUrl, resolveTeamUrl } from './teamUrl.js';

export interface TeamMode {
  queue: TeamQueue;
  intake: TeamIntake;
  dispatcher: TeamDispatcher;
  stop(): Promise<void>;
}

/** The team queue for a CLI command or a daemon, or undefined when no team URL is configured. */
export function teamQueueFor(
  config: Config,
  log: Logger,
  o: { flag?: string; client?: boolean } = {},
): TeamQueue | undefined {
  const t = config.team;
  const resolved = resolveTeamUrl({ flag: o.flag, configUrl: t.url, envFile: t.envFile, keychain: t.keychain });
  if (!resolved) return undefined;
  return new TeamQueue({
    url: resolved.url,
    settings: t,
    host: teamHost(t),
    log,
    client: o.client,
    pendingFile: o.client ? undefined : join(config.dataDir, 'team-pending.json'),
    version: packageVersion(),
  });
}

export async function startTeamMode(
  deps: Omit<DispatchDeps, 'host'> & { teamFlag?: string },
): Promise<TeamMode | undefined> {
  const c = deps.config;
  const queue = teamQueueFor(c, deps.log, { flag: deps.teamFlag });
  if (!queue) return undefined;
  const host = teamHost(c.team);
  deps.log.info({ team: redactUrl(queue.url), host }, 'team mode: jobs come from the shared queue');
  await queue.start();
  const dispatcher = new TeamDispatcher(queue, { ...deps, host });
  const forgotten = dispatcher.forgetLocalQueue();
  if (forgotten) deps.log.info({ jobs: forgotten }, 'local jobs left from before belong to the team queue now');
  const beat = new HostBeat(
    queue,
    host,
    c.team.hostBeatSec,
    () => ({ running: deps.running(), capacity: c.jobs.concurrency }),
    packageVersion(),
  );
  beat.start();
  queue.on('online', () => {
    void beat.beat();
    void dispatcher.pump();
  });
  const poll = setInterval(() => void dispatcher.pump(), c.team.pollMs);
  poll.unref();
  return {
    queue,
    dispatcher,
    intake: new TeamIntake(queue, c, host, deps.log),
    async stop() {
      clearInterval(poll);
      await dispatcher.stop();
      await beat.stop();
      await queue.stop();
    },
  };
}

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}
