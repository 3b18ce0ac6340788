// Who may use the web page (pure): the loopback Host only (DNS rebinding), no state-changing request from another
// origin, and a Bearer credential (the token from the data folder, or a session the page was signed in with) unless
// the route is open (the page's shell, which holds no data; a recording's signed address). No cookie is ever read or
// set: browsers send a 127.0.0.1 cookie to every port of the machine. No CORS headers are ever sent.
import { timingSafeEqual } from 'node:crypto';

export interface RequestFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  authorization: string | undefined;
}

export interface Access {
  /** Whether a Bearer value is the token or a live session. */
  isCredential(bearer: string): boolean;
  /** The route needs no credential (the page's shell, a signed media address). */
  open: boolean;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Sent with every answer: no other page may frame this one (a page on another local port framed the signed-in
 * queue), read it as a resource, sniff a type or learn its address from a referrer. */
export const SECURITY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The origins the page itself has: the two loopback names with the port. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function checkRequest(r: RequestFacts, port: number, access: Access): Verdict {
  if (!r.host || !ownOrigins(port).includes(`http://${r.host.toLowerCase()}`))
    return { ok: false, status: 403, reason: `host ${r.host ?? '(none)'} is not this machine's loopback address` };
  if (!SAFE_METHODS.has(r.method)) {
    if (r.origin !== undefined && !ownOrigins(port).includes(r.origin))
      return { ok: false, status: 403, reason: `a request from ${r.origin} may not change anything` };
    if (r.origin === undefined && (r.secFetchSite === 'cross-site' || r.secFetchSite === 'same-site'))
      return { ok: false, status: 403, reason: 'a request from another site may not change anything' };
  }
  if (access.open) return { ok: true };
  const bearer = bearerOf(r.authorization);
  return bearer !== undefined && access.isCredential(bearer) ? { ok: true } : unauthorized;
}

const unauthorized: Verdict = {
  ok: false,
  status: 401,
  reason: 'not signed in: open the page with `dropscribe open`',
};

/** The value of an `Authorization: Bearer ...` header. */
export function bearerOf(authorization: string | undefined): string | undefined {
  return /^Bearer ([\w.~+/=-]+)$/i.exec(authorization ?? '')?.[1];
}

/** `a === b` in a time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
