// The web page's secret and address: a random token kept in the data folder (readable by the user only), and
// ui.json, where the daemon writes the port it listens on so `dropscribe open` can build the address.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../platform/atomicWrite.js';

const TOKEN_FILE = 'ui-token';
const ADDRESS_FILE = 'ui.json';

/** The token, created (mode 0600) on first use. */
export function uiToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return token;
  }
  const token = randomBytes(24).toString('base64url');
  writeFileAtomic(file, token + '\n', 0o600);
  chmodSync(file, 0o600); // in case a umask widened it
  return token;
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

/** The address to open: the page with the token, which the page trades for a cookie at once. */
export function pageUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`;
}
