// What `status` and `doctor` read from the team database: the team's jobs with the host of each, the live hosts,
// and the health checks (connection, schema versions, clock skew).
import { QUEUE, teamState, type BossState, type TeamJobData, type TeamJobState, type TeamResult } from './teamJob.js';
import type { TeamQueue } from './teamQueue.js';
import { TEAM_SCHEMA_VERSION, teamSchemaVersion } from './teamSchema.js';

export interface TeamJobView {
  id: string;
  relPath: string;
  sha256: string;
  state: TeamJobState;
  /** The host running it, or the one that finished it; null while queued. */
  host: string | null;
  attempts: number;
  stage: string | null;
  progress: number;
  outputs: string[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TeamHostView {
  host: string;
  pid: number | null;
  version: string | null;
  running: number;
  capacity: number;
  seenSecAgo: number;
}

/** The newest `limit` team jobs. */
export async function listTeamJobs(q: TeamQueue, limit = 200): Promise<TeamJobView[]> {
  const { rows } = await q.call(() =>
    q.db().executeSql(
      `
    SELECT j.id, j.state, j.data, j.output, j.retry_count, j.created_on, j.started_on, j.completed_on, r.host, r.stage, r.progress
    FROM ${q.bossSchema}.job j
    LEFT JOIN ${q.schema}.runs r ON r.job_id = j.id AND r.attempt = j.retry_count
    WHERE j.name = $1 ORDER BY j.created_on DESC, j.id LIMIT $2`,
      [QUEUE, limit],
    ),
  );
  return rows.map((r) => {
    const data = r.data as TeamJobData;
    const state = teamState(r.state as BossState, r.output as Partial<TeamResult> | null);
    const result = (r.state === 'completed' ? r.output : null) as Partial<TeamResult> | null;
    const bossError = r.state === 'failed' ? ((r.output as { message?: string } | null)?.message ?? 'failed') : null;
    return {
      id: r.id,
      relPath: data.relPath,
      sha256: data.sha256,
      state,
      host: result?.host ?? (r.state === 'created' ? null : (r.host ?? null)),
      attempts: Number(r.retry_count) + (r.started_on ? 1 : 0),
      stage: state === 'running' ? (r.stage ?? null) : null,
      progress: state === 'done' ? 1 : Number(r.progress ?? 0),
      outputs: result?.outputs ?? [],
      error: result?.error ?? bossError,
      createdAt: iso(r.created_on)!,
      startedAt: iso(r.started_on),
      finishedAt: iso(r.completed_on),
    };
  });
}

/** Hosts whose heartbeat is younger than three beats. */
export async function liveHosts(q: TeamQueue): Promise<TeamHostView[]> {
  const { rows } = await q.call(() =>
    q.db().executeSql(`
    SELECT host, pid, version, running, capacity, EXTRACT(EPOCH FROM now() - seen_at) AS age
    FROM ${q.schema}.hosts WHERE seen_at > now() - make_interval(secs => beat_sec * 3) ORDER BY host`),
  );
  return rows.map((r) => ({
    host: r.host,
    pid: r.pid,
    version: r.version,
    running: r.running,
    capacity: r.capacity,
    seenSecAgo: Math.round(Number(r.age) * 10) / 10,
  }));
}

/** Find a team job by its id or a unique prefix of it (status shows the first 8 characters). */
export async function findTeamJobId(q: TeamQueue, idOrPrefix: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{4,36}$/i.test(idOrPrefix)) return undefined;
  const { rows } = await q.call(() =>
    q
      .db()
      .executeSql(`SELECT id FROM ${q.bossSchema}.job WHERE name = $1 AND id::text LIKE $2 LIMIT 2`, [
        QUEUE,
        `${idOrPrefix.toLowerCase()}%`,
      ]),
  );
  return rows.length === 1 ? rows[0].id : undefined;
}

export interface TeamCheck {
  connected: boolean;
  serverVersion?: string;
  latencyMs?: number;
  queueSchemaVersion?: number | null;
  teamSchemaVersion?: number | null;
  expectedTeamSchemaVersion: number;
  /** server clock minus this machine's clock, in ms (positive: the server is ahead). */
  clockSkewMs?: number;
  problems: string[];
}

/** doctor: can we reach the server, are both schemas installed at the versions this build expects, do the clocks agree. */
export async function checkTeam(q: TeamQueue, maxSkewMs = 5000): Promise<TeamCheck> {
  const out: TeamCheck = { connected: false, expectedTeamSchemaVersion: TEAM_SCHEMA_VERSION, problems: [] };
  try {
    const before = Date.now();
    const { rows } = await q.call(() =>
      q.db().executeSql(`SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::float8 AS ms,
      current_setting('server_version') AS v`),
    );
    const after = Date.now();
    out.connected = true;
    out.latencyMs = after - before;
    out.serverVersion = rows[0].v;
    out.clockSkewMs = Math.round(Number(rows[0].ms) - (before + after) / 2);
    out.queueSchemaVersion = await q.call((b) => b.schemaVersion());
    out.teamSchemaVersion = (await teamSchemaVersion(q.db(), q.schema)) ?? null;
  } catch (err) {
    out.problems.push(q.redact(`cannot reach the team database: ${(err as Error).message}`));
    return out;
  }
  if (out.teamSchemaVersion !== TEAM_SCHEMA_VERSION) {
    out.problems.push(
      `team schema version ${out.teamSchemaVersion ?? 'missing'}, this dropscribe expects ${TEAM_SCHEMA_VERSION}: ` +
        (out.teamSchemaVersion !== null && out.teamSchemaVersion > TEAM_SCHEMA_VERSION
          ? 'update dropscribe on this Mac'
          : 'start a daemon once to upgrade it'),
    );
  }
  if (!out.queueSchemaVersion) out.problems.push('the pg-boss schema is not installed: start a daemon once');
  if (Math.abs(out.clockSkewMs!) > maxSkewMs) {
    out.problems.push(
      `this machine's clock is ${Math.abs(out.clockSkewMs! / 1000).toFixed(1)} s ${out.clockSkewMs! > 0 ? 'behind' : 'ahead of'} ` +
        'the database server: leases and live hosts are judged by the server clock; turn on automatic time (System Settings > General > Date & Time)',
    );
  }
  return out;
}

function iso(v: unknown): string | null {
  return v ? new Date(v as string).toISOString() : null;
}
