// `dropscribe export` through the real CLI: finished jobs rendered again from their kept transcripts, a corrected
// word in every format, --all with --since and --folder, --to or over the job's own files, and a job finished before
// transcripts were kept named as such.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { FORMATS } from '../../src/config/config.js';
import { applyCorrection } from '../../src/output/corrections.js';
import { REPO, tempDir } from '../helpers/env.js';
import { run } from '../unit/output/render/readers.js';
import { finishedJobsFixture } from './exportFixture.js';

const BIN = join(REPO, 'bin', 'dropscribe.js');

async function dropscribe(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

test('a corrected word and the speaker names appear in every re-exported format', async () => {
  const f = finishedJobsFixture(2);
  const doc = f.jobs.corrections.current(f.ids[0]!)!;
  f.jobs.corrections.save(f.ids[0]!, applyCorrection(doc, { kind: 'word', segment: 1, word: 2, text: 'Zanzibar' }));
  const to = tempDir('dropscribe-export-');
  const r = await dropscribe([
    'export',
    String(f.ids[0]),
    '--format',
    FORMATS.join(','),
    '--to',
    to,
    '--config',
    f.configFile,
  ]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /exported 1 of 1 jobs/);
  for (const format of FORMATS) {
    const file = join(to, 'interviews', `talk-1.${format}`);
    const text = format === 'docx' ? run('pandoc', ['-f', 'docx', '-t', 'plain', file]) : readFileSync(file, 'utf8');
    assert.ok(text.includes('Zanzibar'), `${format} has the corrected word`);
    assert.ok(text.includes('Ben'), `${format} names the speaker`);
  }
});

test('--all --since --folder picks the jobs finished since the date in that folder; over their own files', async () => {
  const f = finishedJobsFixture(4, { startMs: Date.UTC(2026, 11, 1) });
  const r = await dropscribe([
    'export',
    '--all',
    '--since',
    '2026-12-01T00:03:00Z',
    '--folder',
    'interviews',
    '--format',
    'md,docx',
    '--config',
    f.configFile,
  ]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /exported 2 of 2 jobs/);
  assert.deepEqual(readdirSync(join(f.config.outbox, 'interviews')).sort(), [
    'talk-3.docx',
    'talk-3.md',
    'talk-4.docx',
    'talk-4.md',
  ]);
  const none = await dropscribe([
    'export',
    '--all',
    '--folder',
    'elsewhere',
    '--format',
    'md',
    '--config',
    f.configFile,
  ]);
  assert.match(none.out, /no finished job matches/);
});

test('a job finished before transcripts were kept says so; the others are exported', async () => {
  const f = finishedJobsFixture(1);
  const { job } = f.jobs.enqueue({
    input: join(f.config.inboxes[0]!, 'old.wav'),
    inbox: f.config.inboxes[0]!,
    relPath: 'old.wav',
    outputStem: join(f.config.outbox, 'old'),
    sha256: 'sha-old',
    size: 1,
    mtimeMs: 1,
    settings: f.jobs.get(f.ids[0]!)!.settings,
  });
  f.jobs.claim(job.id, 'me', 60_000);
  f.jobs.complete(job.id, [], []);
  const to = tempDir('dropscribe-export-');
  const r = await dropscribe(['export', '--all', '--format', 'csv', '--to', to, '--config', f.configFile]);
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`job ${job.id} \\(old.wav\\) finished before dropscribe kept transcripts`));
  assert.match(r.out, /exported 1 of 2 jobs/);
  assert.ok(existsSync(join(to, 'interviews', 'talk-1.csv')) && !existsSync(join(to, 'old.csv')));
  const unknown = await dropscribe(['export', '1', '--format', 'pdf', '--config', f.configFile]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.out, /unknown format pdf: choose from srt, vtt/);
});
