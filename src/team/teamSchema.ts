// dropscribe's own tables beside pg-boss's (live hosts, which host runs which attempt) and their version.
import type { Db as BossDb } from 'pg-boss';

/** Bump with a new step in MIGRATIONS; `doctor` compares it with the database. */
export const TEAM_SCHEMA_VERSION = 1;

const MIGRATIONS: ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE IF NOT EXISTS ${s}.hosts (
      host text PRIMARY KEY, pid integer, version text, started_at timestamptz NOT NULL DEFAULT now(),
      seen_at timestamptz NOT NULL DEFAULT now(), beat_sec integer NOT NULL, running integer NOT NULL DEFAULT 0,
      capacity integer NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS ${s}.runs (
      job_id uuid NOT NULL, attempt integer NOT NULL, host text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(),
      stage text, progress real NOT NULL DEFAULT 0, PRIMARY KEY (job_id, attempt));`,
];

/** Create or upgrade the schema; an advisory lock keeps hosts that start together from racing. */
export async function migrateTeamSchema(db: BossDb, schema: string): Promise<void> {
  await db.executeSql(`
    BEGIN;
    SELECT pg_advisory_xact_lock(hashtext('dropscribe-team-schema:${schema}'));
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.meta (key text PRIMARY KEY, value text NOT NULL);
    COMMIT;`);
  const current = (await teamSchemaVersion(db, schema)) ?? 0;
  if (current > TEAM_SCHEMA_VERSION) {
    throw new Error(
      `the team database has schema version ${current}, newer than this dropscribe (${TEAM_SCHEMA_VERSION}); update dropscribe`,
    );
  }
  for (let v = current; v < TEAM_SCHEMA_VERSION; v++) {
    await db.executeSql(`
      BEGIN;
      SELECT pg_advisory_xact_lock(hashtext('dropscribe-team-schema:${schema}'));
      ${MIGRATIONS[v]!(schema)}
      INSERT INTO ${schema}.meta (key, value) VALUES ('schema_version', '${v + 1}')
        ON CONFLICT (key) DO UPDATE SET value = GREATEST(${schema}.meta.value::int, ${v + 1})::text;
      COMMIT;`);
  }
}

export async function teamSchemaVersion(db: BossDb, schema: string): Promise<number | undefined> {
  try {
    const { rows } = await db.executeSql(`SELECT value FROM ${schema}.meta WHERE key = 'schema_version'`);
    return rows[0] ? Number(rows[0].value) : undefined;
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return undefined; // no meta table yet
    throw err;
  }
}
