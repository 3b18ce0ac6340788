// Finds the team database URL (--team, DROPSCRIBE_TEAM_URL, team.url, an env file only the user can read, the macOS
// Keychain) and redacts its password in anything printed.
import { readEnvFileValue, readKeychainItem, SecretSourceError } from '../platform/secretSources.js';

export const TEAM_URL_ENV = 'DROPSCRIBE_TEAM_URL';
export const KEYCHAIN_SERVICE = 'dropscribe';
export const KEYCHAIN_ACCOUNT = 'team';

export class TeamUrlError extends Error {
  override name = 'TeamUrlError';
}

export interface TeamUrlSources {
  /** `start --team URL`; the word `keychain` reads the Keychain instead. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  /** team.url from the config file. */
  configUrl?: string | null;
  /** team.envFile: a file with a DROPSCRIBE_TEAM_URL=... line, mode 600. */
  envFile?: string | null;
  /** team.keychain: read `security find-generic-password -s dropscribe -a team -w`. */
  keychain?: boolean;
  /** The `security` executable (tests put a fake one first on PATH). */
  security?: string;
}

export interface ResolvedTeamUrl {
  url: string;
  /** Where it came from, for status and doctor: never the URL itself. */
  source: 'flag' | 'env' | 'config' | 'env-file' | 'keychain';
}

/** The team URL and its source, or undefined when team mode is off. */
export function resolveTeamUrl(s: TeamUrlSources): ResolvedTeamUrl | undefined {
  const env = s.env ?? process.env;
  if (s.flag === 'keychain') return { url: readKeychain(s.security, env), source: 'keychain' };
  if (s.flag) return { url: checked(s.flag, 'the --team option'), source: 'flag' };
  if (env[TEAM_URL_ENV]) return { url: checked(env[TEAM_URL_ENV]!, `$${TEAM_URL_ENV}`), source: 'env' };
  if (s.configUrl) return { url: checked(s.configUrl, 'team.url'), source: 'config' };
  if (s.envFile) return { url: readEnvFile(s.envFile), source: 'env-file' };
  if (s.keychain) return { url: readKeychain(s.security, env), source: 'keychain' };
  return undefined;
}

function checked(url: string, where: string): string {
  const trimmed = url.trim();
  if (!/^postgres(ql)?:\/\//.test(trimmed))
    throw new TeamUrlError(`${where} must be a postgres:// URL, not ${redactUrl(trimmed)}`);
  return trimmed;
}

/** Read DROPSCRIBE_TEAM_URL from an env file; refuse one that the group or others may read or write. */
export function readEnvFile(file: string, uid = process.getuid?.()): string {
  return checked(
    fromSource(() => readEnvFileValue(file, TEAM_URL_ENV, 'team env file', uid)),
    `${TEAM_URL_ENV} in ${file}`,
  );
}

/** The URL stored with `security add-generic-password -s dropscribe -a team -w 'postgres://...'`. */
export function readKeychain(security = 'security', env: NodeJS.ProcessEnv = process.env): string {
  const url = fromSource(() => readKeychainItem(KEYCHAIN_SERVICE, KEYCHAIN_ACCOUNT, 'postgres://...', security, env));
  return checked(url, 'the Keychain item dropscribe/team');
}

function fromSource(read: () => string): string {
  try {
    return read();
  } catch (err) {
    throw err instanceof SecretSourceError ? new TeamUrlError(err.message) : err;
  }
}

/** The URL with its password (and any password= parameter) replaced by ***. */
export function redactUrl(url: string): string {
  let out: string;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    out = u.toString();
  } catch {
    out = url.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/, '$1***@');
  }
  return out.replace(/(password=)[^&\s]+/gi, '$1***');
}

/** Any text (an error message, a log line) with the URL's password replaced, wherever it appears. */
export function redactSecrets(text: string, url: string | undefined): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  for (const form of url ? passwordForms(url) : []) out = out.split(form).join('***');
  return out;
}

/** True when the URL holds a password (in its userinfo or a password= parameter). */
export function hasPassword(url: string): boolean {
  return passwordOf(url) !== undefined;
}

/** The password as written in the URL, decoded, and re-encoded: any of them may show up in a message. */
export function passwordForms(url: string): string[] {
  const raw = passwordOf(url);
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    /* not encoded */
  }
  return [...new Set([raw, decoded, encodeURIComponent(decoded)])].sort((a, b) => b.length - a.length);
}

/** The password exactly as written in the URL (userinfo or a password= parameter). */
function passwordOf(url: string): string | undefined {
  const userinfo = /^[a-z]+:\/\/[^:/@\s]*:([^@\s]*)@/i.exec(url)?.[1];
  return userinfo || /[?&]password=([^&\s]+)/i.exec(url)?.[1] || undefined;
}
