// Existing users upgrade in place: a config file and a data folder written by dropscribe at 7837620 (the main before
// issue 29's moves; test/fixtures/old-data/make.sh) load in today's daemon, which finishes the job left queued and
// keeps the finished job's outputs, same bytes, still listed as its own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, DaemonProcess, waitFor } from '../helpers/daemonProcess.js';
import { CORPUS, FIXTURES } from '../helpers/env.js';

const OLD = join(FIXTURES, 'old-data');

interface OldInput {
  name: string;
  mtimeMs: number;
  sha256: string;
}
interface Listing {
  root: string;
  done: OldInput;
  queued: OldInput;
  outbox: Record<string, string>;
}

interface StatusJob {
  id: number;
  input: string;
  state: string;
  outputs: string[];
}

const listing = JSON.parse(readFileSync(join(OLD, 'listing.json'), 'utf8')) as Listing;
const { root } = listing;
const configFile = join(root, 'dropscribe.json');
const outbox = join(root, 'outbox');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The old data folder back where it was made (its database holds absolute paths), and the recordings back in the
 * inbox with the bytes and modification times the old daemon saw: a user's own folders, untouched by the upgrade. */
function restoreOldData(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'inbox'), { recursive: true });
  execFileSync('tar', ['-xzf', join(OLD, 'old-data.tar.gz'), '-C', root]);
  for (const input of [listing.done, listing.queued]) {
    const file = join(root, 'inbox', input.name);
    copyFileSync(join(CORPUS, input.name), file);
    assert.equal(sha256(file), input.sha256, `${input.name} is the clip the old daemon saw`);
    utimesSync(file, input.mtimeMs / 1000, input.mtimeMs / 1000);
  }
}

async function statusJobs(): Promise<StatusJob[]> {
  const r = await cli(['status', '--json', '--config', configFile]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { jobs: StatusJob[] }).jobs.sort((a, b) => a.id - b.id);
}

test('a data folder and config from 7837620 load, resume their queued job and keep their outputs', async (t) => {
  restoreOldData();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const before = await statusJobs();
  assert.deepEqual(
    before.map((j) => [j.id, j.state]),
    [
      [1, 'done'],
      [2, 'queued'],
    ],
  );

  const daemon = new DaemonProcess(configFile);
  daemon.start();
  const queuedStem = listing.queued.name.replace(/\.[^.]+$/, '');
  await waitFor('the queued job done', async () => (await statusJobs())[1]?.state === 'done', 300_000).catch(
    daemon.fail,
  );
  const after = await statusJobs();
  assert.equal(await daemon.stop(), 0, daemon.output.slice(-2000));

  assert.deepEqual(
    after.map((j) => [j.id, j.state]),
    [
      [1, 'done'],
      [2, 'done'],
    ],
    'no job was added: the finished recording still in the inbox is known',
  );
  // The old outputs: same bytes, still the finished job's.
  for (const [name, hash] of Object.entries(listing.outbox)) assert.equal(sha256(join(outbox, name)), hash, name);
  assert.deepEqual(after[0]!.outputs.sort(), before[0]!.outputs.sort());
  assert.deepEqual(after[0]!.outputs.map((p) => p.slice(outbox.length + 1)).sort(), Object.keys(listing.outbox));
  // The resumed job's outputs beside them, nothing else.
  const fresh = ['json', 'srt', 'txt', 'vtt'].map((ext) => `${queuedStem}.${ext}`);
  assert.deepEqual(readdirSync(outbox).sort(), [...Object.keys(listing.outbox), ...fresh].sort());
  assert.deepEqual(after[1]!.outputs.map((p) => p.slice(outbox.length + 1)).sort(), fresh);
  assert.match(readFileSync(join(outbox, `${queuedStem}.txt`), 'utf8'), /ask not what your country can do for you/i);
  assert.ok(!existsSync(join(root, 'data', 'daemon.pid')), 'the lock released');
});
