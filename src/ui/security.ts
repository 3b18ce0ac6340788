// Who may use the web page (pure): the loopback Host only (DNS rebinding), the token (query once, then a cookie,
// or a Bearer header), and no state-changing request from another origin. No CORS headers are ever sent.
import { timingSafeEqual } from 'node:crypto';

export const COOKIE = 'dropscribe_token';

export interface RequestFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  authorization: string | undefined;
  cookie: string | undefined;
  queryToken: string | undefined;
}

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The origins the page itself has: the two loopback names with the port. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function checkRequest(r: RequestFacts, port: number, token: string): Verdict {
  if (!r.host || !ownOrigins(port).includes(`http://${r.host.toLowerCase()}`))
    return { ok: false, status: 403, reason: `host ${r.host ?? '(none)'} is not this machine's loopback address` };
  if (!SAFE_METHODS.has(r.method)) {
    if (r.origin !== undefined && !ownOrigins(port).includes(r.origin))
      return { ok: false, status: 403, reason: `a request from ${r.origin} may not change anything` };
    if (r.origin === undefined && (r.secFetchSite === 'cross-site' || r.secFetchSite === 'same-site'))
      return { ok: false, status: 403, reason: 'a request from another site may not change anything' };
  }
  const bearer = /^Bearer (.+)$/i.exec(r.authorization ?? '')?.[1];
  if (bearer !== undefined) return same(bearer, token) ? { ok: true, viaQuery: false } : unauthorized;
  if (r.queryToken !== undefined) return same(r.queryToken, token) ? { ok: true, viaQuery: true } : unauthorized;
  const fromCookie = cookieValue(r.cookie, COOKIE);
  return fromCookie !== undefined && same(fromCookie, token) ? { ok: true, viaQuery: false } : unauthorized;
}

const unauthorized: Verdict = {
  ok: false,
  status: 401,
  reason: 'the token is missing or wrong: open the page with `dropscribe open`',
};

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The cookie the token is traded for: the browser sends it back only to this page, never to scripts. */
export function tokenCookie(token: string): string {
  return `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
