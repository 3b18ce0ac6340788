// A real daemon with its web page on a free port: the page's address, the token (for API calls) once it listens, and
// the address `dropscribe open` gives (a single-use sign-in code), as the user gets it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readUiAddress } from '../../src/ui/token.js';
import { cli, startTestDaemon, waitFor, type TestDaemon } from './daemonProcess.js';

export interface UiDaemon extends TestDaemon {
  port: number;
  token: string;
  base: string;
  /** What `dropscribe open --no-browser` prints: the page's address to sign in with, once. */
  openAddress(): Promise<string>;
}

export async function startUiDaemon(overrides: Record<string, unknown> = {}): Promise<UiDaemon> {
  const t = await startTestDaemon({ ui: { enabled: true, port: 0 }, job: { model: 'tiny.en' }, ...overrides });
  const address = await waitFor('the web page', () => readUiAddress(t.dataDir), 30_000).catch(t.daemon.fail);
  const token = readFileSync(join(t.dataDir, 'ui-token'), 'utf8').trim();
  const openAddress = async () => {
    const r = await cli(['open', '--no-browser', '--config', t.configFile]);
    if (r.code !== 0) throw new Error(`dropscribe open failed (${r.code}): ${r.stderr}`);
    return r.stdout.trim();
  };
  return { ...t, port: address.port, token, base: `http://127.0.0.1:${address.port}`, openAddress };
}
