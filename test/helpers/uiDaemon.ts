// A real daemon with its web page on a free port, and the page's address and token once it listens.
import { join } from 'node:path';
import { readUiAddress } from '../../src/ui/token.js';
import { startTestDaemon, waitFor, type TestDaemon } from './daemonProcess.js';
import { readFileSync } from 'node:fs';

export interface UiDaemon extends TestDaemon {
  port: number;
  token: string;
  base: string;
}

export async function startUiDaemon(overrides: Record<string, unknown> = {}): Promise<UiDaemon> {
  const t = await startTestDaemon({ ui: { enabled: true, port: 0 }, job: { model: 'tiny.en' }, ...overrides });
  const address = await waitFor('the web page', () => readUiAddress(t.dataDir), 30_000).catch(t.daemon.fail);
  const token = readFileSync(join(t.dataDir, 'ui-token'), 'utf8').trim();
  return { ...t, port: address.port, token, base: `http://127.0.0.1:${address.port}` };
}
