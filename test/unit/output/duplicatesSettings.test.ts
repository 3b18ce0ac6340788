// Dedupe by content AND transcript settings: another task or model on the same bytes is an original of its own;
// copies dropped after their original is done are published at once; migration 004 keeps older databases working.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS, tasksOf } from '../../../src/config/config.js';
import { migrate } from '../../../src/store/db.js';
import { publishReadyDuplicates, settingsKey } from '../../../src/output/duplicates.js';
import { JobStore } from '../../../src/store/jobs.js';
import { silentLogger } from '../../../src/platform/log.js';
import type { TranscriptDocument } from '../../../src/output/render/index.js';
import { REPO, tempDir } from '../../helpers/env.js';
import { dropper, keptDocument, tempStore } from '../../helpers/store.js';

function doc(language: string, task: 'transcribe' | 'translate', text: string): TranscriptDocument {
  return keptDocument(text, { source: 'x', language, task });
}

function setup(jobs: JobStore = tempStore()) {
  const outbox = tempDir();
  const drop = dropper(jobs, outbox);
  /** Claim and finish the next job as the daemon would. */
  const runNext = (document: TranscriptDocument) => {
    const job = jobs.claimNext('me', 60_000)!;
    jobs.complete(job.id, [], [], [], { ...document, task: tasksOf(job.settings)[0]! });
    return job;
  };
  const publish = () => publishReadyDuplicates({ stores: jobs, outbox, log: silentLogger });
  const text = (stem: string) => readFileSync(join(outbox, `${stem}.txt`), 'utf8').trim();
  return { jobs, outbox, drop, runNext, publish, text };
}

test('the same bytes with another task or model are originals of their own, transcribed with their own settings', () => {
  const { jobs, drop, runNext, publish, text } = setup();
  const german = drop('de.wav', 'de-bytes');
  const translate = drop('to-english/de.wav', 'de-bytes', { task: 'translate' });
  const englishModel = drop('english-model/de.wav', 'de-bytes', { model: 'tiny.en' });
  const otherFormats = drop('subtitles/de.wav', 'de-bytes', { formats: ['srt', 'txt'] });
  assert.deepEqual(
    [german, translate, englishModel, otherFormats].map((r) => [r.status, r.job.duplicateOf]),
    [
      ['queued', null],
      ['queued', null],
      ['queued', null],
      ['duplicate', german.job.id],
    ],
  );
  assert.equal(
    drop('to-english/de copy.wav', 'de-bytes', { task: 'translate' }).job.duplicateOf,
    translate.job.id,
    'same settings again: a duplicate of the translating original',
  );

  assert.equal(runNext(doc('de', 'transcribe', 'guten tag')).id, german.job.id);
  assert.equal(runNext(doc('de', 'translate', 'good day')).id, translate.job.id);
  assert.equal(runNext(doc('de', 'transcribe', 'guten tag')).id, englishModel.job.id);
  assert.equal(jobs.claimNext('me', 60_000), undefined, 'duplicates are never transcribed');
  assert.equal(publish(), 2);
  assert.deepEqual(
    ['subtitles/de', 'to-english/de copy'].map(text),
    ['guten tag', 'good day'],
    'each from its own original',
  );
  assert.deepEqual(
    [german, translate, englishModel].map((r) => jobs.corrections.original(r.job.id)?.task),
    ['transcribe', 'translate', 'transcribe'],
  );
  assert.ok(
    jobs.list().every((j) => j.state === 'done' && !j.notes.some((n) => /reused/.test(n))),
    'no "reused although" note',
  );
});

test('originals are unique per content and settings key in the database', () => {
  const { jobs, drop } = setup();
  const a = drop('a.wav', 'sha').job;
  drop('b.wav', 'sha', { task: 'translate' });
  const insert = (key: string) =>
    jobs.db
      .prepare(
        `INSERT INTO jobs (input, inbox, rel_path, output_stem, sha256, size, mtime_ms,
    settings, settings_key, created_at, updated_at) VALUES ('/in/c.wav', '/in', 'c.wav', '/out/c', 'sha', 1, 1, ?, ?, 1, 1)`,
      )
      .run(JSON.stringify(DEFAULT_SETTINGS), key);
  assert.throws(() => insert(a.settingsKey), /UNIQUE/);
  assert.doesNotThrow(() => insert(settingsKey({ ...DEFAULT_SETTINGS, vad: false })));
});

test('copies dropped after their originals are done (the queue idle) are published on the next pass', () => {
  const { jobs, drop, runNext, publish, text } = setup();
  const jfk = drop('jfk.flac', 'jfk').job;
  const fr = drop('fr.wav', 'fr').job;
  runNext(doc('en', 'transcribe', 'ask not'));
  runNext(doc('fr', 'transcribe', 'bonjour'));
  for (const id of [jfk.id, fr.id]) {
    const o = jobs.get(id)!;
    assert.deepEqual([o.state, o.notBefore], ['done', 0]);
  }
  assert.equal(jobs.claimNext('me', 60_000), undefined, 'nothing left to run');
  const copies = [drop('jfk copy.flac', 'jfk'), drop('sub/jfk.flac', 'jfk'), drop('sub/fr.wav', 'fr')];
  assert.deepEqual(
    copies.map((c) => c.status),
    ['duplicate', 'duplicate', 'duplicate'],
  );
  assert.equal(jobs.duplicates.ready().length, 3, 'all three are ready');
  assert.equal(publish(), 3);
  assert.deepEqual(['jfk copy', 'sub/jfk', 'sub/fr'].map(text), ['ask not', 'ask not', 'bonjour']);
  assert.ok(copies.every((c) => jobs.get(c.job.id)!.state === 'done'));
});

test('migrations 004 and 006: rows from before settings keys dedupe by their settings; a refusal stored as a job moves to refusals', () => {
  const file = join(tempDir(), 'jobs.db');
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  for (const f of ['001_jobs.sql', '002_duplicates.sql', '003_job_notes.sql'])
    db.exec(readFileSync(join(REPO, 'src', 'store', 'sql', f), 'utf8'));
  db.pragma('user_version = 3');
  const row =
    db.prepare(`INSERT INTO jobs (input, inbox, rel_path, output_stem, sha256, size, mtime_ms, settings, state, duplicate_of,
    created_at, updated_at) VALUES (?, '/in', ?, ?, ?, 1, 1, ?, ?, ?, 1, 1)`);
  row.run('/in/a.wav', 'a.wav', '/out/a', 'sha', JSON.stringify(DEFAULT_SETTINGS), 'done', null);
  db.prepare(`INSERT INTO job_documents (job_id, document) VALUES (1, ?)`).run(
    JSON.stringify(doc('de', 'transcribe', 'guten tag')),
  );
  row.run(
    '/in/to-english/a.wav',
    'to-english/a.wav',
    '/out/to-english/a',
    'sha',
    JSON.stringify({ ...DEFAULT_SETTINGS, task: 'translate' }),
    'queued',
    1,
  );
  db.prepare(
    `INSERT INTO jobs (input, inbox, rel_path, output_stem, sha256, size, mtime_ms, settings, state, error, error_kind,
    outputs, created_at, updated_at) VALUES ('/in/link', '/in', 'link', '/out/link', 'refused:/in/link', 0, 0, ?,
    'failed', 'the link points out', 'refused', '["/out/link.error.txt"]', 5, 5)`,
  ).run(JSON.stringify(DEFAULT_SETTINGS));
  migrate(db);
  const jobs = new JobStore(db);
  const { drop, publish } = setup(jobs);
  assert.deepEqual(jobs.refusals.list(), [
    { id: 1, path: '/in/link', inbox: '/in', reason: 'the link points out', report: '/out/link.error.txt', at: 5 },
  ]);
  assert.equal(jobs.get(3), undefined, 'the made-up job is gone');
  assert.equal(jobs.refusals.record({ path: '/in/link', inbox: '/in', reason: 'x' }), undefined, 'recorded once');
  assert.deepEqual(
    [drop('b.wav', 'sha').status, drop('b.wav', 'sha').job.duplicateOf],
    ['duplicate', 1],
    'same settings: the old original',
  );
  publish();
  const legacy = jobs.get(2)!;
  assert.deepEqual(
    [legacy.state, legacy.duplicateOf],
    ['queued', null],
    'an old duplicate with other settings is transcribed itself',
  );
  assert.equal(drop('to-english/c.wav', 'sha', { task: 'translate' }).job.duplicateOf, 2);
  assert.equal(jobs.claimNext('me', 60_000)?.id, 2);
  db.close();
});
