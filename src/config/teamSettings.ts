// The `team` config section: where the shared queue lives, who this host is, and the lease timings (defaults once,
// here); whether team mode is on at all, without loading its modules.
import { hostname } from 'node:os';
import { z } from 'zod';
import { optionalText } from './optionalText.js';

export const TeamSettings = z.object({
  url: optionalText('postgres://user:password@host/db; prefer envFile or keychain for the password'),
  envFile: optionalText('a file (mode 600) with a DROPSCRIBE_TEAM_URL=... line'),
  keychain: z.boolean().default(false).describe('read the URL from the macOS Keychain item dropscribe/team'),
  host: optionalText("this daemon's name in the team; null: the machine name"),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('dropscribe')
    .describe('PostgreSQL schema (pg-boss uses <schema>_boss)'),
  ssl: z
    .union([z.boolean(), z.record(z.string(), z.unknown())])
    .nullable()
    .default(null)
    .describe('passed to node-postgres as `ssl`'),
  heartbeatSec: z
    .number()
    .int()
    .min(10)
    .default(60)
    .describe('a running job not touched this long is handed to another host'),
  retryLimit: z.number().int().nonnegative().default(3).describe('hand-overs (dead host, shutdown) before a job fails'),
  hostBeatSec: z
    .number()
    .int()
    .positive()
    .default(10)
    .describe('live hosts refresh their row this often; 3 missed = gone'),
  superviseSec: z.number().int().positive().default(30).describe('how often a host looks for expired jobs'),
  pollMs: z.number().int().positive().default(1000).describe('how often a host with free capacity asks for jobs'),
});
export type TeamSettings = z.infer<typeof TeamSettings>;
export const DEFAULT_TEAM: TeamSettings = TeamSettings.parse({});

/** This daemon's host name in the team. */
export function teamHost(t: TeamSettings): string {
  return t.host ?? hostname();
}

/** True when a team URL is configured: a --team flag, the config (url, envFile, keychain) or DROPSCRIBE_TEAM_URL. */
export function teamConfigured(t: TeamSettings, flag?: string, env = process.env): boolean {
  return Boolean(flag || env.DROPSCRIBE_TEAM_URL || t.url || t.envFile || t.keychain);
}
