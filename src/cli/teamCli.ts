// The CLI in team mode: `status` lists the team's jobs with their hosts and the live hosts, `doctor` checks the
// connection, schema versions and clock skew (retry and cancel go through the team job source). The URL is redacted.
import type { Check } from './check.js';
import type { Config } from '../config/config.js';
import { silentLogger } from '../platform/log.js';
import { teamQueueFor } from '../team/teamMode.js';
import type { TeamQueue } from '../team/teamQueue.js';
import { checkTeam, listTeamJobs, liveHosts } from '../team/teamStatus.js';
import { teamConfigured } from '../config/teamSettings.js';
import { redactUrl, resolveTeamUrl } from '../team/teamUrl.js';

async function withQueue<T>(config: Config, fn: (q: TeamQueue) => Promise<T>): Promise<T> {
  const q = teamQueueFor(config, silentLogger, { client: true })!;
  try {
    await q.start();
    return await fn(q);
  } finally {
    await q.stop();
  }
}

/** `status` in team mode: JSON `{team: {url, host, hosts}, counts, jobs: [{id, input, state, host, ...}]}` or text. */
export async function teamStatus(
  config: Config,
  request: { where: object; json: boolean; limit: number },
): Promise<string> {
  const { where, json, limit } = request;
  return withQueue(config, async (q) => {
    const [jobs, hosts] = [await listTeamJobs(q, limit), await liveHosts(q)];
    const counts: Record<string, number> = {};
    for (const j of jobs) counts[j.state] = (counts[j.state] ?? 0) + 1;
    const team = { url: redactUrl(q.url), host: config.team.host, hosts };
    if (json) {
      return JSON.stringify({ ...where, team, counts, jobs: jobs.map((j) => ({ ...j, input: j.relPath })) });
    }
    const lines = [
      `team: ${team.url}`,
      `live hosts: ${hosts.map((h) => `${h.host} (${h.running}/${h.capacity} running)`).join(', ') || 'none'}`,
      `jobs: ${
        Object.entries(counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ') || 'none'
      }`,
    ];
    for (const j of jobs) {
      const pct = j.state === 'running' ? ` ${j.stage ?? ''} ${Math.round(j.progress * 100)}%` : '';
      lines.push(
        `${j.id.slice(0, 8)}  ${j.state.padEnd(8)} ${(j.host ?? '-').padEnd(12)} ${j.relPath}${pct}${j.error ? `\n          ${j.error.split('\n')[0]}` : ''}`,
      );
    }
    return lines.join('\n');
  });
}

/** doctor's team checks; none when team mode is off. */
export async function teamDoctorChecks(config: Config): Promise<Check[]> {
  if (!teamConfigured(config.team)) return [];
  let url;
  try {
    url = resolveTeamUrl({ configUrl: config.team.url, envFile: config.team.envFile, keychain: config.team.keychain })!;
  } catch (err) {
    return [{ name: 'team url', ok: false, detail: (err as Error).message }];
  }
  const source = { name: 'team url', ok: true, detail: `${redactUrl(url.url)} (from ${url.source})` };
  const check = await withQueue(config, (q) => checkTeam(q)).catch((err: Error) => ({
    connected: false,
    problems: [err.message],
  }));
  if (!check.connected) {
    return [
      source,
      {
        name: 'team database',
        ok: false,
        detail: check.problems.join('; '),
        fix: 'check the URL, the network, and that the server accepts connections from this Mac',
      },
    ];
  }
  const c = check as Awaited<ReturnType<typeof checkTeam>>;
  return [
    source,
    { name: 'team database', ok: true, detail: `PostgreSQL ${c.serverVersion}, ${c.latencyMs} ms` },
    {
      name: 'team schema',
      ok: c.teamSchemaVersion === c.expectedTeamSchemaVersion && Boolean(c.queueSchemaVersion),
      detail: `dropscribe ${c.teamSchemaVersion ?? 'missing'} (expects ${c.expectedTeamSchemaVersion}), pg-boss ${c.queueSchemaVersion ?? 'missing'}`,
      fix: c.problems.find((p) => /schema/.test(p)),
    },
    {
      name: 'team clock',
      ok: Math.abs(c.clockSkewMs ?? 0) <= 5000,
      detail: `server clock ${c.clockSkewMs} ms from this machine`,
      fix: c.problems.find((p) => /clock/.test(p)),
    },
  ];
}
