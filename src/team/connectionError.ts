// Tells a lost or refused database connection (wait and retry) from any other database error (a real problem).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENETDOWN',
]);
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|connection error|terminating connection|server closed the connection|not queryable|the database system is (starting up|shutting down)|pool.*(ended|closed)/i;

export class TeamOfflineError extends Error {
  override name = 'TeamOfflineError';
  constructor(message = 'the team database cannot be reached') {
    super(message);
  }
}

/** Any other team database error (wrong password, no such database), its message redacted. The original error is
 * not kept as `cause`: its text may hold the URL's password. */
export class TeamDatabaseError extends Error {
  override name = 'TeamDatabaseError';
}

export function isConnectionError(err: unknown): boolean {
  if (err instanceof TeamOfflineError) return true;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some(isConnectionError)) return true; // AggregateError (IPv4 + IPv6)
  return e.cause !== undefined && e.cause !== err && isConnectionError(e.cause);
}
