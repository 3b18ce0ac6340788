// Headless Chromium for the browser tests and the screenshots: Debian's `chromium` (or $DROPSCRIBE_CHROMIUM),
// driven by playwright-core, never a browser it downloads.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable, or undefined when none is installed (`.ci/run` installs Debian's). */
export function chromiumPath(): string | undefined {
  const env = process.env.DROPSCRIBE_CHROMIUM;
  if (env) return env;
  return CANDIDATES.find((p) => existsSync(p));
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium found: apt-get install chromium, or set DROPSCRIBE_CHROMIUM');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--disable-gpu', '--mute-audio'],
  });
}
