// Which config file every command reads: --config, DROPSCRIBE_CONFIG, ./dropscribe.json, the installed agent's
// config, else the built-in defaults. One lookup, so the daemon and the commands agree on one database.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { installedConfigFile, servicePlatform } from '../platform/paths.js';

export type ConfigSource = 'flag' | 'env' | 'local' | 'installed' | 'defaults';

export interface ConfigLocation {
  /** The config file, or undefined for the built-in defaults. */
  file: string | undefined;
  source: ConfigSource;
}

export interface LookupPlaces {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where `dropscribe install` writes the agent's config. */
  installedConfig: string;
  exists: (path: string) => boolean;
}

/** This process's places: its folder, its environment, and the installed config for its home and platform. */
export function currentPlaces(env = process.env): LookupPlaces {
  return {
    cwd: process.cwd(),
    env,
    installedConfig: installedConfigFile(servicePlatform(env), homedir(), env),
    exists: existsSync,
  };
}

/** The first of: the --config flag, $DROPSCRIBE_CONFIG, ./dropscribe.json, the installed config, the defaults.
 * A flag or variable naming a missing file is kept (loading it then says so) rather than silently skipped. */
export function locateConfig(flag: string | undefined, places: LookupPlaces = currentPlaces()): ConfigLocation {
  if (flag) return { file: resolve(places.cwd, flag), source: 'flag' };
  const fromEnv = places.env.DROPSCRIBE_CONFIG;
  if (fromEnv) return { file: resolve(places.cwd, fromEnv), source: 'env' };
  const local = join(places.cwd, 'dropscribe.json');
  if (places.exists(local)) return { file: local, source: 'local' };
  if (places.exists(places.installedConfig)) return { file: places.installedConfig, source: 'installed' };
  return { file: undefined, source: 'defaults' };
}

const SOURCE_NAMES: Record<ConfigSource, string> = {
  flag: '--config',
  env: 'DROPSCRIBE_CONFIG',
  local: 'dropscribe.json in this folder',
  installed: 'the installed agent',
  defaults: '',
};

/** "/x/config.json (the installed agent)", or "built-in defaults". */
export function describeLocation(location: ConfigLocation): string {
  return location.file
    ? `${location.file} (${SOURCE_NAMES[location.source]})`
    : 'built-in defaults (no config file found)';
}

/** The location as `status --json` and `doctor --json` report it. */
export function locationJson(location: ConfigLocation): { file: string | null; source: ConfigSource } {
  return { file: location.file ?? null, source: location.source };
}
