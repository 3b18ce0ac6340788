// Hostile inputs: strange names and broken files are processed or refused with a report; nothing outside the
// inbox is read, no name reaches a shell, no output escapes the outbox.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS, tempDir, testConfig } from '../helpers/env.js';
import { cli, DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { ffmpeg } from '../helpers/ffmpeg.js';
import { assertValidSrt } from '../helpers/subtitles.js';

const NAMES = [
  'name with spaces.wav',
  `quote's "double".wav`,
  '$(touch PWNED).wav',
  '`touch PWNED2`;rm -rf x.wav',
  '-leading-dash.wav',
  'new\nline.wav',
  '🎙️ emoji talk.wav',
  'Привет мир.wav',
  '日本語の録音.wav',
  'a\u2215..\u2215escape.wav',
];
const BROKEN: Record<string, Buffer | string> = {
  'zero-bytes.mp3': '',
  'text-renamed.mp3': 'Dear diary, this is not audio at all.\n'.repeat(30),
  'truncated.flac': readFileSync(join(CORPUS, 'jfk.flac')).subarray(0, 400),
  'random-bytes.wav': Buffer.from(Array.from({ length: 30000 }, (_, i) => (i * 7919 + 13) % 256)),
};

test('strange names are transcribed; broken files and escapes get a report; nothing leaks', async () => {
  const root = tempDir();
  const inbox = join(root, 'inbox');
  const outbox = join(root, 'outbox');
  // Names and broken files are the point, not the model: the small bundled one, no speaker labelling.
  const config = testConfig({
    inboxes: [inbox],
    outbox,
    dataDir: join(root, 'data'),
    jobs: { concurrency: 2 },
    job: { model: 'tiny.en', speakers: 'off' },
  });
  const file = writeConfigFile(config, root);
  mkdirSync(inbox, { recursive: true });
  // Distinct content per name (dedupe is by content): jfk cut to a different length each time.
  NAMES.forEach((name, i) => {
    ffmpeg([
      '-i',
      join(CORPUS, 'jfk.flac'),
      '-t',
      String(4 + i * 0.1),
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      'wav',
      `file:${join(inbox, name)}`,
    ]);
  });
  for (const [name, content] of Object.entries(BROKEN)) writeFileSync(join(inbox, name), content);
  mkdirSync(join(inbox, 'folder.mp3'));
  const secret = join(tempDir(), 'outside.wav');
  writeFileSync(secret, readFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav')));
  symlinkSync(secret, join(inbox, 'link-to-outside.wav'));

  const daemon = new DaemonProcess(file);
  daemon.start();
  const total = NAMES.length + Object.keys(BROKEN).length;
  const status = await waitFor(
    'every input handled',
    async () => {
      const r = await cli(['status', '--json', '--config', file]);
      if (r.code !== 0) return undefined;
      const status = JSON.parse(r.stdout) as {
        jobs: { input: string; state: string; error: string | null; outputs: string[] }[];
        refused: { path: string; reason: string; report: string | null }[];
      };
      const finished = status.jobs.every((j) => j.state === 'done' || j.state === 'failed');
      return status.jobs.length === total && finished && status.refused.length === 1 ? status : undefined;
    },
    240_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${daemon.output.slice(-3000)}`);
  });
  await daemon.stop();

  const byName = new Map(status.jobs.map((j) => [j.input.slice(inbox.length + 1), j]));
  for (const name of NAMES) {
    const job = byName.get(name)!;
    assert.equal(job?.state, 'done', `${JSON.stringify(name)}: ${job?.error}`);
    const stem = name.replace(/\.wav$/, '');
    assertValidSrt(readFileSync(join(outbox, `${stem}.srt`), 'utf8'));
  }
  for (const name of Object.keys(BROKEN)) {
    const job = byName.get(name)!;
    assert.equal(job.state, 'failed', name);
    const report = readFileSync(join(outbox, `${name.replace(/\.[^.]+$/, '')}.error.txt`), 'utf8');
    assert.match(report, /could not transcribe/);
    assert.ok(!report.includes('Traceback'), 'a plain report, not a stack trace');
  }
  assert.equal(byName.has('link-to-outside.wav'), false, 'a link out of the inbox is refused, not a job');
  const [link] = status.refused;
  assert.deepEqual(
    [link!.path, link!.report],
    [join(inbox, 'link-to-outside.wav'), join(outbox, 'link-to-outside.error.txt')],
  );
  assert.match(link!.reason, /points outside the inbox/);
  assert.ok(existsSync(join(outbox, 'link-to-outside.error.txt')));
  assert.equal(byName.has('folder.mp3'), false, 'a folder named like a recording is just a folder');

  assert.ok(
    !existsSync(join(root, 'PWNED')) && !existsSync('PWNED') && !existsSync('PWNED2'),
    'no name reached a shell',
  );
  const everything = readdirSync(root, { recursive: true }).map(String);
  assert.ok(
    everything.every(
      (p) => p.startsWith('inbox') || p.startsWith('outbox') || p.startsWith('data') || p === 'dropscribe.json',
    ),
    `nothing written outside inbox/outbox/data: ${everything.filter((p) => !/^(inbox|outbox|data|dropscribe\.json)/.test(p))}`,
  );
  assert.ok(
    readdirSync(outbox, { recursive: true })
      .map(String)
      .every((p) => !p.includes('.tmp')),
    'no temp files',
  );
});
