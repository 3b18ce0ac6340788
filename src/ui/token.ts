// The web page's secret and address: a random token the daemon makes at each start and keeps in the data folder
// (readable by the user only), never put in an address; ui.json, where the daemon writes the port it listens on; and
// what `dropscribe open` does with both: ask the daemon for a single-use sign-in code and build the page's address.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../platform/atomicWrite.js';

const TOKEN_FILE = 'ui-token';
const ADDRESS_FILE = 'ui.json';
export const UI_HOST = '127.0.0.1';

/** A new token (mode 0600), replacing the last daemon's: a token that leaked is worth nothing after a restart. */
export function newUiToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE);
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(file, token + '\n', 0o600);
  chmodSync(file, 0o600); // in case a umask widened it
  return token;
}

/** The running daemon's token, if it wrote one. */
export function readUiToken(dataDir: string): string | undefined {
  try {
    const token = readFileSync(join(dataDir, TOKEN_FILE), 'utf8').trim();
    return token.length >= 32 ? token : undefined;
  } catch {
    return undefined;
  }
}

export interface UiAddress {
  port: number;
  pid: number;
}

export function writeUiAddress(dataDir: string, address: UiAddress): void {
  writeFileAtomic(join(dataDir, ADDRESS_FILE), JSON.stringify(address));
}

/** Where the running daemon serves the page, if it said so. */
export function readUiAddress(dataDir: string): UiAddress | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, ADDRESS_FILE), 'utf8')) as UiAddress;
  } catch {
    return undefined;
  }
}

/** The address to open: the page, with a sign-in code when there is one (the page trades it for a session). */
export function pageUrl(port: number, code?: string): string {
  return `http://${UI_HOST}:${port}/${code ? `?code=${encodeURIComponent(code)}` : ''}`;
}

/** A single-use sign-in code from the daemon listening on `port`, asked for with its token. */
export async function requestOpenCode(port: number, token: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`http://${UI_HOST}:${port}/api/open-code`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`the daemon's web page does not answer on port ${port} (${(err as Error).message})`, {
      cause: err,
    });
  }
  const body = (await res.json().catch(() => ({}))) as { code?: unknown; error?: string };
  if (!res.ok || typeof body.code !== 'string')
    throw new Error(`the daemon gave no sign-in code for the page (${res.status}: ${body.error ?? res.statusText})`);
  return body.code;
}

/** The page's address with a fresh sign-in code from the daemon whose data folder is `dataDir` (scripts, bench). */
export async function openAddress(dataDir: string): Promise<string> {
  const address = readUiAddress(dataDir);
  const token = readUiToken(dataDir);
  if (!address || !token) throw new Error(`no daemon serves the web page from ${dataDir}`);
  return pageUrl(address.port, await requestOpenCode(address.port, token));
}
