// Signing the web page in, held in the daemon's memory only: `dropscribe open` asks for a code (with the token from
// the data folder), the browser trades the code for a session once and within 60 s, and the page sends the session as
// a Bearer header. A session ends 12 hours after its last use; a restart of the daemon forgets them all.
import { createHash, randomBytes } from 'node:crypto';

export const CODE_TTL_MS = 60_000;
export const SESSION_IDLE_MS = 12 * 3600_000;
/** Enough for every tab a person opens; the oldest go first beyond it. */
const MAX_OPEN = 100;

/** 256 random bits, URL-safe. */
const newSecret = () => randomBytes(32).toString('base64url');
/** Secrets are looked up by their hash, so a lookup's timing says nothing about a secret's characters. */
const keyOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export class UiSessions {
  /** Hash of a code or session -> when it expires; a Map keeps insertion order, so the oldest comes first. */
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new sign-in code: it opens one session, once, within CODE_TTL_MS. */
  mintCode(): string {
    const code = newSecret();
    remember(this.codes, keyOf(code), this.now() + CODE_TTL_MS);
    return code;
  }

  /** The session `code` opens, or undefined when it is unknown, used or expired. */
  redeem(code: string): string | undefined {
    const key = keyOf(code);
    const expires = this.codes.get(key);
    if (expires === undefined) return undefined;
    this.codes.delete(key);
    if (this.now() > expires) return undefined;
    const session = newSecret();
    remember(this.sessions, keyOf(session), this.now() + SESSION_IDLE_MS);
    return session;
  }

  /** True when `session` is live; each use keeps it for SESSION_IDLE_MS more. */
  isSession(session: string): boolean {
    const key = keyOf(session);
    const expires = this.sessions.get(key);
    if (expires === undefined) return false;
    this.sessions.delete(key);
    if (this.now() > expires) return false;
    remember(this.sessions, key, this.now() + SESSION_IDLE_MS);
    return true;
  }
}

/** Set `key` as the newest entry of `map`, dropping the oldest beyond MAX_OPEN. */
function remember(map: Map<string, number>, key: string, expires: number): void {
  map.delete(key);
  map.set(key, expires);
  for (const oldest of map.keys()) {
    if (map.size <= MAX_OPEN) break;
    map.delete(oldest);
  }
}
