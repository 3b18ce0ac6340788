// Screenshots of the web page for the README (docs/queue.png, docs/job.png, docs/search.png): a real daemon on a temp
// folder transcribes corpus clips (one broken file fails on purpose) while headless Chromium takes the pictures.
// Run with `npm run screenshots` (builds first).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../dist/test/helpers/browser.js';
import { openAddress, readUiAddress } from '../dist/src/ui/token.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(REPO, '..', 'shared', 'corpus');
const DOCS = join(REPO, 'docs');
const root = mkdtempSync(join(tmpdir(), 'dropscribe-shots-'));
const inbox = join(root, 'Inbox');
mkdirSync(inbox, { recursive: true });
writeFileSync(
  join(root, 'dropscribe.json'),
  JSON.stringify({
    inboxes: ['Inbox'],
    outbox: 'Transcripts',
    dataDir: 'data',
    job: { model: 'tiny.en' },
    jobs: { concurrency: 1 },
    stability: { quietMs: 500, pollMs: 100, settleSec: 1 },
    ui: { port: 0 },
  }),
);
const daemon = spawn(process.execPath, [join(REPO, 'bin', 'dropscribe.js'), 'start', '--config', join(root, 'dropscribe.json')], {
  env: { ...process.env, HF_HUB_OFFLINE: '1', DROPSCRIBE_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

async function until(what, check, ms = 300_000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
    const v = await check();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

try {
  await until('the web page', () => readUiAddress(join(root, 'data')));
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(await openAddress(join(root, 'data'))); // a single-use sign-in code, as `dropscribe open` gets

  // Drop the clips one after another so they queue in this order.
  writeFileSync(join(inbox, 'voicemail-corrupt.wav'), Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEgarbage'.repeat(40)));
  await sleep(1500);
  copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'inaugural-address.flac'));
  await sleep(1500);
  copyFileSync(join(CORPUS, 'en_librivox_shakespeare_sonnet001.mp3'), join(inbox, 'sonnet-1.mp3'));
  await sleep(1500);
  copyFileSync(join(CORPUS, 'en_librispeech_1272-128104-0000.wav'), join(inbox, 'lecture-intro.wav'));

  await page.waitForSelector('tr.job.failed', { timeout: 300_000 });
  await page.waitForSelector('tr.job.done', { timeout: 300_000 });
  await until('the sonnet under way', () =>
    page.evaluate(() => [...document.querySelectorAll('tr.job.running progress')].some((p) => Number(p.value) >= 20)),
  );
  await page.screenshot({ path: join(DOCS, 'queue.png') });

  await page.click('tr.job.done a');
  await page.waitForSelector('.transcript .w');
  await page.evaluate(async () => {
    const m = document.querySelector('audio');
    m.currentTime = 5.2;
    await m.play();
    await new Promise((r) => setTimeout(r, 400));
    m.pause();
  });
  await page.waitForSelector('.transcript .w.now');
  await page.screenshot({ path: join(DOCS, 'job.png') });

  await page.fill('header input[name=q]', 'country');
  await page.press('header input[name=q]', 'Enter');
  await page.waitForSelector('.hits li');
  await page.screenshot({ path: join(DOCS, 'search.png') });
  await browser.close();
  console.log(`screenshots written to ${DOCS}`);
} finally {
  daemon.kill('SIGTERM');
}
