// Duplicates in the store and their publishing: own rows, published from the original's kept document under
// their own names, error reports for a failed original, retries that re-publish, a legacy database migrated.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { migrate, openDb } from '../../../src/store/db.js';
import { publishReadyDuplicates, settingsKey } from '../../../src/output/duplicates.js';
import { duplicateLabel } from '../../../src/cli/statusView.js';
import { JobStore } from '../../../src/store/jobs.js';
import { silentLogger } from '../../../src/platform/log.js';
import type { TranscriptDocument } from '../../../src/output/render/index.js';
import { REPO, tempDir } from '../../helpers/env.js';
import { dropper, keptDocument, tempStore } from '../../helpers/store.js';

const WORDS = 'ask not what your country can do for you';

function doc(source: string): TranscriptDocument {
  return keptDocument(WORDS, { source });
}

/** A store, an outbox, and a way to drop the same content under a name (`rel` below the inbox). */
function setup() {
  const jobs = tempStore();
  const outbox = tempDir();
  const drop = dropper(jobs, outbox);
  const publish = () => publishReadyDuplicates({ stores: jobs, outbox, log: silentLogger });
  return { jobs, outbox, drop, publish };
}

/** Run the original as the daemon would and finish it with its outputs and document. */
function finish(jobs: JobStore, outbox: string, id: number): void {
  assert.equal(jobs.claimNext('me', 60_000)?.id, id);
  jobs.complete(id, [join(outbox, 'interview.txt')], ['vad fell back'], ['a note'], doc('interview.m4a'));
}

test('a duplicate gets its own row that waits for the original and is never claimed', () => {
  const { jobs, drop } = setup();
  const original = drop('interview.m4a').job;
  const dup = drop('interview copy.m4a');
  assert.equal(dup.status, 'duplicate');
  assert.notEqual(dup.job.id, original.id);
  assert.deepEqual([dup.job.state, dup.job.duplicateOf], ['queued', original.id]);
  assert.equal(drop('interview copy.m4a').job.id, dup.job.id, 'the same name dropped again keeps its row');
  assert.equal(jobs.claimNext('me', 60_000)?.id, original.id);
  assert.equal(jobs.claimNext('me', 60_000), undefined, 'a duplicate is never transcribed');
  assert.deepEqual(jobs.duplicates.ready(), [], 'not ready while the original runs');
  assert.equal(duplicateLabel(jobs.get(dup.job.id)!), `duplicate of #${original.id}, waiting for it`);
});

test("a duplicate of a corrected original gets the user's corrections, not the recognizer's first text", () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('interview.m4a').job;
  finish(jobs, outbox, original.id);
  const corrected = keptDocument('ask not what your country can do for you Zyphrex', { source: 'interview.m4a' });
  jobs.corrections.save(original.id, corrected);
  drop('interview copy.m4a');
  assert.equal(publish(), 1);
  assert.equal(readFileSync(join(outbox, 'interview copy.txt'), 'utf8').trim(), `${WORDS} Zyphrex`);
});

test('when the original is done, each duplicate is published under its own name from the kept document', () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('interview.m4a').job;
  const early = drop('日本語 テスト.m4a').job;
  finish(jobs, outbox, original.id);
  const late = drop('sub/interview.m4a', 'same-content', { formats: ['srt', 'txt'] }).job;
  assert.equal(publish(), 2);
  assert.equal(publish(), 0, 'published once');
  for (const [job, stem, formats] of [
    [early, '日本語 テスト', ['json', 'srt', 'txt', 'vtt']],
    [late, 'sub/interview', ['srt', 'txt']],
  ] as const) {
    const row = jobs.get(job.id)!;
    assert.equal(row.state, 'done');
    assert.deepEqual(
      row.outputs.map((o) => o.slice(outbox.length + 1)).sort(),
      formats.map((f) => `${stem}.${f}`),
    );
    assert.deepEqual(
      [row.degraded, row.notes],
      [['vad fell back'], ['a note']],
      'what the original knew, the duplicate says',
    );
    assert.equal(duplicateLabel(row), `duplicate of #${original.id}`);
    assert.equal(readFileSync(join(outbox, `${stem}.txt`), 'utf8').trim(), WORDS);
  }
  assert.equal(JSON.parse(readFileSync(join(outbox, '日本語 テスト.json'), 'utf8')).source, '日本語 テスト.m4a');
  assert.ok(
    readdirSync(outbox, { recursive: true })
      .map(String)
      .every((f) => !f.includes('.tmp')),
  );
});

test('a duplicate of a failed original gets the error report under its own name; a canceled one is canceled', () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('a.wav').job;
  const dup = drop('b.wav').job;
  jobs.claimNext('me', 60_000);
  jobs.fail(original.id, 'not a readable audio file', 'bad-input');
  publish();
  const failed = jobs.get(dup.id)!;
  assert.deepEqual(
    [failed.state, failed.errorKind, failed.outputs],
    ['failed', 'bad-input', [join(outbox, 'b.error.txt')]],
  );
  const report = readFileSync(join(outbox, 'b.error.txt'), 'utf8');
  assert.match(report, /could not transcribe b\.wav/);
  assert.match(report, /same recording as a\.wav \(job #\d+\)[^]*not a readable audio file/);
  assert.match(report, new RegExp(`dropscribe retry ${dup.id}`));

  const other = drop('c.wav', 'other').job;
  const otherDup = drop('d.wav', 'other').job;
  jobs.cancel(other.id);
  publish();
  assert.equal(jobs.get(otherDup.id)!.state, 'canceled');
  assert.ok(!existsSync(join(outbox, 'd.error.txt')));
});

test('a retry of the original, or of a duplicate, runs the original again and re-publishes every duplicate', () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('a.wav').job;
  const dup = drop('b.wav').job;
  finish(jobs, outbox, original.id);
  publish();
  assert.equal(jobs.get(dup.id)!.state, 'done');
  for (const retried of [original.id, dup.id]) {
    jobs.retry(retried);
    assert.deepEqual(
      [jobs.get(original.id)!.state, jobs.get(dup.id)!.state],
      ['queued', 'queued'],
      `retry #${retried}`,
    );
    assert.equal(publish(), 0, 'waits for the original again');
    finish(jobs, outbox, original.id);
    assert.equal(publish(), 1);
  }
});

test('an original finished before documents were kept is transcribed again before its duplicates are published', () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('a.wav').job;
  const dup = drop('b.wav').job;
  jobs.claimNext('me', 60_000);
  jobs.complete(original.id, [], [], []); // no document
  assert.equal(publish(), 0);
  assert.deepEqual([jobs.get(original.id)!.state, jobs.get(dup.id)!.state], ['queued', 'queued']);
  finish(jobs, outbox, original.id);
  assert.equal(publish(), 1);
});

test('a duplicate that cannot be published yet (outbox problem) waits and is tried again later', () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('a.wav').job;
  const dup = drop('sub/b.wav').job;
  writeFileSync(join(outbox, 'sub'), 'a file where the folder must go');
  finish(jobs, outbox, original.id);
  assert.equal(publish(), 0);
  const waiting = jobs.get(dup.id)!;
  assert.deepEqual([waiting.state, waiting.errorKind], ['queued', 'outbox']);
  assert.ok(waiting.notBefore > Date.now(), 'backs off');
  assert.equal(publish(), 0, 'not before its time');
  assert.deepEqual(readdirSync(outbox), ['sub'], 'no temp file left');
});

test('a duplicate whose original row is gone (retention) becomes an original itself', () => {
  const { jobs, outbox, drop, publish } = setup();
  const original = drop('a.wav').job;
  const dup = drop('b.wav').job;
  finish(jobs, outbox, original.id);
  jobs.db.prepare('DELETE FROM jobs WHERE id = ?').run(original.id);
  publish();
  assert.equal(jobs.get(dup.id)!.duplicateOf, null);
  assert.equal(jobs.claimNext('me', 60_000)?.id, dup.id);
});

test('the settings key changes with every transcript setting and with nothing else', () => {
  const base = settingsKey(DEFAULT_SETTINGS);
  assert.match(base, /^[0-9a-f]{16}$/);
  assert.equal(settingsKey({ ...DEFAULT_SETTINGS, formats: ['srt'] }), base, 'formats only change how it is written');
  const reordered = Object.fromEntries(Object.entries(DEFAULT_SETTINGS).reverse()) as typeof DEFAULT_SETTINGS;
  assert.equal(settingsKey(reordered), base, 'the order of the stored JSON does not matter');
  const changed = [
    { task: 'translate' },
    { model: 'tiny.en' },
    { language: 'de' },
    { backend: 'mlx' },
    { separate: true },
    { separateModel: 'mdx' },
    { vad: false },
    { align: 'none' },
    { alignModel: '/models/wav2vec2-de' },
    { audioStream: 1 },
    { languageMismatch: 'refuse' },
  ] as const;
  const keys = changed.map((c) => settingsKey({ ...DEFAULT_SETTINGS, ...c }));
  assert.equal(new Set([base, ...keys]).size, changed.length + 1, 'each setting gives another key');
});

test('migration 002 keeps every job and stage run of an existing database, and the old row stays the original of its content', () => {
  const file = join(tempDir(), 'jobs.db');
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  db.exec(readFileSync(join(REPO, 'src', 'store', 'sql', '001_jobs.sql'), 'utf8'));
  db.pragma('user_version = 1');
  db.prepare(
    `INSERT INTO jobs (input, inbox, rel_path, output_stem, sha256, size, mtime_ms, settings, state, created_at, updated_at)
    VALUES ('/in/a.wav', '/in', 'a.wav', '/out/a', 'sha', 1, 1, ?, 'done', 1, 1)`,
  ).run(JSON.stringify(DEFAULT_SETTINGS));
  db.prepare(
    `INSERT INTO stage_runs (job_id, stage, attempt, outcome, started_at) VALUES (1, 'transcribe', 1, 'ok', 1)`,
  ).run();
  migrate(db);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM stage_runs').get() as { n: number }).n, 1);
  assert.equal(
    (db.prepare('SELECT duplicate_of FROM jobs WHERE id = 1').get() as { duplicate_of: null }).duplicate_of,
    null,
  );
  const again = new JobStore(db).enqueue({
    input: '/in/b.wav',
    inbox: '/in',
    relPath: 'b.wav',
    outputStem: '/out/b',
    sha256: 'sha',
    size: 1,
    mtimeMs: 1,
    settings: DEFAULT_SETTINGS,
  });
  assert.deepEqual(
    [again.status, again.job.duplicateOf],
    ['duplicate', 1],
    'the old row is still the original of its content',
  );
  db.close();
  const reopened = openDb(file);
  assert.equal((reopened.pragma('foreign_key_check') as unknown[]).length, 0);
  reopened.close();
});

test('when the original file changed or went away before it was read, a duplicate whose file is intact is transcribed instead', () => {
  const { jobs, outbox, publish } = setup();
  const inbox = tempDir();
  const drop = (name: string) => {
    const input = join(inbox, name);
    const st = statSync(input);
    return jobs.enqueue({
      input,
      inbox,
      relPath: name,
      outputStem: join(outbox, name),
      sha256: 'content',
      size: st.size,
      mtimeMs: Math.round(st.mtimeMs),
      settings: DEFAULT_SETTINGS,
    }).job;
  };
  for (const name of ['a.wav', 'b.wav', 'c.wav']) writeFileSync(join(inbox, name), 'the same recording');
  const original = drop('a.wav');
  const [b, c] = [drop('b.wav'), drop('c.wav')];
  rmSync(join(inbox, 'a.wav'));
  jobs.claimNext('me', 60_000);
  jobs.fail(original.id, 'the file is gone', 'bad-input');
  publish();
  assert.deepEqual(
    [jobs.get(b.id)!.duplicateOf, jobs.get(c.id)!.duplicateOf, jobs.get(original.id)!.duplicateOf],
    [null, b.id, b.id],
  );
  assert.ok(!existsSync(join(outbox, 'b.error.txt')), 'no error report for a copy that is fine');
  assert.equal(jobs.claimNext('me', 60_000)?.id, b.id);
  jobs.complete(b.id, [], [], [], doc('b.wav'));
  assert.equal(publish(), 1);
  assert.equal(jobs.get(c.id)!.state, 'done');
  assert.equal(jobs.get(original.id)!.state, 'failed', 'the original keeps its own end');
});
